import rateLimit, { normalizeIP } from '@fastify/rate-limit';
import fp from 'fastify-plugin';
import { Redis } from 'ioredis';
import { DomainError } from '../../services/shared/errors.ts';

export interface RateLimitPluginOptions {
  perMinute: number;
  /** Shared counters for several instances (DESIGN §4); unset keeps them in this process. */
  redisUrl?: string | undefined;
  /** Prefix of every key written to Redis, so several deployments (or test runs) can share one. */
  redisKeyPrefix?: string;
}

/** How long one Redis command may take before the request goes on uncounted. */
const REDIS_COMMAND_TIMEOUT_MS = 500;

/**
 * A per-address ceiling across the API. With REDIS_URL the counters live in Redis, so the ceiling
 * holds across every instance behind the load balancer; without it they are in-process (the embedded
 * single-instance run needs no Redis). Sign-in failures have their own, stricter brake in PostgreSQL
 * (accounts service), which holds whatever happens to Redis.
 *
 * When Redis is unreachable the limit fails open: requests are served without a count (rather than
 * all refused, or held until Redis answers), a warning is logged when Redis goes away and a line when
 * it is back. Commands fail at once while disconnected (no offline queue) and after
 * REDIS_COMMAND_TIMEOUT_MS when Redis hangs (a connection that answers nothing for 2 s is dropped and
 * reported), so an outage costs a request at most that.
 */
export default fp<RateLimitPluginOptions>(
  async (fastify, opts) => {
    let redis: Redis | undefined;
    if (opts.redisUrl) {
      redis = new Redis(opts.redisUrl, {
        enableOfflineQueue: false,
        maxRetriesPerRequest: 0,
        connectTimeout: 2_000,
        commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
        // A Redis that takes writes but answers nothing (hung, or a black hole on the way) is dropped
        // and reconnected, so that it is reported like one that is down.
        socketTimeout: 2_000,
        // Keep trying to reconnect, at most every 2 s.
        retryStrategy: (times) => Math.min(times * 200, 2_000),
      });
      let down = false;
      redis.on('error', (err: Error) => {
        if (down) return;
        down = true;
        fastify.log.warn({ err: { message: err.message } }, 'redis unreachable: the request rate limit is not counted until it is back');
      });
      redis.on('ready', () => {
        if (down) fastify.log.info('redis reachable again: the request rate limit counts again');
        down = false;
      });
      const client = redis;
      fastify.addHook('onClose', async () => {
        await client.quit().catch(() => client.disconnect());
      });
    }
    await fastify.register(rateLimit, {
      max: opts.perMinute,
      timeWindow: 60_000,
      // The default key, except that a request whose client has already gone (a balancer's health
      // check it gave up on) has no address: it is counted apart rather than failing with a 500.
      keyGenerator: (request) => (request.ip ? normalizeIP(request.ip) : 'gone'),
      allowList: (request) => !request.url.startsWith('/api/'),
      ...(redis ? { redis, nameSpace: `${opts.redisKeyPrefix ?? 'sports:'}rate-limit:`, skipOnError: true } : {}),
      errorResponseBuilder: (_request, context) => {
        const err = new DomainError('RATE_LIMITED', { retryAfterSeconds: Math.ceil(context.ttl / 1000) });
        return err;
      },
    });
  },
  { name: 'rate-limit' },
);
