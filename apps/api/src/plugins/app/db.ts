import fp from 'fastify-plugin';
import type { Database, Db } from '@sports/db';

declare module 'fastify' {
  interface FastifyInstance {
    /** The Drizzle handle. Routes pass it to services; they never open transactions themselves. */
    db: Db;
    database: Database;
  }
}

export interface DbPluginOptions {
  database: Database;
}

/** The database is opened and closed by whoever builds the app (server.ts or a test). */
export default fp<DbPluginOptions>(
  async (fastify, opts) => {
    fastify.decorate('database', opts.database);
    fastify.decorate('db', opts.database.db);
  },
  { name: 'db' },
);
