import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { isDatabaseUnavailable, openDatabase } from '@sports/db';
import { startCluster, type Cluster } from './support/cluster.ts';
import { createBookingWorld, RESIDENT_PASSWORD, type BookingWorld } from './support/booking-world.ts';
import { startBookingLoad, signIn, tally, watchReadiness, type Answer, type Booked } from './support/load.ts';
import { startServer, type ServerProcess } from './support/server.ts';
import { startTcpProxy } from './support/tcp-proxy.ts';

/**
 * Issue 12, finding 1: database connections that drop with queries in flight (sessions terminated,
 * the database restarted, TCP connections reset) must not take the API down. Under booking load the
 * real server process survives, answers 503 problem+json while the database is away, recovers by
 * itself within seconds (/readyz too), and every booking it answered 201 is in the table afterwards.
 * The cluster is the test's own, so stopping it disturbs nothing else. Figures go to stdout ([faults]).
 */
const RESIDENTS = 16;
const RECOVERY_LIMIT_MS = 10_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let cluster: Cluster;
let world: BookingWorld;
let server: ServerProcess;
let tokens: string[];
let slots: { resourceId: string; start: string; end: string }[];

beforeAll(async () => {
  cluster = await startCluster();
  world = await createBookingWorld(cluster.url(), { courts: 60, residents: RESIDENTS });
  slots = world.slots(13);
  server = await startServer({ DATABASE_URL: cluster.url() });
  const byPhone = await signIn(server.url, world.residents.map((r) => r.phone), RESIDENT_PASSWORD).catch((err: Error) => {
    throw new Error(`${err.message}\nserver output:\n${server.output().slice(-3000)}`);
  });
  tokens = [...byPhone.values()];
});

afterAll(async () => {
  await server?.stop();
  await cluster?.destroy();
});

/** The slice of the remaining slots a scenario books from, so that no two scenarios reuse one. */
function takeSlots(n = 12_000) {
  return slots.splice(0, n);
}

/** The answers a client of the API may see while the database is away: a success, or a problem+json 503 (or a 409). */
function unexpected(answers: Answer[]): Answer[] {
  return answers.filter((a) => !(a.status >= 200 && a.status < 300) && !(a.problem && (a.status === 503 || a.status === 409)));
}

/** Every booking answered 201 is in the table: confirmed, or cancelled only when a cancel was asked for. */
async function checkBookingsKept(booked: Booked[]): Promise<{ confirmed: number; cancelled: number }> {
  const rows = await cluster.query<{ id: string; status: string; resource_id: string; start: Date }>(
    `select id, status, resource_id, lower(during) as start from reservations where id = any($1::uuid[])`,
    [booked.map((b) => b.id)],
  );
  const byId = new Map(rows.map((r) => [r.id, r]));
  const missing = booked.filter((b) => !byId.has(b.id));
  expect(missing, 'bookings answered 201 that are not in the table').toEqual([]);
  const wronglyCancelled = booked.filter((b) => !b.cancel && byId.get(b.id)!.status !== 'confirmed');
  expect(wronglyCancelled, 'confirmed bookings that lost their status').toEqual([]);
  const notCancelled = booked.filter((b) => b.cancel === 'cancelled' && byId.get(b.id)!.status !== 'cancelled');
  expect(notCancelled, 'cancels answered 200 that did not happen').toEqual([]);
  for (const b of booked) {
    const row = byId.get(b.id)!;
    expect(row.resource_id).toBe(b.resourceId);
    expect(new Date(row.start).toISOString()).toBe(b.start);
  }
  return { confirmed: rows.filter((r) => r.status === 'confirmed').length, cancelled: rows.filter((r) => r.status === 'cancelled').length };
}

function expectAlive(which = server, load?: { exhausted(): boolean }) {
  if (load) expect(load.exhausted(), 'the load ran out of slots before the scenario ended').toBe(false);
  expect(which.alive(), `the server exited:\n${which.output().slice(-4000)}`).toBe(true);
  expect(which.output()).not.toContain('shutting down after an error');
}

