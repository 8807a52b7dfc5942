import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import pg from 'pg';
import { inject } from 'vitest';
import { openDatabase, type Database } from '@sports/db';
import { databaseUrl } from './global-setup.ts';

export interface TestDatabase extends Database {
  /** Closes the connection and, on PostgreSQL, drops the copy this file made. */
  destroy(): Promise<void>;
}

/** A fresh, migrated database for one test file: a copy of the run's template. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const postgres = inject('postgres');
  if (postgres) {
    const name = `sports_test_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: postgres.url });
    await admin.connect();
    try {
      await admin.query(`CREATE DATABASE ${name} TEMPLATE ${postgres.template}`);
    } finally {
      await admin.end();
    }
    const database = await openDatabase({ url: databaseUrl(postgres.url, name), poolSize: 20 });
    return {
      ...database,
      destroy: async () => {
        await database.close();
        const dropper = new pg.Client({ connectionString: postgres.url });
        await dropper.connect();
        await dropper.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await dropper.end();
      },
    };
  }
  const tarball = await readFile(inject('pgliteTemplate')!);
  const database = await openDatabase({ loadDataDir: new Blob([tarball]) });
  return { ...database, destroy: () => database.close() };
}
