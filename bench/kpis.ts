/**
 * The dashboard budget of issue 7: a year of activity for a city — at least 1 000 000 reservations
 * and 50 000 repair tickets — and the KPI request for that city and that year answering in
 * ≤ 500 ms p50. Generates the year in the database (set-based INSERTs), times the rollup backfill the
 * sweep would do, then times the KPI request over HTTP on loopback: the city and a year, one district
 * and a year, the city and a month. Prints figures; asserts nothing.
 *
 *   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres pnpm --filter @sports/bench kpis
 *
 * Without BENCH_DATABASE_URL it runs on PGlite with a tenth of the volume (BENCH_SCALE=0.1) unless
 * BENCH_SCALE says otherwise. Generating the year takes minutes: BENCH_KEEP=1 keeps the database, and
 * BENCH_REUSE_URL=<its URL> times the requests on it again without generating anything.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { eq, sql } from 'drizzle-orm';
import { openDatabase, schema, type Database } from '@sports/db';
import { addDays, localDate } from '@sports/domain';
import { regionSeeds } from '@sports/seeds';
import { buildApp } from '../apps/api/src/app.ts';
import { loadConfig } from '../apps/api/src/config.ts';
import { refreshKpiRange } from '../apps/api/src/services/dashboard/kpi-rollups.ts';
import { scratchDatabase } from './scratch.ts';
import { ms, percentiles } from './stats.ts';

const SCALE = Number(process.env.BENCH_SCALE ?? (process.env.BENCH_DATABASE_URL || process.env.BENCH_REUSE_URL ? 1 : 0.1));
const VENUES = Math.round(300 * SCALE);
const COURTS_PER_VENUE = 4;
/** Chance that a court's hour (08:00–22:00) is booked: 1 200 courts × 365 days × 14 h × p ≈ 1.07 M. */
const BOOKED_SHARE = 0.175;
const TICKETS = Math.round(50_500 * SCALE);
const USERS = 5000;
const RUNS = Number(process.env.BENCH_RUNS ?? 30);
const CITY = '410100';
const NOW = new Date('2026-11-23T12:00:00+08:00');

