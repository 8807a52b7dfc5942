/**
 * The sports-map budgets of DESIGN §8 and issue 3, measured: 10 000 generated venues in a scratch
 * database, then the map's three hot queries through the real app (in-process HTTP, no network):
 *   bbox + sport list     p50 ≤ 10 ms
 *   whole-city GeoJSON    p50 ≤ 50 ms
 *   `near` distance sort  p50 ≤ 15 ms
 * Then the whole-city GeoJSON over loopback HTTP (real sockets) as it leaves the server: raw, gzip,
 * brotli, and a revalidation answered 304 (BENCH_ONLY=geojson runs only that part).
 * Runs on PostgreSQL when BENCH_DATABASE_URL is set (a scratch database is created and dropped),
 * otherwise on the embedded PGlite. Prints figures; asserts nothing.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { schema, type Database } from '@sports/db';
import { regionSeeds } from '@sports/seeds';
import { buildApp } from '../apps/api/src/app.ts';
import { loadConfig } from '../apps/api/src/config.ts';
import { compressWith } from '../apps/api/src/plugins/external/compress.ts';
import { extendOpenIntervals } from '../apps/api/src/services/venues/open-intervals.ts';
import { scratchDatabase } from './scratch.ts';
import { ms, percentiles } from './stats.ts';

const VENUES = Number(process.env.BENCH_VENUES ?? 10_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 300);
const SPORTS = ['basketball', 'football', 'badminton', 'table_tennis', 'tennis', 'swimming', 'fitness', 'running'] as const;
const KINDS = ['stadium', 'gym', 'community_center', 'park', 'fitness_path', 'school'] as const;

/** A small deterministic generator, so every run measures the same data. */
function generator(seed: number) {
  let s = seed;
  return () => {
    s = (s * 1_103_515_245 + 12_345) % 2 ** 31;
    return s / 2 ** 31;
  };
}

async function load(database: Database): Promise<void> {
  const db = database.db;
  const regions = regionSeeds();
  await db.insert(schema.regions).values(regions);
  const [owner] = await db
    .insert(schema.organisations)
    .values({ kind: 'bureau', name: '郑州市体育局', cityCode: '410100' })
    .returning({ id: schema.organisations.id });
  const districts = regions.filter((r) => r.level === 'district');
  const random = generator(42);
  const rows = Array.from({ length: VENUES }, (_, i) => {
    const district = districts[i % districts.length]!;
    const sports = SPORTS.filter(() => random() < 0.3);
    return {
      organisationId: owner!.id,
      name: `基准场馆${i}`,
      kind: KINDS[i % KINDS.length]!,
      cityCode: district.cityCode,
      districtCode: district.code,
      lat: district.lat + (random() - 0.5) * 0.2,
      lng: district.lng + (random() - 0.5) * 0.2,
      sports: sports.length > 0 ? [...sports] : ['fitness'],
      priceLevel: (['free', 'low', 'paid'] as const)[i % 3]!,
      weeklyHours: { 1: [{ start: '06:00', end: '22:00' }], 2: [{ start: '06:00', end: '22:00' }], 3: [{ start: '06:00', end: '22:00' }], 4: [{ start: '06:00', end: '22:00' }], 5: [{ start: '06:00', end: '22:00' }], 6: [{ start: '08:00', end: '20:00' }], 7: [{ start: '08:00', end: '20:00' }] },
    };
  });
  for (let i = 0; i < rows.length; i += 1000) await db.insert(schema.venues).values(rows.slice(i, i + 1000));
  await extendOpenIntervals(db, new Date());
  if (database.driver === 'postgres') await db.execute('analyze');
}

