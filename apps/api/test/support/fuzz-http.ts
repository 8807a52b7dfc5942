import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { sql } from 'drizzle-orm';
import type { Db } from '@sports/db';

/**
 * What the fuzz suite sends and reads, over a real socket (not `inject`), so that Node's own HTTP
 * parser, the router and the body parsers all see the bytes as a client would send them. The path
 * goes out exactly as written: `/media/../x` is not normalised away as a URL class would.
 */
export interface RawRequest {
  method: string;
  /** Path and query, sent verbatim. */
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
}

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

export interface RawClient {
  send(request: RawRequest): Promise<RawResponse>;
  close(): void;
}

/** Starts the app listening on a free loopback port and returns a client for it. */
export async function rawClient(app: FastifyInstance): Promise<RawClient> {
  if (!app.server.listening) await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const once = (request: RawRequest, viaAgent: http.Agent | false) =>
      new Promise<RawResponse>((resolve, reject) => {
        const headers: Record<string, string | number> = { ...request.headers };
        if (request.body) headers['content-length'] = request.body.length;
        const req = http.request(
          { host: '127.0.0.1', port, method: request.method, path: request.path, headers, agent: viaAgent, timeout: 20_000 },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (chunk: Buffer) => chunks.push(chunk));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
            res.on('error', reject);
          },
        );
        req.on('timeout', () => req.destroy(new Error(`no answer within 20 s to ${request.method} ${request.path.slice(0, 200)}`)));
        req.on('error', reject);
        req.end(request.body);
      });
  return {
    // A kept-alive socket that the server closed after its last answer (Node's parser does, after a
    // 431) fails the next write: that request goes again on a socket of its own.
    send: (request) =>
      once(request, agent).catch((err: NodeJS.ErrnoException) =>
        err.code === 'ECONNRESET' || err.code === 'EPIPE' ? once(request, false) : Promise.reject(err),
      ),
    close: () => agent.destroy(),
  };
}

/**
 * Tables that a refused request may still write, and why:
 * - `login_failures`: a sign-in with a well-formed phone and a wrong password is counted, by design,
 *   to brake password guessing (issue 12 finding 6) — the count is the point of the table;
 * - `refresh_tokens`: written by signing in and refreshing, which the suite does to get its callers.
 * The request rate limit keeps its counts outside the database (in memory, or Redis), so no table of
 * it needs leaving out.
 */
export const TABLES_WRITTEN_BY_SIGNING_IN = new Set(['login_failures', 'refresh_tokens']);

export interface Fingerprinter {
  /** Row count and md5 of the sorted rows of every table, by table name. */
  take(): Promise<Map<string, string>>;
  /**
   * The next transaction id the database will hand out. A request that wrote anything (or tried to,
   * and rolled back) has taken one; one that did not leaves this unchanged, so when it has not moved
   * no table can have changed and the full fingerprint is not needed.
   */
  nextXid(): Promise<string>;
  tables: string[];
}

export async function fingerprinter(db: Db): Promise<Fingerprinter> {
  const rows = (await db.execute(
    sql`select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name`,
  )) as unknown as { rows?: { table_name: string }[] } | { table_name: string }[];
  const list = (Array.isArray(rows) ? rows : rows.rows ?? []).map((r) => r.table_name);
  const tables = list.filter((name) => !TABLES_WRITTEN_BY_SIGNING_IN.has(name));
  const query = tables
    .map(
      (name) =>
        `select '${name}' as name, count(*)::text || ':' || md5(coalesce(string_agg(t::text, ',' order by t::text), '')) as print from "${name}" t`,
    )
    .join(' union all ');
  const resultRows = <T>(result: unknown): T[] =>
    Array.isArray(result) ? (result as T[]) : (((result as { rows?: T[] }).rows ?? []) as T[]);
  return {
    tables,
    take: async () => {
      const result = await db.execute(sql.raw(query));
      return new Map(resultRows<{ name: string; print: string }>(result).map((r) => [r.name, r.print]));
    },
    nextXid: async () => {
      const result = await db.execute(sql.raw('select pg_snapshot_xmax(pg_current_snapshot())::text as xid'));
      return resultRows<{ xid: string }>(result)[0]!.xid;
    },
  };
}

/** The tables whose fingerprint differs between two takes. */
export function changedTables(before: Map<string, string>, after: Map<string, string>): string[] {
  const names = new Set([...before.keys(), ...after.keys()]);
  return [...names].filter((name) => before.get(name) !== after.get(name)).sort();
}