/** Milliseconds from `since` to the first answer of `what` with `status` after it (undefined: none). */
function firstAfter(answers: Answer[], since: number, what: Answer['what'], status: number): number | undefined {
  const hit = answers.filter((a) => a.what === what && a.status === status && a.at >= since).sort((a, b) => a.at - b.at)[0];
  return hit ? hit.at - since : undefined;
}

describe('a pooled connection that dies while checked out', () => {
  it('fails the transaction holding it, as “database unavailable”, and nothing reaches the process as uncaught', async () => {
    const uncaught: unknown[] = [];
    const record = (err: unknown) => uncaught.push(err);
    process.prependListener('uncaughtException', record);
    const database = await openDatabase({ url: cluster.url(), onConnectionLost: () => {} });
    try {
      const outcome = await database.db
        .transaction(async (tx) => {
          const { rows } = (await tx.execute(sql`select pg_backend_pid() as pid`)) as unknown as { rows: { pid: number }[] };
          await cluster.query('select pg_terminate_backend($1)', [rows[0]!.pid]);
          // The session's end reaches the client while the transaction holds it, between statements.
          await sleep(300);
          await tx.execute(sql`select 1`);
        })
        .then(
          () => 'committed',
          (err: unknown) => err,
        );
      expect(outcome).toBeInstanceOf(Error);
      expect(isDatabaseUnavailable(outcome)).toBe(true);
      expect(uncaught).toEqual([]);
      // The pool dropped the dead connection and opens a new one.
      await database.ping();
    } finally {
      process.removeListener('uncaughtException', record);
      await database.close();
    }
  });
});