async function main() {
  const { database, drop } = await scratchDatabase();
  const dataDir = mkdtempSync(path.join(tmpdir(), 'sports-bench-'));
  try {
    await database.migrate();
    const started = Date.now();
    await load(database);
    console.log(`${database.driver}: loaded ${VENUES} venues with their opening intervals in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    const config = loadConfig(
      { NODE_ENV: 'test', LOG_LEVEL: 'silent', WEB_DIST: '/nonexistent', RATE_LIMIT_PER_MINUTE: '10000000', SWEEP_INTERVAL_MINUTES: '0', BOOKING_SWEEP_SECONDS: '0', DATA_DIR: dataDir },
      false,
    );
    const app = await buildApp({ config, database });
    const random = generator(7);
    const queries: [string, () => string, number][] = [
      [
        'bbox + sport list (a 2 km × 2 km view)',
        () => {
          const lng = 113.55 + random() * 0.15;
          const lat = 34.7 + random() * 0.1;
          return `/api/v1/venues?bbox=${lng.toFixed(4)},${lat.toFixed(4)},${(lng + 0.022).toFixed(4)},${(lat + 0.018).toFixed(4)}&sport=basketball`;
        },
        10,
      ],
      ['bbox + sport GeoJSON (a 2 km × 2 km view)', () => `/api/v1/map/venues.geojson?bbox=113.6,34.74,113.622,34.758&sport=basketball`, 10],
      ['whole-city GeoJSON (Zhengzhou)', () => '/api/v1/map/venues.geojson?city=410100', 50],
      ['near sort, first page (Zhengzhou)', () => `/api/v1/venues?city=410100&near=${(34.7 + random() * 0.1).toFixed(4)},${(113.6 + random() * 0.1).toFixed(4)}`, 15],
      ['open now + sport, first page', () => '/api/v1/venues?openNow=true&sport=tennis', 15],
    ];
    console.log(`${ROUNDS} requests each after 20 warm-up requests; server time measured in-process`);
    for (const [label, url, budget] of process.env.BENCH_ONLY === 'geojson' ? [] : queries) {
      for (let i = 0; i < 20; i++) await app.inject(url());
      const samples: number[] = [];
      let features = 0;
      for (let i = 0; i < ROUNDS; i++) {
        const start = process.hrtime.bigint();
        const res = await app.inject(url());
        samples.push(Number(process.hrtime.bigint() - start) / 1e6);
        if (res.statusCode !== 200) throw new Error(`${label}: ${res.statusCode} ${res.body.slice(0, 200)}`);
        const body = res.json() as { total?: number; features?: unknown[] };
        features = body.total ?? body.features?.length ?? 0;
      }
      const p = percentiles(samples);
      const verdict = p.p50 <= budget ? 'within' : 'OVER';
      console.log(`${label.padEnd(42)} p50 ${ms(p.p50)}  p95 ${ms(p.p95)}  p99 ${ms(p.p99)}  (${features} matches; budget p50 ≤ ${budget} ms: ${verdict})`);
    }
    await wholeCityOverHttp(app);
    await app.close();
  } finally {
    await drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  bytes: number;
}

/**
 * The whole-city GeoJSON through a real socket, as a browser asks for it: the time from writing the
 * request to the last byte read, and the bytes of the body on the wire (Content-Encoding as sent).
 */
async function wholeCityOverHttp(app: Awaited<ReturnType<typeof buildApp>>): Promise<void> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const urlPath = '/api/v1/map/venues.geojson?city=410100';
  const get = (headers: Record<string, string>) =>
    new Promise<Answer>((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port, path: urlPath, headers, agent }, (res) => {
        let bytes = 0;
        res.on('data', (chunk: Buffer) => (bytes += chunk.length));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, bytes }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end();
    });
  const tag = (await get({})).headers['etag'] ?? '';
  const brTag = (await get({ 'accept-encoding': 'br' })).headers['etag'] ?? '';
  const kinds: [string, Record<string, string>][] = [
    ['raw (no Accept-Encoding)', {}],
    ['gzip', { 'accept-encoding': 'gzip' }],
    ['br (a browser: gzip, deflate, br)', { 'accept-encoding': 'gzip, deflate, br' }],
    ['304 (If-None-Match, br)', { 'accept-encoding': 'gzip, deflate, br', 'if-none-match': brTag }],
    ['304 (If-None-Match, raw tag)', { 'if-none-match': tag }],
  ];
  const rounds = Math.min(ROUNDS, 100);
  console.log(`whole-city GeoJSON over loopback HTTP, ${rounds} rounds of each kind in turn after 10 warm-ups (request written → last byte read)`);
  for (let i = 0; i < 10; i++) for (const [, headers] of kinds) await get(headers);
  const samples = kinds.map(() => [] as number[]);
  const last: Answer[] = [];
  for (let i = 0; i < rounds; i++) {
    for (const [k, [, headers]] of kinds.entries()) {
      const start = process.hrtime.bigint();
      last[k] = await get(headers);
      samples[k]!.push(Number(process.hrtime.bigint() - start) / 1e6);
    }
  }
  for (const [k, [label]] of kinds.entries()) {
    const p = percentiles(samples[k]!);
    const answer = last[k]!;
    const coding = answer.headers['content-encoding'] ?? 'identity';
    console.log(
      `${label.padEnd(36)} ${answer.status} ${coding.padEnd(8)} ${(answer.bytes / 1000).toFixed(1).padStart(8)} kB  p50 ${ms(p.p50)}  p95 ${ms(p.p95)}  p99 ${ms(p.p99)}`,
    );
  }
  agent.destroy();
  // What a new collection costs once (a venue edited, opening or closing), before its copies are kept.
  const body = (await app.inject(urlPath)).rawPayload;
  for (const coding of ['gzip', 'br'] as const) {
    const samples: number[] = [];
    for (let i = 0; i < 10; i++) {
      const start = process.hrtime.bigint();
      await compressWith(coding, body);
      samples.push(Number(process.hrtime.bigint() - start) / 1e6);
    }
    console.log(`compressing a new collection once (${coding}, ${(body.length / 1e6).toFixed(2)} MB): p50 ${ms(percentiles(samples).p50)}`);
  }
}

await main();
