import fp from 'fastify-plugin';
import { extendOpenIntervals } from '../../services/open-intervals.ts';

export interface SweepsPluginOptions {
  /** 0 turns the sweeps off (tests run them by hand). */
  intervalMinutes: number;
}

/**
 * Background upkeep that must not depend on anyone calling the API: keeps the materialised opening
 * intervals a fortnight ahead. Each sweep takes a Postgres advisory lock, so with several instances
 * exactly one does the work.
 */
export default fp<SweepsPluginOptions>(
  async (fastify, opts) => {
    if (opts.intervalMinutes <= 0) return;
    const run = async () => {
      try {
        const extended = await extendOpenIntervals(fastify.db, fastify.now());
        if (extended > 0) fastify.log.info({ extended }, 'opening intervals extended');
      } catch (err) {
        fastify.log.error({ err }, 'opening-interval sweep failed');
      }
    };
    let timer: NodeJS.Timeout | undefined;
    fastify.addHook('onReady', async () => {
      await run();
      timer = setInterval(run, opts.intervalMinutes * 60_000);
      timer.unref();
    });
    fastify.addHook('onClose', async () => clearInterval(timer));
  },
  { name: 'sweeps', dependencies: ['db', 'clock'] },
);
