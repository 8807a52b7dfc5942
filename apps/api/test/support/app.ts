import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import request from 'supertest';
import { buildApp } from '../../src/app.ts';
import { loadConfig, type Config } from '../../src/config.ts';
import { createTestDatabase, type TestDatabase } from './database.ts';

export interface TestApp {
  app: FastifyInstance;
  database: TestDatabase;
  /** The app's DATA_DIR (uploads land in its `uploads` folder); removed on close. */
  dataDir: string;
  http: () => request.Agent;
  close(): Promise<void>;
}

/** The real application on a fresh database copy, as server.ts builds it, minus listening. */
export async function createTestApp(
  overrides: Record<string, string> = {},
  clock?: () => Date,
  logStream?: { write(line: string): void },
): Promise<TestApp> {
  const config: Config = loadConfig(
    {
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      JWT_SECRET: 'test-secret-that-is-at-least-32-characters-long',
      WEB_DIST: '/nonexistent',
      RATE_LIMIT_PER_MINUTE: '100000',
      SWEEP_INTERVAL_MINUTES: '0',
      BOOKING_SWEEP_SECONDS: '0',
      DATA_DIR: mkdtempSync(path.join(tmpdir(), 'sports-test-data-')),
      ...overrides,
    },
    false,
  );
  const database = await createTestDatabase();
  const app = await buildApp({ config, database, ...(clock ? { clock } : {}), ...(logStream ? { logStream } : {}) });
  return {
    app,
    database,
    dataDir: config.DATA_DIR,
    http: () => request.agent(app.server),
    close: async () => {
      await app.close();
      await database.destroy();
      rmSync(config.DATA_DIR, { recursive: true, force: true });
    },
  };
}
