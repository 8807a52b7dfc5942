import type { FastifyInstance } from 'fastify';
import request from 'supertest';
import { buildApp } from '../../src/app.ts';
import { loadConfig, type Config } from '../../src/config.ts';
import { createTestDatabase, type TestDatabase } from './database.ts';

export interface TestApp {
  app: FastifyInstance;
  database: TestDatabase;
  http: () => request.Agent;
  close(): Promise<void>;
}

/** The real application on a fresh database copy, as server.ts builds it, minus listening. */
export async function createTestApp(overrides: Record<string, string> = {}): Promise<TestApp> {
  const config: Config = loadConfig(
    {
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      JWT_SECRET: 'test-secret-that-is-at-least-32-characters-long',
      WEB_DIST: '/nonexistent',
      RATE_LIMIT_PER_MINUTE: '100000',
      ...overrides,
    },
    false,
  );
  const database = await createTestDatabase();
  const app = await buildApp({ config, database });
  return {
    app,
    database,
    http: () => request.agent(app.server),
    close: async () => {
      await app.close();
      await database.destroy();
    },
  };
}
