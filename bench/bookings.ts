/**
 * The booking budgets of DESIGN §8 and issue 4, measured on one venue of 20 courts:
 *   availability, 20 courts × 7 days: server time p50 ≤ 5 ms; p99 ≤ 25 ms at 100 connections
 *   booking throughput ≥ 50 % of a bare Fastify route doing one INSERT into the same table
 *   500 simultaneous attempts at one slot: exactly 1 success, 499 SLOT_TAKEN, 0 errors
 * Everything runs on loopback against the real app listening on a port; the baseline is measured in
 * the same run, on the same database. Prints figures; asserts nothing.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Fastify from 'fastify';
import { schema, type Database } from '@sports/db';
import { DEFAULT_RESIDENT_RULES, addDays, localDate } from '@sports/domain';
import { regionSeeds } from '@sports/seeds';
import { buildApp } from '../apps/api/src/app.ts';
import { loadConfig } from '../apps/api/src/config.ts';
import { answeredPerSecond, generateLoad, type LoadResult } from './load-generator.ts';
import { scratchDatabase } from './scratch.ts';
import { cpuPerRequest, cpuTimes, ms, percentiles } from './stats.ts';

const COURTS = 20;
const USERS = 3000;
const DURATION = Number(process.env.BENCH_SECONDS ?? 10);
// BENCH_ONLY=availability-server-time stops after the first measurement; BENCH_ONLY=race runs only
// the 500-way race; BENCH_ONLY=booking only the baseline and the booking load (for quick iterations).
// BENCH_POOL sets the size of the connection pool the app and the baseline share (default: the app's own, 10).
const ONLY = process.env.BENCH_ONLY;

async function load(database: Database) {
  const db = database.db;
  await db.insert(schema.regions).values(regionSeeds());
  const [bureau] = await db.insert(schema.organisations).values({ kind: 'bureau', name: '郑州市体育局', cityCode: '410100' }).returning();
  const [org] = await db
    .insert(schema.organisations)
    .values({ kind: 'operator', name: '基准公司', cityCode: '410100', parentId: bureau!.id })
    .returning();
  const everyDay = Object.fromEntries([1, 2, 3, 4, 5, 6, 7].map((d) => [d, [{ start: '08:00', end: '22:00' }]]));
  const [venue] = await db
    .insert(schema.venues)
    .values({
      organisationId: org!.id,
      name: '基准羽毛球馆',
      kind: 'gym',
      cityCode: '410100',
      districtCode: '410105',
      lat: 34.78,
      lng: 113.66,
      priceLevel: 'paid',
      weeklyHours: everyDay,
      bookingSettings: {
        slotMinutes: 60,
        maxSlots: 2,
        windowDays: 120,
        releaseTime: '00:00',
        defaultPriceFen: 3000,
        bands: [{ days: 'weekend', start: '08:00', end: '22:00', priceFen: 6000 }],
      },
    })
    .returning();
  const courts = await db
    .insert(schema.venueResources)
    .values(Array.from({ length: COURTS }, (_, i) => ({ venueId: venue!.id, name: `${i + 1}号场`, sport: 'badminton', mode: 'exclusive' as const, sortOrder: i })))
    .returning({ id: schema.venueResources.id });
  await db.insert(schema.cityBookingRules).values({
    cityCode: '410100',
    rules: { ...DEFAULT_RESIDENT_RULES, maxUpcoming: 1_000_000, maxHoursPerDayPerSport: 24, noShowGraceMinutes: 15, noShowLimit: 3, noShowWindowDays: 60, suspensionDays: 30 },
  });
  const users = await db
    .insert(schema.users)
    .values(Array.from({ length: USERS }, (_, i) => ({ phone: `135${String(i).padStart(8, '0')}`, displayName: `基准${i}`, passwordHash: 'x' })))
    .returning({ id: schema.users.id });
  // A week of existing bookings so availability has something to mark: every third slot taken.
  const today = localDate(new Date(), 'Asia/Shanghai');
  const existing = [];
  for (let d = 1; d <= 7; d++) {
    const date = addDays(today, d);
    for (let c = 0; c < COURTS; c++) {
      for (let h = 8; h < 22; h += 3) {
        const start = new Date(`${date}T${String(h).padStart(2, '0')}:00:00+08:00`);
        existing.push({
          code: `E${d}${String(c).padStart(2, '0')}${h}`.padEnd(8, 'X'),
          resourceId: courts[c]!.id,
          venueId: venue!.id,
          userId: users[(d * 100 + c * 10 + h) % USERS]!.id,
          during: `[${start.toISOString()},${new Date(start.getTime() + 3_600_000).toISOString()})`,
          sport: 'badminton',
        });
      }
    }
  }
  await db.insert(schema.reservations).values(existing);
  // Statistics, as autovacuum would have them on a running database.
  if (database.driver === 'postgres') await db.execute('analyze');
  return { venue: venue!, courts: courts.map((c) => c.id), users: users.map((u) => u.id), today };
}

/** The server's CPU per request (this process and PostgreSQL) and the load generator's, for one load phase. */
function cpuLine(before: ReturnType<typeof cpuTimes>, after: ReturnType<typeof cpuTimes>, load: LoadResult): string {
  return `${cpuPerRequest(before, after, load.total)}, load generator ${(load.cpu / load.total).toFixed(2)} ms`;
}