describe('database connections dropped under booking load', () => {
  it('terminating the app’s sessions again and again: the process stays up, answers 503 problem+json, keeps every 201', async () => {
    const load = startBookingLoad(server.url, tokens, takeSlots());
    const readiness = watchReadiness(server.url);
    const terminated: number[] = [];
    await sleep(1500);
    for (let round = 0; round < 5; round++) {
      terminated.push(await cluster.terminateSessions());
      await sleep(1500);
    }
    const lastTermination = Date.now() - 1500;
    await sleep(1500);
    await load.stop();
    await readiness.stop();
    await sleep(200);

    const kept = await checkBookingsKept(load.booked);
    const recoveryMs = firstAfter(load.answers, lastTermination, 'book', 201);
    console.log(
      `[faults] sessions terminated: ${terminated.join(', ')}; answers: ${JSON.stringify(tally([...load.answers, ...readiness.answers]))}; ` +
        `bookings answered 201: ${load.booked.length} (in the table: ${kept.confirmed} confirmed, ${kept.cancelled} cancelled); ` +
        `first 201 after the last termination: ${recoveryMs} ms`,
    );
    expectAlive(server, load);
    expect(terminated.reduce((a, b) => a + b, 0), 'sessions the test terminated').toBeGreaterThan(0);
    expect(unexpected([...load.answers, ...readiness.answers])).toEqual([]);
    expect(load.answers.filter((a) => a.status === 503).every((a) => a.code === 'UNAVAILABLE' && a.retryAfter)).toBe(true);
    expect(recoveryMs).toBeDefined();
    expect(recoveryMs!).toBeLessThan(RECOVERY_LIMIT_MS);
    expect(firstAfter(readiness.answers, lastTermination, 'readyz', 200)).toBeLessThan(RECOVERY_LIMIT_MS);
    expect(load.booked.length).toBeGreaterThan(50);
  });

  it('restarting the database: 503 problem+json while it is away, recovery within seconds, every 201 kept', async () => {
    const load = startBookingLoad(server.url, tokens, takeSlots());
    const readiness = watchReadiness(server.url);
    await sleep(1500);
    const stopping = Date.now();
    await cluster.stop('fast');
    const down = Date.now();
    await sleep(3000);
    const starting = Date.now();
    await cluster.start();
    const up = Date.now();
    const deadline = up + RECOVERY_LIMIT_MS;
    while (Date.now() < deadline && (firstAfter(load.answers, up, 'book', 201) === undefined || firstAfter(readiness.answers, up, 'readyz', 200) === undefined)) {
      await sleep(100);
    }
    await sleep(1500);
    await load.stop();
    await readiness.stop();

    const kept = await checkBookingsKept(load.booked);
    const whileDown = [...load.answers, ...readiness.answers].filter((a) => a.at >= down && a.done < starting);
    const bookingRecoveryMs = firstAfter(load.answers, up, 'book', 201);
    const readyRecoveryMs = firstAfter(readiness.answers, up, 'readyz', 200);
    console.log(
      `[faults] restart: stop took ${down - stopping} ms, down ${starting - down} ms, start took ${up - starting} ms; answers: ${JSON.stringify(tally([...load.answers, ...readiness.answers]))}; ` +
        `while down: ${JSON.stringify(tally(whileDown))}; bookings answered 201: ${load.booked.length} ` +
        `(in the table: ${kept.confirmed} confirmed, ${kept.cancelled} cancelled); ` +
        `after the start: first 201 in ${bookingRecoveryMs} ms, /readyz 200 in ${readyRecoveryMs} ms`,
    );
    expectAlive(server, load);
    expect(unexpected([...load.answers, ...readiness.answers])).toEqual([]);
    expect(whileDown.filter((a) => a.what === 'book' && a.status === 503).length, 'bookings answered 503 while the database was down').toBeGreaterThan(0);
    expect(whileDown.filter((a) => a.what === 'readyz' && a.status === 503).length, '/readyz answered 503 while the database was down').toBeGreaterThan(0);
    expect(whileDown.filter((a) => a.status !== 503)).toEqual([]);
    expect([...load.answers, ...readiness.answers].filter((a) => a.status === 503).every((a) => a.code === 'UNAVAILABLE' && a.retryAfter)).toBe(true);
    expect(bookingRecoveryMs).toBeDefined();
    expect(bookingRecoveryMs!).toBeLessThan(RECOVERY_LIMIT_MS);
    expect(readyRecoveryMs).toBeDefined();
    expect(readyRecoveryMs!).toBeLessThan(RECOVERY_LIMIT_MS);
  });

  it('resetting the TCP connections between the app and the database: the same, through a proxy that cuts them', async () => {
    const proxy = await startTcpProxy({ port: cluster.port });
    const behindProxy = await startServer({ DATABASE_URL: `postgres://postgres@127.0.0.1:${proxy.port}/postgres` });
    try {
      const load = startBookingLoad(behindProxy.url, tokens, takeSlots());
      const readiness = watchReadiness(behindProxy.url);
      const reset: number[] = [];
      await sleep(1500);
      for (let round = 0; round < 5; round++) {
        reset.push(proxy.resetAll());
        await sleep(1500);
      }
      const lastReset = Date.now() - 1500;
      await sleep(1500);
      await load.stop();
      await readiness.stop();

      const kept = await checkBookingsKept(load.booked);
      const recoveryMs = firstAfter(load.answers, lastReset, 'book', 201);
      console.log(
        `[faults] connections reset: ${reset.join(', ')}; answers: ${JSON.stringify(tally([...load.answers, ...readiness.answers]))}; ` +
          `bookings answered 201: ${load.booked.length} (in the table: ${kept.confirmed} confirmed, ${kept.cancelled} cancelled); ` +
          `first 201 after the last reset: ${recoveryMs} ms`,
      );
      expectAlive(behindProxy, load);
      expect(reset.reduce((a, b) => a + b, 0), 'connections the test reset').toBeGreaterThan(0);
      expect(unexpected([...load.answers, ...readiness.answers])).toEqual([]);
      expect(load.answers.filter((a) => a.status === 503).every((a) => a.code === 'UNAVAILABLE' && a.retryAfter)).toBe(true);
      expect(recoveryMs).toBeDefined();
      expect(recoveryMs!).toBeLessThan(RECOVERY_LIMIT_MS);
      expect(firstAfter(readiness.answers, lastReset, 'readyz', 200)).toBeLessThan(RECOVERY_LIMIT_MS);
    } finally {
      await behindProxy.stop();
      await proxy.close();
    }
  });
});
