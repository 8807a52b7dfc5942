import fp from 'fastify-plugin';
import { cacheStats, type CacheStats } from '../../services/shared/caches.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** Each in-process cache's size, limit, hits, misses and hit rate (services/shared/caches.ts). */
    cacheStats(): CacheStats[];
  }
}

export interface CachesPluginOptions {
  /** Minutes between log lines of the stats; 0 writes them only at close. */
  statsMinutes: number;
}

/**
 * Reports how the in-process caches are doing: one info line per cache every `statsMinutes` and at
 * close. Counting costs the lookups an integer increment each (see NamedCache); reading the stats
 * walks a handful of caches.
 */
export default fp<CachesPluginOptions>(
  async (fastify, opts) => {
    fastify.decorate('cacheStats', cacheStats);
    const log = () => {
      for (const stats of cacheStats()) fastify.log.info({ cache: stats }, 'cache stats');
    };
    let timer: NodeJS.Timeout | undefined;
    if (opts.statsMinutes > 0) {
      fastify.addHook('onReady', async () => {
        timer = setInterval(log, opts.statsMinutes * 60_000);
        timer.unref();
      });
    }
    fastify.addHook('onClose', async () => {
      clearInterval(timer);
      log();
    });
  },
  { name: 'caches' },
);
