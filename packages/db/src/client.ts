import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { btree_gist } from '@electric-sql/pglite/contrib/btree_gist';
import type { ExtractTablesWithRelations } from 'drizzle-orm';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import pg from 'pg';
import * as schema from './schema.ts';

export type Schema = typeof schema;
/** One handle type for both drivers, so services never know which database they run on. */
export type Db = PgDatabase<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
export type Tx = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
/** Either the database or a transaction: what a query helper accepts. */
export type Queryable = Db | Tx;

export const MIGRATIONS_FOLDER = fileURLToPath(new URL('../../../migrations', import.meta.url));

export interface Database {
  db: Db;
  driver: 'pglite' | 'postgres';
  /** Applies every pending migration from `migrations/`. */
  migrate(): Promise<void>;
  /** Answers when the database can run a query. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** PostgreSQL connection string. When absent, an embedded PGlite database is used. */
  url?: string | undefined;
  /** Folder for the embedded database's files; `memory://` keeps it in memory. */
  dataDir?: string | undefined;
  /** Starts the embedded database from a dump made by `dumpDataDir()` (tests use a migrated template). */
  loadDataDir?: Blob | File | undefined;
  poolSize?: number | undefined;
  /** PostgreSQL only: how long to wait for a connection (a new one, or a free one of the pool); 0 waits forever. */
  connectTimeoutMs?: number | undefined;
  /** PostgreSQL only: `statement_timeout` of every session; 0 = none. */
  statementTimeoutMs?: number | undefined;
  /** PostgreSQL only: `idle_in_transaction_session_timeout` of every session; 0 = none. */
  idleInTransactionTimeoutMs?: number | undefined;
  /** PostgreSQL only: TCP keepalive on every connection, first probe after this long idle; 0 = off. */
  keepAliveMs?: number | undefined;
  /** PostgreSQL only: told when a connection is lost (defaults to a warning on stderr). */
  onConnectionLost?: ((err: Error) => void) | undefined;
}

/** Defaults of the PostgreSQL timeouts (the server's settings pass their own). */
export const POSTGRES_DEFAULTS = {
  connectTimeoutMs: 10_000,
  statementTimeoutMs: 30_000,
  idleInTransactionTimeoutMs: 60_000,
  keepAliveMs: 10_000,
} as const;

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  if (options.url) return openPostgres(options.url, options);
  return openPglite(options.dataDir ?? 'memory://', options.loadDataDir);
}

function openPostgres(url: string, options: DatabaseOptions): Database {
  const connectTimeoutMs = options.connectTimeoutMs ?? POSTGRES_DEFAULTS.connectTimeoutMs;
  const statementTimeoutMs = options.statementTimeoutMs ?? POSTGRES_DEFAULTS.statementTimeoutMs;
  const idleInTransactionTimeoutMs = options.idleInTransactionTimeoutMs ?? POSTGRES_DEFAULTS.idleInTransactionTimeoutMs;
  const keepAliveMs = options.keepAliveMs ?? POSTGRES_DEFAULTS.keepAliveMs;
  const lost = options.onConnectionLost ?? ((err: Error) => console.warn(`postgres: connection lost (${err.message})`));
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 10,
    connectionTimeoutMillis: connectTimeoutMs,
    keepAlive: keepAliveMs > 0,
    keepAliveInitialDelayMillis: keepAliveMs,
    // Sent with the startup packet: no extra round trip, and in force before the first query.
    ...(statementTimeoutMs > 0 ? { statement_timeout: statementTimeoutMs } : {}),
    ...(idleInTransactionTimeoutMs > 0 ? { idle_in_transaction_session_timeout: idleInTransactionTimeoutMs } : {}),
    fallback_application_name: 'sports-api',
  });
  // A connection that dies (the server terminates the session or restarts, a TCP reset) emits
  // 'error' on its client. The pool listens only while the client is idle; a client checked out
  // (by a Drizzle transaction, between its statements) has no listener, and Node turns an 'error'
  // event nobody hears into an uncaught exception, which ends the process. So every client gets a
  // listener of its own for life: the statement in flight fails on its own (and is answered 503),
  // the next one fails at once as "not queryable", and the pool drops the client when it is released.
  pool.on('connect', (client) => {
    client.on('error', lost);
  });
  // The pool re-emits an idle client's error; the client's own listener above has reported it.
  pool.on('error', () => {});
  const db = drizzlePg(pool, { schema }) as unknown as Db;
  return {
    db,
    driver: 'postgres',
    // On a connection of its own, without the statement timeouts: a migration may rewrite a big table.
    migrate: async () => {
      const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: connectTimeoutMs });
      client.on('error', lost);
      await client.connect();
      try {
        await migratePg(drizzlePg(client), { migrationsFolder: MIGRATIONS_FOLDER });
      } finally {
        await client.end();
      }
    },
    ping: async () => {
      await pool.query('select 1');
    },
    close: once(() => pool.end()),
  };
}

async function openPglite(dataDir: string, loadDataDir: Blob | File | undefined): Promise<Database> {
  if (!dataDir.includes('://')) mkdirSync(path.resolve(dataDir), { recursive: true });
  const client = await PGlite.create({
    dataDir,
    extensions: { btree_gist },
    ...(loadDataDir ? { loadDataDir } : {}),
  });
  const db = drizzlePglite(client, { schema }) as unknown as Db;
  return {
    db,
    driver: 'pglite',
    migrate: () => migratePglite(drizzlePglite(client), { migrationsFolder: MIGRATIONS_FOLDER }),
    ping: async () => {
      await client.query('select 1');
    },
    close: once(() => client.close()),
  };
}

/** Closing twice (a shutdown hook after a failed start, a test's teardown) is harmless. */
function once(close: () => Promise<void>): () => Promise<void> {
  let closing: Promise<void> | undefined;
  return () => (closing ??= close());
}

/** The migrated embedded database as a tarball, for tests that start many copies of it. */
export async function dumpMigratedPglite(): Promise<Blob> {
  const client = await PGlite.create({ extensions: { btree_gist } });
  try {
    await migratePglite(drizzlePglite(client), { migrationsFolder: MIGRATIONS_FOLDER });
    return await client.dumpDataDir('none');
  } finally {
    await client.close();
  }
}
