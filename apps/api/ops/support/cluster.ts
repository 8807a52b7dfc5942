import { execFile } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);

/** Debian's newest PostgreSQL binaries (`/usr/lib/postgresql/<version>/bin`). */
export function postgresBin(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((v) => existsSync(path.join(root, v, 'bin', 'pg_ctl'))) : [];
  const newest = versions.sort((a, b) => Number(a) - Number(b)).at(-1);
  if (!newest) throw new Error('no PostgreSQL binaries in /usr/lib/postgresql (apt-get install postgresql)');
  return path.join(root, newest, 'bin');
}

/** A TCP port nobody listens on right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/** One statement on a connection of its own, closed after: for setup and for the faults a test causes. */
export async function queryOnce<T extends pg.QueryResultRow>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => {});
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

export interface Cluster {
  port: number;
  /** The cluster's folder (data, log, socket). */
  dir: string;
  /** Connection string of a database in this cluster (default `postgres`). */
  url(database?: string): string;
  /** Stops the server (`fast`: disconnects every session, as an operator's restart does). */
  stop(mode?: 'fast' | 'immediate'): Promise<void>;
  start(): Promise<void>;
  /** Stop, wait `downMs`, start again. */
  restart(downMs?: number): Promise<void>;
  /** One statement on a connection of its own (opened and closed around it). */
  query<T extends pg.QueryResultRow = pg.QueryResultRow>(sql: string, params?: unknown[], database?: string): Promise<T[]>;
  /** Ends every other client session (`pg_terminate_backend`); the number ended. */
  terminateSessions(database?: string): Promise<number>;
  /** The server's own log so far. */
  log(): string;
  /** Stops the cluster and removes its folder. */
  destroy(): Promise<void>;
}

/**
 * A throwaway PostgreSQL cluster of the test's own, so that stopping or restarting it disturbs
 * nothing else: initdb into a temporary folder owned by `postgres`, on a free port of 127.0.0.1, with
 * its socket in that folder. Postgres refuses to run as root, so every binary runs through `runuser`.
 */
export async function startCluster(options: { settings?: Record<string, string> } = {}): Promise<Cluster> {
  const bin = postgresBin();
  const dir = mkdtempSync(path.join(tmpdir(), 'sports-pg-'));
  const { uid, gid } = account('postgres');
  chownSync(dir, uid, gid);
  const data = path.join(dir, 'data');
  const logFile = path.join(dir, 'log');
  const port = await freePort();
  const asPostgres = (tool: string, args: string[]) => run('runuser', ['-u', 'postgres', '--', path.join(bin, tool), ...args]);
  await asPostgres('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync']);
  const serverOptions = [
    `-p ${port}`,
    '-c listen_addresses=127.0.0.1',
    '-c fsync=off',
    `-k ${dir}`,
    ...Object.entries(options.settings ?? {}).map(([k, v]) => `-c ${k}=${v}`),
  ].join(' ');
  let running = false;
  const cluster: Cluster = {
    port,
    dir,
    url: (database = 'postgres') => `postgres://postgres@127.0.0.1:${port}/${database}`,
    async start() {
      await asPostgres('pg_ctl', ['-D', data, '-l', logFile, '-w', '-t', '60', '-o', serverOptions, 'start']);
      running = true;
    },
    async stop(mode = 'fast') {
      await asPostgres('pg_ctl', ['-D', data, '-m', mode, '-w', '-t', '60', 'stop']);
      running = false;
    },
    async restart(downMs = 0) {
      await cluster.stop();
      await new Promise((resolve) => setTimeout(resolve, downMs));
      await cluster.start();
    },
    query: <T extends pg.QueryResultRow>(sql: string, params: unknown[] = [], database = 'postgres') => queryOnce<T>(cluster.url(database), sql, params),
    async terminateSessions(database) {
      const rows = await cluster.query<{ n: number }>(
        `select count(*) filter (where pg_terminate_backend(pid))::int as n from pg_stat_activity
          where backend_type = 'client backend' and pid <> pg_backend_pid() and ($1::text is null or datname = $1)`,
        [database ?? null],
      );
      return rows[0]!.n;
    },
    log: () => (existsSync(logFile) ? readFileSync(logFile, 'utf8') : ''),
    async destroy() {
      if (running) await cluster.stop('immediate').catch(() => {});
      rmSync(dir, { recursive: true, force: true });
    },
  };
  try {
    await cluster.start();
  } catch (err) {
    await cluster.destroy();
    throw err;
  }
  return cluster;
}

/** User and group id of a local account, from /etc/passwd. */
function account(name: string): { uid: number; gid: number } {
  const line = readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.startsWith(`${name}:`));
  if (!line) throw new Error(`no user ${name} on this machine (apt-get install postgresql)`);
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}
