import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { openDatabase } from '@sports/db';
import { freePort, queryOnce, startCluster, type Cluster } from './cluster.ts';
import { startServer } from './server.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// ——— HTTP, from a chosen source address ———

export interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** Parsed JSON when the answer is JSON, else the text (of many shapes, read by tests as supertest's is). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

export interface CallOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: unknown;
  /**
   * The client's address: any of 127.0.0.0/8 is this machine's loopback, so each simulated
   * resident can come from an address of its own (per-address limits see them apart).
   */
  from?: string;
  timeoutMs?: number;
}

/** One request on a connection of its own (no keep-alive), as a separate client would make it. */
export function call(port: number, pathname: string, options: CallOptions = {}): Promise<Answer> {
  const payload = options.body === undefined ? undefined : Buffer.from(JSON.stringify(options.body));
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        path: pathname,
        method: options.method ?? 'GET',
        agent: false,
        ...(options.from ? { localAddress: options.from } : {}),
        headers: {
          connection: 'close',
          ...(payload ? { 'content-type': 'application/json', 'content-length': String(payload.length) } : {}),
          ...options.headers,
        },
        timeout: options.timeoutMs ?? 60_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: unknown = text;
          if (/json/.test(String(res.headers['content-type'] ?? '')) && text) {
            try {
              body = JSON.parse(text);
            } catch {
              /* left as text */
            }
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body });
        });
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${options.method ?? 'GET'} ${pathname} timed out`)));
    req.on('error', reject);
    req.end(payload);
  });
}

/** Waits until `GET pathname` answers 200 (or throws after `timeoutMs`). */
export async function waitFor200(port: number, pathname: string, timeoutMs = 60_000, alive?: () => void): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    alive?.();
    const res = await call(port, pathname, { timeoutMs: 2_000 }).catch(() => undefined);
    if (res?.status === 200) return;
    if (Date.now() > deadline) throw new Error(`127.0.0.1:${port}${pathname} did not answer 200 within ${timeoutMs} ms`);
    await sleep(200);
  }
}

// ——— a fresh database ———

export interface ScratchDatabase {
  url: string;
  /** One statement on a connection of its own. */
  query<T extends pg.QueryResultRow = pg.QueryResultRow>(sql: string, params?: unknown[]): Promise<T[]>;
  destroy(): Promise<void>;
}

/**
 * A new, migrated database of the test's own: on the PostgreSQL at TEST_DATABASE_URL (else
 * 127.0.0.1:5432) when it answers, otherwise in a throwaway cluster. Dropped (or the cluster
 * removed) by destroy().
 */
export async function scratchDatabase(): Promise<ScratchDatabase> {
  const serverUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  let cluster: Cluster | undefined;
  let adminUrl = serverUrl;
  const probe = new pg.Client({ connectionString: serverUrl, connectionTimeoutMillis: 3_000 });
  probe.on('error', () => {});
  try {
    await probe.connect();
    await probe.end();
  } catch {
    cluster = await startCluster();
    adminUrl = cluster.url();
  }
  const name = `sports_ops_${randomBytes(6).toString('hex')}`;
  const admin = <T extends pg.QueryResultRow>(sql: string, params: unknown[] = [], url = adminUrl) => queryOnce<T>(url, sql, params);
  await admin(`CREATE DATABASE ${name}`);
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  const url = u.toString();
  const database = await openDatabase({ url, poolSize: 1 });
  try {
    await database.migrate();
  } finally {
    await database.close();
  }
  return {
    url,
    query: (sql, params) => admin(sql, params, url),
    async destroy() {
      await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => {});
      await cluster?.destroy();
    },
  };
}

// ——— API server processes ———

export interface LogLine {
  level: number;
  msg?: string;
  [key: string]: unknown;
}

export interface Instance {
  name: string;
  port: number;
  /** Every JSON log line the process has written so far. */
  logs(): LogLine[];
  stop(): Promise<void>;
}

/**
 * One API instance as production runs it: the real server in a child process (server.ts's
 * startServer) in production mode, with `env` over its test settings; resolves once `/readyz`
 * answers 200.
 */
export async function startInstance(name: string, env: Record<string, string>): Promise<Instance> {
  const server = await startServer({ NODE_ENV: 'production', AVAILABILITY_CACHE_MS: '1000', ...env }, { readyTimeoutMs: 90_000 });
  return {
    name,
    port: server.port,
    logs: () => server.logLines() as LogLine[],
    stop: () => server.stop(15_000),
  };
}

// ——— HAProxy ———

export interface Balancer {
  port: number;
  config: string;
  output(): string;
  stop(): Promise<void>;
}

/**
 * Debian's HAProxy in the foreground (`-db`) in front of `backends`: round robin, each server
 * health-checked on /readyz, the client's address passed on in X-Forwarded-For, and the name of the
 * server that answered in `x-served-by`. Bound to a free port of 127.0.0.1; resolves once a request
 * through it reaches an instance.
 */
export async function startHaproxy(backends: { name: string; port: number }[]): Promise<Balancer> {
  const port = await freePort();
  const dir = mkdtempSync(path.join(tmpdir(), 'sports-haproxy-'));
  const config = `global
  maxconn 4096

defaults
  mode http
  option forwardfor
  timeout connect 5s
  timeout client 60s
  timeout server 60s
  timeout http-request 10s
  timeout check 5s

frontend api
  bind 127.0.0.1:${port}
  default_backend instances

backend instances
  balance roundrobin
  option httpchk GET /readyz
  http-check expect status 200
  http-response set-header x-served-by %[srv_name]
${backends.map((b) => `  server ${b.name} 127.0.0.1:${b.port} check inter 2s fall 3 rise 2 maxconn 500`).join('\n')}
`;
  const file = path.join(dir, 'haproxy.cfg');
  writeFileSync(file, config);
  const child = spawn('haproxy', ['-db', '-f', file], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.setEncoding('utf8').on('data', (c: string) => (output += c));
  child.stderr!.setEncoding('utf8').on('data', (c: string) => (output += c));
  let exited = false;
  const exit = new Promise<void>((resolve) =>
    child.once('exit', () => {
      exited = true;
      resolve();
    }),
  );
  child.once('error', (err) => (output += `\n${err.message}`));
  const balancer: Balancer = {
    port,
    config,
    output: () => output,
    async stop() {
      if (!exited) {
        child.kill('SIGTERM');
        await exit;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
  try {
    await waitFor200(port, '/readyz', 20_000, () => {
      if (exited) throw new Error(`haproxy exited before it was ready:\n${output}`);
    });
  } catch (err) {
    await balancer.stop();
    throw err;
  }
  return balancer;
}