async function timed<T>(label: string, work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const result = await work();
  console.log(`  ${label}: ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return result;
}

async function generate(database: Database, from: string, to: string) {
  const db = database.db;
  const regions = regionSeeds();
  await db.insert(schema.regions).values(regions);
  const districts = regions.filter((r) => r.cityCode === CITY && r.level === 'district').map((r) => r.code);
  const [bureau] = await db.insert(schema.organisations).values({ kind: 'bureau', name: '郑州市体育局', cityCode: CITY }).returning();
  const [operator] = await db.insert(schema.organisations).values({ kind: 'operator', name: '基准运营公司', cityCode: CITY, parentId: bureau!.id }).returning();
  const everyDay = Object.fromEntries([1, 2, 3, 4, 5, 6, 7].map((d) => [d, [{ start: '08:00', end: '22:00' }]]));
  const kinds = ['gym', 'stadium', 'community_center', 'park'] as const;
  const venues = await db
    .insert(schema.venues)
    .values(
      Array.from({ length: VENUES }, (_, i) => ({
        organisationId: operator!.id,
        name: `基准场馆${i + 1}`,
        kind: kinds[i % kinds.length]!,
        cityCode: CITY,
        districtCode: districts[i % districts.length]!,
        lat: 34.7 + (i % 20) * 0.005,
        lng: 113.6 + Math.floor(i / 20) * 0.005,
        priceLevel: (['free', 'low', 'paid'] as const)[i % 3]!,
        holidayRule: 'as_weekend' as const,
        weeklyHours: everyDay,
      })),
    )
    .returning({ id: schema.venues.id });
  const sports = ['badminton', 'basketball', 'table_tennis', 'tennis'];
  for (let i = 0; i < venues.length; i += 100) {
    await db.insert(schema.venueResources).values(
      venues.slice(i, i + 100).flatMap((venue) =>
        Array.from({ length: COURTS_PER_VENUE }, (_, c) => ({ venueId: venue.id, name: `${c + 1}号场`, sport: sports[c % sports.length]!, mode: 'exclusive' as const })),
      ),
    );
  }
  await db.execute(sql`insert into ${schema.users} (phone, display_name, password_hash)
    select '15' || lpad(i::text, 9, '0'), '基准居民' || i, 'x' from generate_series(1, ${USERS}) i`);

  // Every court, every day of the year, every hour 08:00–21:00 booked with a fixed chance; statuses
  // as a year would leave them (5 % no-shows, 8 % cancelled, the rest attended).
  await timed('reservations', () =>
    db.execute(sql`
      insert into ${schema.reservations} (code, kind, resource_id, venue_id, user_id, during, status, sport, price_fen, created_at)
      with people as (select array_agg(id) as ids from ${schema.users})
      select 'B' || lpad(to_hex(row_number() over ()), 9, '0'), 'booking', c.id, c.venue_id,
             people.ids[1 + (random() * (${USERS} - 1))::int],
             tstzrange(((d + make_interval(hours => h))::timestamp) at time zone 'Asia/Shanghai', ((d + make_interval(hours => h + 1))::timestamp) at time zone 'Asia/Shanghai'),
             (case when random() < 0.05 then 'no_show' when random() < 0.084 then 'cancelled' else 'completed' end)::reservation_status,
             c.sport, 3000, d
      from people, ${schema.venueResources} c,
           generate_series(${from}::date, ${to}::date, interval '1 day') d,
           generate_series(8, 21) h
      where random() < ${BOOKED_SHARE}`),
  );
  await db.execute(sql`insert into ${schema.assets} (venue_id, code, type, name, install_date, service_life_years, status)
    select v.id, translate(upper(substr(md5(v.id::text || n::text), 1, 8)), '01', '23'), 'net', '球网' || n, '2024-01-01', 3,
           (case when random() < 0.06 then 'degraded' when random() < 0.02 then 'out_of_service' else 'ok' end)::asset_status
    from ${schema.venues} v, generate_series(1, 5) n
    on conflict do nothing`);
  await timed('tickets', () =>
    db.execute(sql`
      insert into ${schema.tickets} (code, organisation_id, venue_id, category, fault, reporter_phone, state, priority, due_at, resolved_at, closed_at, created_at, updated_at)
      select translate(upper(substr(md5('t' || i::text), 1, 8)), '01', '23'), ${operator!.id}, v.id, 'net', 'net_torn', '13700000000',
             (case when created > ${NOW.toISOString()}::timestamptz - interval '7 days' then 'accepted' else 'closed' end)::ticket_state,
             'normal', created + interval '72 hours',
             case when created > ${NOW.toISOString()}::timestamptz - interval '7 days' then null else created + make_interval(hours => (random() * 120)::int) end,
             case when created > ${NOW.toISOString()}::timestamptz - interval '7 days' then null else created + interval '8 days' end,
             created, created
      from (select i, ${from}::date + (random() * 364)::int + make_interval(hours => (random() * 23)::int) as created,
                   1 + i % ${VENUES} as n
            from generate_series(1, ${TICKETS}) i) g
      join (select id, row_number() over (order by id) as n from ${schema.venues}) v on v.n = g.n
      on conflict do nothing`),
  );
  await db.execute(sql`analyze`);
  const [counts] = (
    (await db.execute(sql`select (select count(*) from ${schema.reservations})::int as reservations, (select count(*) from ${schema.tickets})::int as tickets,
      (select count(*) from ${schema.venueResources})::int as courts`)) as unknown as { rows: { reservations: number; tickets: number; courts: number }[] }
  ).rows;
  return { counts: counts!, bureau: bureau!, districts };
}

/** A database kept by an earlier run (BENCH_KEEP): its bureau and districts, and how much it holds. */
async function reused(database: Database) {
  const [bureau] = await database.db.select().from(schema.organisations).where(eq(schema.organisations.kind, 'bureau'));
  const districts = regionSeeds()
    .filter((r) => r.cityCode === CITY && r.level === 'district')
    .map((r) => r.code);
  const [counts] = (
    (await database.db.execute(sql`select (select count(*) from ${schema.reservations})::int as reservations, (select count(*) from ${schema.tickets})::int as tickets`)) as unknown as {
      rows: { reservations: number; tickets: number }[];
    }
  ).rows;
  console.log(`  reusing a kept database: ${counts!.reservations} reservations, ${counts!.tickets} tickets`);
  return { bureau: bureau!, districts };
}

async function main() {
  const reuse = process.env.BENCH_REUSE_URL;
  const { database, drop } = reuse ? { database: await openDatabase({ url: reuse, poolSize: 10 }), drop: async () => {} } : await scratchDatabase(10);
  const dataDir = mkdtempSync(path.join(tmpdir(), 'sports-bench-'));
  try {
    const to = localDate(NOW, 'Asia/Shanghai');
    const from = addDays(to, -364);
    console.log(`${database.driver}: a year of activity (${from} … ${to}) for one city, scale ${SCALE}`);
    let world: { bureau: { id: string }; districts: string[] };
    if (reuse) world = await reused(database);
    else {
      await database.migrate();
      const generated = await timed('generated in all', () => generate(database, from, to));
      console.log(`  ${generated.counts.reservations} reservations, ${generated.counts.tickets} tickets, ${generated.counts.courts} courts in ${VENUES} venues`);
      const rollup = await timed('rollup backfill (what the first sweep does)', () => refreshKpiRange(database.db, from, to, NOW));
      console.log(`  ${rollup.rows} rollup rows (court-days)`);
      await timed('rolling refresh (what each later sweep does: 2 days back, 31 ahead)', () => refreshKpiRange(database.db, addDays(to, -2), addDays(to, 31), NOW));
      world = generated;
    }

    const app = await buildApp({
      config: loadConfig(
        {
          NODE_ENV: 'production',
          JWT_SECRET: 'bench-secret-bench-secret-bench-secret-0',
          IDENTITY_KEY: '0'.repeat(64),
          LOG_LEVEL: 'silent',
          WEB_DIST: '/nonexistent',
          RATE_LIMIT_PER_MINUTE: '100000000',
          SWEEP_INTERVAL_MINUTES: '0',
          BOOKING_SWEEP_SECONDS: '0',
          DATA_DIR: dataDir,
        },
        false,
      ),
      database,
      clock: () => NOW,
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
    await database.db.insert(schema.users).values({ phone: '13900009999', displayName: '基准局管理员', passwordHash: 'x' }).onConflictDoNothing();
    const [admin] = await database.db.select({ id: schema.users.id }).from(schema.users).where(eq(schema.users.phone, '13900009999'));
    await database.db.insert(schema.roleAssignments).values({ userId: admin!.id, role: 'bureau_admin', organisationId: world.bureau.id }).onConflictDoNothing();
    const token = `Bearer ${app.jwt.sign({ sub: admin!.id })}`;
    const measure = async (label: string, query: string) => {
      const url = `${base}/api/v1/kpis?${query}`;
      const first = await fetch(url, { headers: { authorization: token } });
      if (first.status !== 200) throw new Error(`${label}: ${first.status} ${await first.text()}`);
      await first.json();
      const samples: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const started = performance.now();
        const res = await fetch(url, { headers: { authorization: token } });
        await res.arrayBuffer();
        samples.push(performance.now() - started);
      }
      const p = percentiles(samples);
      console.log(`  ${label}: p50 ${ms(p.p50)}  p95 ${ms(p.p95)}  (n=${p.n})`);
    };
    console.log(`KPI request over HTTP (budget: city and a year p50 ≤ 500 ms):`);
    await measure('city, a year    ', `city=${CITY}&from=${from}&to=${to}`);
    await measure('district, a year', `city=${CITY}&district=${world.districts[0]}&from=${from}&to=${to}`);
    await measure('city, a month   ', `city=${CITY}&from=${addDays(to, -29)}&to=${to}`);
    await app.close();
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
    if (reuse) await database.close();
    await drop();
  }
}

await main();
