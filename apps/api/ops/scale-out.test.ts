import { randomBytes } from 'node:crypto';
import { createServer, type AddressInfo } from 'node:net';
import { loadavg } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { openDatabase, schema, type Database } from '@sports/db';
import { JINSHUI, PASSWORD, ZHENGZHOU, insertCityFixture, insertUser } from '../test/support/fixtures.ts';
import { hashPassword } from '../src/services/accounts/passwords.ts';
import {
  call,
  scratchDatabase,
  startHaproxy,
  startInstance,
  type Answer,
  type Balancer,
  type Instance,
  type LogLine,
  type ScratchDatabase,
} from './support/instances.ts';

/**
 * Several instances, one truth (issue 12): three API processes against one PostgreSQL behind
 * HAProxy, as docker-compose.yml runs them. What one instance does, every other sees: one booking
 * per slot however the racers are spread, a price changed on one instance charged by the others at
 * once, each sweep's work done once, and one request rate limit (Redis) and one sign-in brake
 * (PostgreSQL) for all of them. Every simulated client comes from an address of its own in
 * 127.0.0.0/8, so per-address limits see them as the separate people they stand for.
 */

const RATE_LIMIT = 20;
const PHONE_BRAKE = 5;
const RACERS = 500;
const SWEEP_SECONDS = 1;
const ZONE = 'Asia/Shanghai';
/** The Redis the instances share (`.ci/run` makes sure one answers on 127.0.0.1:6379). */
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379/0';

let database: ScratchDatabase;
let db: Database;
let redis: Redis;
const redisPrefix = `sports-ops-${randomBytes(4).toString('hex')}:`;
const instances: Instance[] = [];
let lb: Balancer;

const ids = {} as Record<'venue' | 'court' | 'sweepCourt', string>;
let operator: { id: string; phone: string };
let racers: { id: string; phone: string }[] = [];
let bookers: { id: string; phone: string }[] = [];
let sweepees: { id: string; phone: string }[] = [];
let braked: { id: string; phone: string };

/** Tomorrow's date in Zhengzhou, and an instant of it at a local hour. */
const tomorrow = new Intl.DateTimeFormat('en-CA', { timeZone: ZONE }).format(new Date(Date.now() + 86_400_000));
const atHour = (hour: number) => new Date(`${tomorrow}T${String(hour).padStart(2, '0')}:00:00+08:00`).toISOString();

const settings = (defaultPriceFen: number) => ({
  slotMinutes: 60 as const,
  minSlots: 1,
  maxSlots: 2,
  windowDays: 7,
  releaseTime: '00:00',
  cancelHours: 2,
  defaultPriceFen,
  bands: [],
});

/** A distinct loopback address per simulated client: 127.<block>.<n / 250>.<n % 250 + 1>. */
const address = (block: number, n: number) => `127.${block}.${Math.floor(n / 250)}.${(n % 250) + 1}`;

async function signIn(port: number, phone: string, from: string): Promise<string> {
  const res = await call(port, '/api/v1/auth/login', { method: 'POST', body: { phone, password: PASSWORD }, from });
  if (res.status !== 200) throw new Error(`sign-in of ${phone} answered ${res.status}: ${JSON.stringify(res.body)}`);
  return `Bearer ${res.body.accessToken as string}`;
}

function book(port: number, token: string, from: string, start: string, end: string): Promise<Answer> {
  return call(port, '/api/v1/reservations', {
    method: 'POST',
    from,
    headers: { authorization: token, 'idempotency-key': `ops-${randomBytes(8).toString('hex')}` },
    body: { resourceId: ids.court, start, end },
  });
}

/** How many answers each instance gave, by the balancer's `x-served-by`. */
function servedBy(answers: Answer[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const a of answers) {
    const name = String(a.headers['x-served-by'] ?? 'none');
    counts[name] = (counts[name] ?? 0) + 1;
  }
  return counts;
}

