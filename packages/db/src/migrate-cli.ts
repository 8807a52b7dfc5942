import path from 'node:path';
import { openDatabase } from './client.ts';

/** `pnpm db:migrate`: applies pending migrations to DATABASE_URL (or the embedded database in DATA_DIR). */
const database = await openDatabase({
  url: process.env.DATABASE_URL,
  dataDir: path.join(process.env.DATA_DIR ?? 'data', 'db'),
});
try {
  await database.migrate();
  console.log(`migrations applied (${database.driver})`);
} finally {
  await database.close();
}
