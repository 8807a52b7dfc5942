export * as schema from './schema.ts';
export { openDatabase, dumpMigratedPglite, MIGRATIONS_FOLDER } from './client.ts';
export type { Database, DatabaseOptions, Db, Tx, Queryable } from './client.ts';
export { sqlState, violatedConstraint, UNIQUE_VIOLATION, EXCLUSION_VIOLATION } from './errors.ts';