/** At most `limit` of `tasks` at a time. */
async function pooled<T>(items: T[], limit: number, task: (item: T, i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) {
        const i = next++;
        await task(items[i]!, i);
      }
    }),
  );
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const logsOf = (msg: string) => instances.map((i) => i.logs().filter((l: LogLine) => l.msg === msg));

beforeAll(async () => {
  database = await scratchDatabase();
  db = await openDatabase({ url: database.url, poolSize: 4 });
  redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });

  const orgs = await insertCityFixture(db.db);
  const allDay = Object.fromEntries([1, 2, 3, 4, 5, 6, 7].map((d) => [d, [{ start: '00:00', end: '24:00' }]]));
  const [venue] = await db.db
    .insert(schema.venues)
    .values({
      name: '扩容测试羽毛球馆',
      kind: 'gym',
      cityCode: ZHENGZHOU,
      districtCode: JINSHUI,
      lat: 34.78,
      lng: 113.66,
      priceLevel: 'paid',
      holidayRule: 'as_usual',
      organisationId: orgs.venueCo.id,
      weeklyHours: allDay,
      bookingSettings: settings(3000),
    })
    .returning({ id: schema.venues.id });
  ids.venue = venue!.id;
  const courts = await db.db
    .insert(schema.venueResources)
    .values([
      { venueId: venue!.id, name: '1号场', sport: 'badminton', mode: 'exclusive', indoor: true, sortOrder: 1 },
      { venueId: venue!.id, name: '2号场', sport: 'badminton', mode: 'exclusive', indoor: true, sortOrder: 2 },
    ])
    .returning({ id: schema.venueResources.id });
  [ids.court, ids.sweepCourt] = courts.map((c) => c.id) as [string, string];

  operator = await insertUser(db.db, [{ role: 'operator', organisationId: orgs.venueCo.id }]);
  const passwordHash = await hashPassword(PASSWORD);
  const people = async (prefix: string, n: number) =>
    db.db
      .insert(schema.users)
      .values(Array.from({ length: n }, (_, i) => ({ phone: `${prefix}${String(i).padStart(5, '0')}`, displayName: `居民${prefix}${i}`, passwordHash })))
      .returning({ id: schema.users.id, phone: schema.users.phone });
  racers = await people('135000', RACERS);
  bookers = await people('135100', 4);
  sweepees = await people('135200', 20);
  [braked] = (await people('135300', 1)) as [{ id: string; phone: string }];

  const secrets = { JWT_SECRET: randomBytes(32).toString('hex'), IDENTITY_KEY: randomBytes(32).toString('hex') };
  const env = {
    ...secrets,
    DATABASE_URL: database.url,
    REDIS_URL,
    REDIS_KEY_PREFIX: redisPrefix,
    RATE_LIMIT_PER_MINUTE: String(RATE_LIMIT),
    LOGIN_MAX_FAILURES_PER_PHONE: String(PHONE_BRAKE),
    TRUST_PROXY_HOPS: '1',
    BOOKING_SWEEP_SECONDS: String(SWEEP_SECONDS),
    SWEEP_INTERVAL_MINUTES: '60',
    // The machine is shared (CI runs other work beside it): a crowd waits for a free connection
    // however long that takes, so that overload shows as time in the figures rather than as 503s.
    DB_CONNECT_TIMEOUT_MS: '120000',
  };
  const started = Date.now();
  // Every instance that started is kept for afterAll to stop, also when another failed to start.
  const starting = await Promise.allSettled(['api1', 'api2', 'api3'].map((name) => startInstance(name, env)));
  for (const s of starting) if (s.status === 'fulfilled') instances.push(s.value);
  const failed = starting.find((s) => s.status === 'rejected');
  if (failed) throw failed.reason;
  lb = await startHaproxy(instances.map((i) => ({ name: i.name, port: i.port })));
  console.log(`scale-out: 3 instances and HAProxy ready in ${Date.now() - started} ms (ports ${instances.map((i) => i.port).join(', ')}; balancer ${lb.port})`);
}, 300_000);

