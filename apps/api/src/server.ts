import { readFileSync } from 'node:fs';
import path from 'node:path';
import closeWithGrace from 'close-with-grace';
import { count, sql } from 'drizzle-orm';
import { MIGRATIONS_FOLDER, openDatabase, schema, type Database } from '@sports/db';
import { localDate } from '@sports/domain';
import { loadDemoData } from '@sports/seeds';
import { buildApp } from './app.ts';
import { loadConfig } from './config.ts';
import { logDestination, startupLog } from './log-format.ts';

/** A clock that starts at `iso` and runs at the real pace (browser journeys only; see TEST_CLOCK). */
function runningFrom(iso: string): () => Date {
  const offset = new Date(iso).getTime() - Date.now();
  return () => new Date(Date.now() + offset);
}

/**
 * The only place that listens. On the embedded database the schema is migrated at start and the demo
 * data is loaded into a new database; against PostgreSQL, `pnpm db:migrate` and `pnpm db:seed` do that.
 */
const config = loadConfig();
const embedded = !config.DATABASE_URL;
const logStream = logDestination(config);
const progress = startupLog(config, logStream);
const started = Date.now();
const seconds = (from: number) => Number(((Date.now() - from) / 1000).toFixed(1));

/** How many of the repository's migrations this database has not applied yet (all of them on a new database). */
async function pendingMigrations(database: Database): Promise<{ pending: number; total: number }> {
  const journal = JSON.parse(readFileSync(path.join(MIGRATIONS_FOLDER, 'meta/_journal.json'), 'utf8')) as { entries: unknown[] };
  const total = journal.entries.length;
  try {
    const result = await database.db.execute<{ n: number }>(sql`select count(*)::int as n from drizzle.__drizzle_migrations`);
    const rows = (result as unknown as { rows: { n: number }[] }).rows;
    return { pending: Math.max(0, total - (rows[0]?.n ?? 0)), total };
  } catch {
    return { pending: total, total }; // a new database: no migrations table yet
  }
}

/** What the demo data put in, for the start's progress line. */
async function demoCounts(database: Database): Promise<Record<string, number>> {
  const tables = {
    organisations: schema.organisations,
    accounts: schema.users,
    venues: schema.venues,
    courts: schema.venueResources,
    assets: schema.assets,
    bookings: schema.reservations,
  };
  const counts: Record<string, number> = {};
  for (const [name, table] of Object.entries(tables)) {
    const [row] = await database.db.select({ n: count() }).from(table);
    counts[name] = row?.n ?? 0;
  }
  return counts;
}

progress.info('opening the database', embedded ? { driver: 'pglite', dir: path.join(config.DATA_DIR, 'db') } : { driver: 'postgres' });
let connectionLost = (message: string) => console.warn(`database connection lost (${message})`);
const database = await openDatabase({
  url: config.DATABASE_URL,
  dataDir: path.join(config.DATA_DIR, 'db'),
  connectTimeoutMs: config.DB_CONNECT_TIMEOUT_MS,
  statementTimeoutMs: config.DB_STATEMENT_TIMEOUT_MS,
  idleInTransactionTimeoutMs: config.DB_IDLE_IN_TRANSACTION_TIMEOUT_MS,
  keepAliveMs: config.DB_KEEPALIVE_MS,
  // A lost connection is not fatal: the request on it is answered 503 and the pool opens a new one.
  onConnectionLost: (err) => connectionLost(err.message),
});
progress.info('database open', { seconds: seconds(started) });
if (embedded) {
  const { pending, total } = await pendingMigrations(database);
  const migrating = Date.now();
  if (pending > 0) progress.info(`migrating: ${pending} migrations to apply`, { pending, total });
  await database.migrate();
  if (pending > 0) progress.info('migrations applied', { applied: pending, seconds: seconds(migrating) });
  else progress.info('schema up to date', { migrations: total });
  if (config.SEED_DEMO_DATA && config.NODE_ENV !== 'production') {
    // The demo's past activity ends where the app's clock says today is.
    const today = localDate(config.TEST_CLOCK ? new Date(config.TEST_CLOCK) : new Date(), 'Asia/Shanghai');
    const seeding = Date.now();
    progress.info('loading the demo data if the database is new: Zhengzhou and Ordos, organisations, accounts, venues, equipment, four weeks of bookings');
    if (await loadDemoData(database.db, { onlyIfEmpty: true, today })) {
      progress.info('demo data loaded (every demo account\'s password is demo12345)', { ...(await demoCounts(database)), seconds: seconds(seeding) });
    } else {
      progress.info('demo data already there, kept as it is');
    }
  }
}

progress.info('starting the server (sweeps first: opening intervals, school sessions, dashboard rollups)');
const app = await buildApp({
  config,
  database,
  ...(config.TEST_CLOCK ? { clock: runningFrom(config.TEST_CLOCK) } : {}),
  ...(logStream ? { logStream } : {}),
});
connectionLost = (message) => app.log.warn({ err: { message } }, 'database connection lost');

closeWithGrace({ delay: 10_000 }, async ({ err, signal }) => {
  if (err) app.log.error({ err }, 'shutting down after an error');
  else app.log.info({ signal }, 'shutting down');
  await app.close();
  await database.close();
});

await app.listen({ host: config.HOST, port: config.PORT });
app.log.info(
  { database: embedded ? `embedded in ${config.DATA_DIR}` : 'PostgreSQL', seconds: seconds(started) },
  `ready: open http://localhost:${config.PORT}`,
);