async function main() {
  const { database, drop } = await scratchDatabase(process.env.BENCH_POOL ? Number(process.env.BENCH_POOL) : undefined);
  const dataDir = mkdtempSync(path.join(tmpdir(), 'sports-bench-'));
  try {
    await database.migrate();
    const world = await load(database);
    const settings = {
        NODE_ENV: 'production',
        JWT_SECRET: 'bench-secret-bench-secret-bench-secret-0',
        IDENTITY_KEY: '0'.repeat(64),
        LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'silent',
        WEB_DIST: '/nonexistent',
        RATE_LIMIT_PER_MINUTE: '100000000',
        SWEEP_INTERVAL_MINUTES: '0',
        BOOKING_SWEEP_SECONDS: '0',
        DATA_DIR: dataDir,
    };
    const app = await buildApp({ config: loadConfig(settings, false), database });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
    const tokens = world.users.map((id) => `Bearer ${app.jwt.sign({ sub: id })}`);
    console.log(`${database.driver}: one venue, ${COURTS} courts, 08:00–22:00, a week of bookings (every third slot taken)`);

    if (ONLY !== 'race') {
    if (ONLY !== 'booking') {
    // 1. Availability: server time in-process, then latency at 100 connections over loopback.
    const availabilityPath = `/api/v1/venues/${world.venue.id}/availability?date=${addDays(world.today, 1)}&days=7`;
    const serverTime = async (target: typeof app) => {
      for (let i = 0; i < 30; i++) await target.inject(availabilityPath);
      const samples: number[] = [];
      for (let i = 0; i < 300; i++) {
        const start = process.hrtime.bigint();
        await target.inject(availabilityPath);
        samples.push(Number(process.hrtime.bigint() - start) / 1e6);
      }
      return percentiles(samples);
    };
    // Computed every time: the same app with the answer cache off.
    const computing = await buildApp({ config: loadConfig({ ...settings, AVAILABILITY_CACHE_MS: '0' }, false), database });
    const computed = await serverTime(computing);
    await computing.close();
    const remembered = await serverTime(app);
    const slotsPerReply = (await app.inject(availabilityPath)).json<{ resources: { slots: unknown[] }[] }>().resources.reduce((n, r) => n + r.slots.length, 0);
    console.log(`availability (${COURTS} courts × 7 days, ${slotsPerReply} slots), server time (budget p50 ≤ 5 ms):`);
    console.log(`  computed each time:    p50 ${ms(computed.p50)}  p95 ${ms(computed.p95)}  p99 ${ms(computed.p99)}`);
    console.log(`  answer remembered ≤1 s: p50 ${ms(remembered.p50)}  p95 ${ms(remembered.p95)}  p99 ${ms(remembered.p99)}`);
    if (ONLY === 'availability-server-time') {
      await app.close();
      return;
    }
    const loadedCpu = cpuTimes();
    const loaded = await generateLoad({ url: base + availabilityPath, connections: 100, duration: DURATION });
    const loadedCpuEnd = cpuTimes();
    console.log(
      `availability at 100 connections, no Accept-Encoding (not the judged figure: see below): ${loaded.requestsPerSecond.toFixed(0)} req/s, latency p50 ${loaded.p50} ms  p99 ${loaded.p99} ms, ${(loaded.bytesPerAnswer / 1024).toFixed(1)} kB per answer, non-2xx ${loaded.non2xx}, errors ${loaded.errors}; ${cpuLine(loadedCpu, loadedCpuEnd, loaded)}`,
    );
    // The same, asking as a browser does: every browser sends Accept-Encoding, and the API answers
    // this route compressed when asked. This line is the figure the budget (p99 ≤ 25 ms) is judged
    // on: the line above (autocannon's default, 204 kB raw answers) measures how fast the load
    // generator reads 204 kB on the same two cores more than the server (bench/README.md).
    const browserCpu = cpuTimes();
    const browserLike = await generateLoad({ url: base + availabilityPath, connections: 100, duration: DURATION, headers: { 'accept-encoding': 'gzip, deflate, br' } });
    const browserCpuEnd = cpuTimes();
    console.log(
      `availability at 100 connections, as a browser asks (Accept-Encoding: gzip, deflate, br; budget p99 ≤ 25 ms judged here): ${browserLike.requestsPerSecond.toFixed(0)} req/s, latency p50 ${browserLike.p50} ms  p99 ${browserLike.p99} ms, ${(browserLike.bytesPerAnswer / 1024).toFixed(1)} kB per answer, non-2xx ${browserLike.non2xx}, errors ${browserLike.errors}; ${cpuLine(browserCpu, browserCpuEnd, browserLike)}`,
    );
    }

    // 2. Baseline: a bare Fastify route, one INSERT into the same table, same pool, far-future times.
    const bare = Fastify({ logger: false });
    let baselineCounter = 0;
    bare.post('/insert', async () => {
      const n = baselineCounter++;
      const start = new Date(Date.UTC(2031, 0, 1) + n * 3_600_000);
      await database.db.insert(schema.reservations).values({
        code: `B${String(n).padStart(7, '0')}`,
        resourceId: world.courts[n % COURTS]!,
        venueId: world.venue.id,
        userId: world.users[n % USERS]!,
        during: `[${start.toISOString()},${new Date(start.getTime() + 3_600_000).toISOString()})`,
        sport: 'badminton',
      });
      return { ok: true };
    });
    await bare.listen({ host: '127.0.0.1', port: 0 });
    const bareUrl = `http://127.0.0.1:${(bare.server.address() as { port: number }).port}/insert`;
    const baselineCpu = cpuTimes();
    const baseline = await generateLoad({ url: bareUrl, method: 'POST', connections: 50, duration: DURATION });
    console.log(`baseline, bare INSERT route: ${baseline.requestsPerSecond.toFixed(0)} req/s, p50 ${baseline.p50} ms, non-2xx ${baseline.non2xx}; ${cpuLine(baselineCpu, cpuTimes(), baseline)}`);
    await bare.close();

    // 3. Booking: every request a different resident, court and free hour, with its own key.
    const freeSlots: { court: string; start: string }[] = [];
    // Days 8–99: 25 760 free slots, more than a fast run books, so no request lands on a taken slot
    // or replays an earlier one.
    for (let d = 8; d <= 99; d++) {
      const date = addDays(world.today, d);
      for (let h = 8; h < 22; h++) {
        for (const court of world.courts) freeSlots.push({ court, start: `${date}T${String(h).padStart(2, '0')}:00:00+08:00` });
      }
    }
    const bookingCpu = cpuTimes();
    const booking = await generateLoad({
      url: `${base}/api/v1/reservations`,
      connections: 50,
      duration: DURATION,
      bookings: { tokens, slots: freeSlots, keyPrefix: `bench-${process.pid}` },
    });
    const bookingEnd = cpuTimes();
    // Only bookings made count (201), against the baseline's inserts made (200): a refusal, however
    // fast, is no booking.
    const booked = answeredPerSecond(booking, 201);
    const inserted = answeredPerSecond(baseline, 200);
    const ratio = booked / inserted;
    console.log(
      `booking: ${booking.requestsPerSecond.toFixed(0)} req/s, p50 ${booking.p50} ms  p99 ${booking.p99} ms; statuses ${JSON.stringify(booking.statuses)}; ${cpuLine(bookingCpu, bookingEnd, booking)}`,
    );
    console.log(`booked (201) ${booked.toFixed(0)}/s ÷ baseline inserts (200) ${inserted.toFixed(0)}/s = ${(ratio * 100).toFixed(0)} %  (budget ≥ 50 %)`);

    }

    if (ONLY === 'booking') {
      await app.close();
      return;
    }

    // 4. 500 residents at once for one slot.
    const contested = { court: world.courts[0]!, start: new Date(`${addDays(world.today, 110)}T10:00:00+08:00`) };
    const race = await Promise.all(
      Array.from({ length: 500 }, (_, i) =>
        fetch(`${base}/api/v1/reservations`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: tokens[i]!, 'idempotency-key': `race-${i}-${process.pid}` },
          body: JSON.stringify({ resourceId: contested.court, start: contested.start.toISOString(), end: new Date(contested.start.getTime() + 3_600_000).toISOString() }),
        }).then(async (res) => ({ status: res.status, code: res.status === 201 ? null : ((await res.json()) as { code: string }).code })),
      ),
    );
    const won = race.filter((r) => r.status === 201).length;
    const taken = race.filter((r) => r.status === 409 && r.code === 'SLOT_TAKEN').length;
    const other = race.length - won - taken;
    const others = race.filter((r) => r.status !== 201 && r.code !== 'SLOT_TAKEN').map((r) => `${r.status} ${r.code}`);
    console.log(`500 simultaneous attempts at one slot: ${won} booked, ${taken} SLOT_TAKEN, ${other} other  (budget 1 / 499 / 0)`);
    if (others.length > 0) console.log(`  the others: ${JSON.stringify(Object.fromEntries([...new Set(others)].map((o) => [o, others.filter((x) => x === o).length])))}`);
    await app.close();
  } finally {
    await drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
