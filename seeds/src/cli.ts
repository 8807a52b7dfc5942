import path from 'node:path';
import { openDatabase } from '@sports/db';
import { loadDemoData } from './demo.ts';

/** `pnpm db:seed`: loads the demo data into DATABASE_URL (or the embedded database in DATA_DIR). */
if (process.env.NODE_ENV === 'production') {
  console.error('refusing to load demo data: NODE_ENV=production');
  process.exit(1);
}
const database = await openDatabase({
  url: process.env.DATABASE_URL,
  dataDir: path.join(process.env.DATA_DIR ?? 'data', 'db'),
});
try {
  const loaded = await loadDemoData(database.db, { onlyIfEmpty: true });
  console.log(loaded ? 'demo data loaded' : 'the database already has organisations: demo data not loaded again');
} finally {
  await database.close();
}
