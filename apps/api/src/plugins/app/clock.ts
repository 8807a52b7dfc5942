import fp from 'fastify-plugin';

declare module 'fastify' {
  interface FastifyInstance {
    /** The current time. Services take the time as a parameter; routes read it here, tests fix it. */
    now(): Date;
  }
}

export interface ClockPluginOptions {
  clock?: (() => Date) | undefined;
}

export default fp<ClockPluginOptions>(
  async (fastify, opts) => {
    fastify.decorate('now', opts.clock ?? (() => new Date()));
  },
  { name: 'clock' },
);