afterAll(async () => {
  await lb?.stop();
  await Promise.all(instances.map((i) => i.stop()));
  const stray = instances.flatMap((i) => i.logs().filter((l) => l.level >= 50));
  if (stray.length > 0) console.log('scale-out: error lines in the instances’ logs:', stray.slice(0, 5));
  await db?.close();
  await database?.destroy();
  if (redis) {
    const keys = await redis.keys(`${redisPrefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  }
});

describe('three instances behind HAProxy, one PostgreSQL, one Redis', () => {
  it('500 residents racing for one slot across the instances: exactly one booking, 499 × SLOT_TAKEN, nothing else', async () => {
    const tokens: string[] = [];
    const signInStarted = Date.now();
    await pooled(racers, 24, async (racer, i) => {
      tokens[i] = await signIn(lb.port, racer.phone, address(1, i));
    });
    const signInMs = Date.now() - signInStarted;

    /** All of them at once for `hour`–`hour + 1` tomorrow, to `port`: the answers and how long they took. */
    const race = async (port: number, hour: number) => {
      const started = Date.now();
      const took: number[] = [];
      const answers = await Promise.all(
        racers.map((_, i) =>
          book(port, tokens[i]!, address(1, i), atHour(hour), atHour(hour + 1)).then((a) => {
            took.push(Date.now() - started);
            return a;
          }),
        ),
      );
      took.sort((a, b) => a - b);
      const statuses: Record<number, number> = {};
      for (const a of answers) statuses[a.status] = (statuses[a.status] ?? 0) + 1;
      const held = await database.query<{ n: number }>(
        `select count(*)::int as n from reservations where resource_id = $1 and status = 'confirmed' and during && tstzrange($2, $3)`,
        [ids.court, atHour(hour), atHour(hour + 1)],
      );
      const figures = `${Date.now() - started} ms (median answer ${took[took.length >> 1]} ms, last ${took.at(-1)} ms), load average ${loadavg()[0]!.toFixed(1)}`;
      return { answers, statuses, held: held[0]!.n, figures };
    };

    const spread = await race(lb.port, 10);
    const per = servedBy(spread.answers);
    console.log(
      `scale-out: ${RACERS} sign-ins through HAProxy in ${signInMs} ms; the race for one slot through HAProxy: ${spread.figures}; ` +
        `${JSON.stringify(spread.statuses)}; answers per instance ${JSON.stringify(per)}`,
    );
    expect(spread.statuses).toEqual({ 201: 1, 409: RACERS - 1 });
    expect(spread.answers.filter((a) => a.status === 409).every((a) => a.body.code === 'SLOT_TAKEN')).toBe(true);
    expect(Object.keys(per).sort()).toEqual(['api1', 'api2', 'api3']);
    for (const name of ['api1', 'api2', 'api3']) expect(per[name]).toBeGreaterThanOrEqual(RACERS / 3 - 10);
    expect(spread.held).toBe(1);

    // The same crowd for another slot, all at one instance: for comparison, and the same outcome.
    const single = await race(instances[0]!.port, 8);
    console.log(`scale-out: the same race at one instance directly: ${single.figures}; ${JSON.stringify(single.statuses)}`);
    expect(single.statuses).toEqual({ 201: 1, 409: RACERS - 1 });
    expect(single.held).toBe(1);
  });

  it('a price changed through instance 1 is what instances 2 and 3 charge for their next booking', async () => {
    const [, api2, api3] = instances as [Instance, Instance, Instance];
    const api1 = instances[0]!;
    const tokens = await Promise.all(bookers.map((b, i) => signIn(lb.port, b.phone, address(2, i))));
    // Each of instances 2 and 3 books once at the old price, which leaves the court's facts (and an
    // availability answer) kept in that process.
    const before = [await book(api2.port, tokens[0]!, address(2, 0), atHour(12), atHour(13)), await book(api3.port, tokens[1]!, address(2, 1), atHour(13), atHour(14))];
    expect(before.map((a) => [a.status, a.body.priceFen])).toEqual([
      [201, 3000],
      [201, 3000],
    ]);
    // Each look from an address of its own (the polling below would otherwise meet the rate limit).
    let looks = 0;
    const grid = (port: number) => call(port, `/api/v1/venues/${ids.venue}/availability?date=${tomorrow}&days=1`, { from: address(5, looks++) });
    const priceAt = (answer: Answer, hour: number) =>
      (answer.body.resources as { id: string; slots: { start: string; priceFen: number }[] }[])
        .find((r) => r.id === ids.court)!
        .slots.find((s) => Date.parse(s.start) === Date.parse(atHour(hour)))!.priceFen;
    expect(priceAt(await grid(api3.port), 16)).toBe(3000);

    const staff = await signIn(api1.port, operator.phone, address(2, 10));
    const changed = await call(api1.port, `/api/v1/venues/${ids.venue}/booking-settings`, {
      method: 'PUT',
      from: address(2, 10),
      headers: { authorization: staff },
      body: settings(4500),
    });
    expect(changed.status).toBe(200);
    const changedAt = Date.now();

    // Instance 2 books at once: its kept facts are refused under the locks, and it charges anew.
    const onTwo = await book(api2.port, tokens[2]!, address(2, 2), atHour(14), atHour(15));
    expect([onTwo.status, onTwo.body.priceFen]).toEqual([201, 4500]);
    // Instance 3 has had no write since it kept its availability answer: that answer may show the old
    // price for at most AVAILABILITY_CACHE_MS (1 s by default). Bookings never rely on it.
    let staleMs = 0;
    for (;;) {
      const shown = priceAt(await grid(api3.port), 16) === 4500;
      staleMs = Date.now() - changedAt;
      if (shown) break;
      expect(staleMs).toBeLessThan(2_500);
      await sleep(50);
    }
    // Instance 3 still keeps the facts of its first booking; its next booking is charged the new price.
    const onThree = await book(api3.port, tokens[3]!, address(2, 3), atHour(15), atHour(16));
    expect([onThree.status, onThree.body.priceFen]).toEqual([201, 4500]);
    const charged = await database.query<{ price_fen: number }>(
      `select price_fen from reservations where resource_id = $1 and during && tstzrange($2, $3) order by lower(during)`,
      [ids.court, atHour(12), atHour(16)],
    );
    expect(charged.map((r) => r.price_fen)).toEqual([3000, 3000, 4500, 4500]);
    console.log(`scale-out: price changed on instance 1; instance 2's next booking charged it at once, instance 3's kept availability showed it after ${staleMs} ms, its next booking charged it`);
  });

  it('a sweep tick does its work once across the instances: every no-show and reminder once, by one instance', async () => {
    // Ten bookings whose start passed three hours ago without a check-in, and ten starting within
    // the hour, written in one transaction so that the next tick finds them all at once.
    const now = Date.now();
    const span = (startMs: number) => `[${new Date(startMs).toISOString()},${new Date(startMs + 5 * 60_000).toISOString()})`;
    const rows = sweepees.map((user, i) => ({
      code: `OPS${randomBytes(4).toString('hex').toUpperCase()}`,
      resourceId: ids.sweepCourt,
      venueId: ids.venue,
      userId: user.id,
      sport: 'badminton',
      during: i < 10 ? span(now - 3 * 3_600_000 + i * 5 * 60_000) : span(now + 3_600_000 + (i - 10) * 5 * 60_000),
    }));
    const sweepLinesBefore = logsOf('booking sweep').map((l) => l.length);
    await db.db.insert(schema.reservations).values(rows);

    const deadline = Date.now() + 20_000;
    for (;;) {
      const [state] = await database.query<{ no_shows: number; reminded: number }>(
        `select count(*) filter (where status = 'no_show')::int as no_shows, count(*) filter (where reminder_sent_at is not null)::int as reminded
           from reservations where resource_id = $1`,
        [ids.sweepCourt],
      );
      if (state!.no_shows === 10 && state!.reminded === 10) break;
      expect(Date.now()).toBeLessThan(deadline);
      await sleep(200);
    }
    // A few more ticks on every instance, which must find nothing left to do.
    await sleep(3 * SWEEP_SECONDS * 1000 + 500);

    const worked = logsOf('booking sweep').map((lines, i) => lines.slice(sweepLinesBefore[i]));
    const passes = worked.flatMap((lines, i) => lines.map((l) => ({ instance: instances[i]!.name, noShows: l.noShows, reminded: l.reminded })));
    const texts = logsOf('sms (log sender)').flat();
    const notifications = await database.query<{ n: number; distinct_reservations: number }>(
      `select count(*)::int as n, count(distinct data->>'reservationId')::int as distinct_reservations
         from notifications where kind = 'reservation.reminder' and user_id = any($1::uuid[])`,
      [sweepees.map((s) => s.id)],
    );
    const ticks = instances.map((i) => i.name).join(', ');
    console.log(`scale-out: sweep passes that found work (${ticks} tick every ${SWEEP_SECONDS} s): ${JSON.stringify(passes)}; texts sent: ${texts.length}`);
    // Each pass is one instance's, under the lock; written at once, the twenty are usually found by
    // one pass (two when a pass began just as they were written). Never more than once in total.
    expect(passes.length).toBeGreaterThanOrEqual(1);
    expect(passes.length).toBeLessThanOrEqual(2);
    expect(passes.reduce((n, p) => n + Number(p.noShows), 0)).toBe(10);
    expect(passes.reduce((n, p) => n + Number(p.reminded), 0)).toBe(10);
    expect(texts).toHaveLength(10);
    expect(notifications[0]).toEqual({ n: 10, distinct_reservations: 10 });
  });

  it('one request rate limit for all instances (Redis): the ceiling holds for the total, not per instance', async () => {
    const from = address(3, 0);
    const answers: Answer[] = [];
    // Sent one after another through the balancer: round robin spreads them over the three. Every
    // other one claims another address in X-Forwarded-For: HAProxy adds the real one after it, and
    // the instances trust one hop only, so the claim changes nothing.
    for (let i = 0; i < 3 * RATE_LIMIT; i++) {
      answers.push(await call(lb.port, '/api/v1/regions', { from, headers: i % 2 ? { 'x-forwarded-for': `10.9.${i}.1` } : {} }));
    }
    const served = answers.filter((a) => a.status === 200);
    const limited = answers.filter((a) => a.status === 429);
    console.log(
      `scale-out: ${answers.length} requests from one address, limit ${RATE_LIMIT}/min: ${served.length} served ` +
        `${JSON.stringify(servedBy(served))}, ${limited.length} limited ${JSON.stringify(servedBy(limited))}`,
    );
    expect(served).toHaveLength(RATE_LIMIT);
    expect(limited).toHaveLength(2 * RATE_LIMIT);
    expect(limited.every((a) => a.body.code === 'RATE_LIMITED')).toBe(true);
    expect(Object.keys(servedBy(served)).sort()).toEqual(['api1', 'api2', 'api3']);
    expect(Object.keys(servedBy(limited)).sort()).toEqual(['api1', 'api2', 'api3']);
    // The counter is the shared one, under this deployment's prefix.
    expect(Number(await redis.get(`${redisPrefix}rate-limit:${from}`))).toBe(3 * RATE_LIMIT);
    // Another address is counted on its own.
    expect((await call(lb.port, '/api/v1/regions', { from: address(3, 1) })).status).toBe(200);
  });

  it('one sign-in brake for all instances (PostgreSQL): wrong passwords spread over them are stopped at the configured count', async () => {
    const attempts = 3 * 4;
    const answers: Answer[] = [];
    // Each guess from an address of its own, so that only the per-phone brake can stop them.
    for (let i = 0; i < attempts; i++) {
      answers.push(await call(lb.port, '/api/v1/auth/login', { method: 'POST', from: address(4, i), body: { phone: braked.phone, password: 'wrong-password-123' } }));
    }
    const refused = answers.filter((a) => a.status === 401);
    const braking = answers.filter((a) => a.status === 429);
    console.log(
      `scale-out: ${attempts} wrong passwords for one phone across the instances, brake ${PHONE_BRAKE}: ${refused.length} checked ` +
        `${JSON.stringify(servedBy(refused))}, ${braking.length} braked ${JSON.stringify(servedBy(braking))}`,
    );
    expect(refused).toHaveLength(PHONE_BRAKE);
    expect(refused.every((a) => a.body.code === 'INVALID_CREDENTIALS')).toBe(true);
    expect(braking).toHaveLength(attempts - PHONE_BRAKE);
    expect(braking.every((a) => a.body.code === 'LOGIN_THROTTLED')).toBe(true);
    expect(Object.keys(servedBy(answers)).sort()).toEqual(['api1', 'api2', 'api3']);
    // The right password too, on every instance, while the brake holds.
    for (const [n, instance] of instances.entries()) {
      const res = await call(instance.port, '/api/v1/auth/login', { method: 'POST', from: address(4, 100 + n), body: { phone: braked.phone, password: PASSWORD } });
      expect(res.status).toBe(429);
    }
  });

  it('no instance logged an error through all of the above', () => {
    const errors = instances.flatMap((i) => i.logs().filter((l) => l.level >= 50).map((l) => ({ instance: i.name, msg: l.msg, err: l.err })));
    expect(errors).toEqual([]);
  });

  it('an instance joining later: with Redis unreachable its rate limit fails open (one warning); it finds the rollups fresh and skips them', async () => {
    // A "Redis" that accepts connections and never answers: the harder outage (a refused
    // connection is reported by the same path, sooner).
    const blackHole = createServer(() => {});
    await new Promise<void>((resolve) => blackHole.listen(0, '127.0.0.1', resolve));
    const deadPort = (blackHole.address() as AddressInfo).port;
    const lonely = await startInstance('api-no-redis', {
      JWT_SECRET: randomBytes(32).toString('hex'),
      IDENTITY_KEY: randomBytes(32).toString('hex'),
      DATABASE_URL: database.url,
      REDIS_URL: `redis://127.0.0.1:${deadPort}`,
      RATE_LIMIT_PER_MINUTE: '2',
      BOOKING_SWEEP_SECONDS: '0',
      SWEEP_INTERVAL_MINUTES: '60',
    });
    try {
      const answers: Answer[] = [];
      const started = Date.now();
      for (let i = 0; i < 5; i++) answers.push(await call(lonely.port, '/api/v1/regions'));
      const servedMs = Date.now() - started;
      expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200]);
      const warnings = () => lonely.logs().filter((l) => l.level === 40 && String(l.msg).startsWith('redis unreachable'));
      const warned = Date.now() + 10_000;
      while (warnings().length === 0) {
        expect(Date.now()).toBeLessThan(warned);
        await sleep(100);
      }
      expect(warnings()).toHaveLength(1);
      console.log(`scale-out: Redis answering nothing: 5 requests served uncounted in ${servedMs} ms, one warning logged`);
      // The three refreshed the dashboard's rollups when they started; a fourth, started within the
      // hour, leaves them be.
      const deadline = Date.now() + 30_000;
      while (!lonely.logs().some((l) => String(l.msg).startsWith('dashboard rollups'))) {
        expect(Date.now()).toBeLessThan(deadline);
        await sleep(100);
      }
      expect(lonely.logs().filter((l) => String(l.msg).startsWith('dashboard rollups')).map((l) => l.msg)).toEqual(['dashboard rollups fresh; refresh skipped']);
      const refreshes = logsOf('dashboard rollups refreshed').map((lines) => lines.length);
      console.log(`scale-out: dashboard rollup refreshes at start by the three: ${JSON.stringify(refreshes)}; the fourth skipped`);
    } finally {
      await lonely.stop();
      blackHole.close();
    }
  });
});
