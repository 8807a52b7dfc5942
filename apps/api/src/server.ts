import path from 'node:path';
import closeWithGrace from 'close-with-grace';
import { openDatabase } from '@sports/db';
import { localDate } from '@sports/domain';
import { loadDemoData } from '@sports/seeds';
import { buildApp } from './app.ts';
import { loadConfig } from './config.ts';

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
if (embedded) {
  await database.migrate();
  if (config.SEED_DEMO_DATA && config.NODE_ENV !== 'production') {
    // The demo's past activity ends where the app's clock says today is.
    const today = localDate(config.TEST_CLOCK ? new Date(config.TEST_CLOCK) : new Date(), 'Asia/Shanghai');
    await loadDemoData(database.db, { onlyIfEmpty: true, today });
  }
}

const app = await buildApp({ config, database, ...(config.TEST_CLOCK ? { clock: runningFrom(config.TEST_CLOCK) } : {}) });
connectionLost = (message) => app.log.warn({ err: { message } }, 'database connection lost');

closeWithGrace({ delay: 10_000 }, async ({ err, signal }) => {
  if (err) app.log.error({ err }, 'shutting down after an error');
  else app.log.info({ signal }, 'shutting down');
  await app.close();
  await database.close();
});

await app.listen({ host: config.HOST, port: config.PORT });
app.log.info(`${embedded ? 'embedded database in ' + config.DATA_DIR : 'PostgreSQL'}; open http://localhost:${config.PORT}`);
