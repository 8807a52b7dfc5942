export * as schema from './schema.ts';
export { openDatabase, dumpMigratedPglite, MIGRATIONS_FOLDER, POSTGRES_DEFAULTS } from './client.ts';
export type { Database, DatabaseOptions, Db, Tx, Queryable } from './client.ts';
export { preparedRows } from './prepared.ts';
export {
  sqlState,
  violatedConstraint,
  retryOnConflict,
  isDatabaseUnavailable,
  UNIQUE_VIOLATION,
  EXCLUSION_VIOLATION,
  DEADLOCK_DETECTED,
  SERIALIZATION_FAILURE,
} from './errors.ts';
export { LOCK_SPACES, lockSql, advisoryLock, tryAdvisoryLock } from './locks.ts';
export type { LockSpace } from './locks.ts';
