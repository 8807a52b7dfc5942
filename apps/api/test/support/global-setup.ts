import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { dumpMigratedPglite, openDatabase } from '@sports/db';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Set when tests run on real PostgreSQL: the server, and a migrated database to copy. */
    postgres: { url: string; template: string } | null;
    /** Set when tests run on PGlite: a tarball of a migrated data directory. */
    pgliteTemplate: string | null;
  }
}

export function databaseUrl(base: string, database: string): string {
  const url = new URL(base);
  url.pathname = `/${database}`;
  return url.toString();
}

/**
 * Migrates one template database for the whole run; every test file then starts from a copy of it
 * (DESIGN §7). On PostgreSQL the template is a database this run creates and drops; nothing else in
 * the server is touched.
 */
export default async function setup(project: TestProject) {
  const url = process.env.TEST_DATABASE_URL;
  if (url) {
    const template = `sports_test_tpl_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${template}`);
    const database = await openDatabase({ url: databaseUrl(url, template), poolSize: 1 });
    await database.migrate();
    await database.close();
    project.provide('postgres', { url, template });
    project.provide('pgliteTemplate', null);
    return async () => {
      await admin.query(`DROP DATABASE IF EXISTS ${template} WITH (FORCE)`);
      await admin.end();
    };
  }
  const dir = await mkdtemp(path.join(tmpdir(), 'sports-pglite-'));
  const file = path.join(dir, 'template.tar');
  const dump = await dumpMigratedPglite();
  await writeFile(file, Buffer.from(await dump.arrayBuffer()));
  project.provide('postgres', null);
  project.provide('pgliteTemplate', file);
  return () => rm(dir, { recursive: true, force: true });
}
