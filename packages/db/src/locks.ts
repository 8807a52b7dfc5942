import { sql, type SQL } from 'drizzle-orm';
import type { Queryable } from './client.ts';

/**
 * Advisory lock key spaces, by name: the one registry for the API and the SQL functions.
 * `lock_space(name)` (migration 0012) answers the same numbers inside the database, and
 * `apps/api/test/sql-functions.test.ts` checks that the two agree. Every transaction-scoped lock is
 * two keys, (space, hashtext(id)), so locks of different spaces never meet.
 */
export const LOCK_SPACES = {
  /** Writers of one court's reservations (staff exclusively, a resident's booking shared). */
  court: 1,
  /** One school's opening plans. */
  school_plan: 2,
  /** One resident's requests (court bookings and school registrations), so they take turns under the quotas. */
  resident: 3,
  /** One sweep by name: one instance runs, the others skip. */
  sweep: 4,
  /** The KPI rollup refresh. */
  kpi_rollup: 7,
  /** Sign-in attempts of one phone number, and of one address. */
  login_phone: 1001,
  login_ip: 1002,
} as const;

export type LockSpace = keyof typeof LOCK_SPACES;

/** The statement that takes (and holds until the transaction ends) the lock on `key` in `space`. */
export function lockSql(space: LockSpace, key: string): SQL {
  return sql`pg_advisory_xact_lock(${LOCK_SPACES[space]}::int, hashtext(${key}))`;
}

/** Waits for the lock on `key` in `space`; it is held until the transaction ends. */
export async function advisoryLock(tx: Queryable, space: LockSpace, key: string): Promise<void> {
  await tx.execute(sql`select ${lockSql(space, key)}`);
}

/** Takes the lock on `key` in `space` if it is free: false when another transaction holds it. */
export async function tryAdvisoryLock(tx: Queryable, space: LockSpace, key: string): Promise<boolean> {
  const result = await tx.execute(sql`select pg_try_advisory_xact_lock(${LOCK_SPACES[space]}::int, hashtext(${key})) as locked`);
  return (result as unknown as { rows: { locked: boolean }[] }).rows[0]?.locked === true;
}
