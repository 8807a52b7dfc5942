import type { Queryable } from './client.ts';

/**
 * Rows of a fixed statement, run as a named prepared statement: PostgreSQL parses and plans it once
 * per connection instead of on every request, and Drizzle has no query to build. `text` must be the
 * same for every use of `name` (parameters carry what varies). Through the handle's own session, so
 * inside a transaction it runs on the transaction's connection; on the embedded database the name
 * is ignored and it runs as an ordinary query. (Drizzle's `_.session` is typed public but named as
 * internal: check it when upgrading drizzle-orm.)
 */
export async function preparedRows<T>(q: Queryable, name: string, text: string, params: unknown[]): Promise<T[]> {
  const result = await q._.session.prepareQuery({ sql: text, params }, undefined, name, false).execute();
  return (result as { rows: T[] }).rows;
}
