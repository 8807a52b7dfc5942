import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDatabase, type Database } from '@sports/db';

/**
 * A database for one benchmark run: a new PostgreSQL database when BENCH_DATABASE_URL is set
 * (dropped afterwards unless BENCH_KEEP is set), otherwise an in-memory PGlite.
 */
export async function scratchDatabase(poolSize?: number): Promise<{ database: Database; drop: () => Promise<void> }> {
  const url = process.env.BENCH_DATABASE_URL;
  if (!url) {
    const database = await openDatabase({});
    return { database, drop: () => database.close() };
  }
  const name = `sports_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const target = new URL(url);
  target.pathname = `/${name}`;
  const database = await openDatabase({ url: target.toString(), poolSize });
  return {
    database,
    drop: async () => {
      await database.close();
      if (process.env.BENCH_KEEP) console.log(`kept database ${name}`);
      else await admin.query(`DROP DATABASE ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}
