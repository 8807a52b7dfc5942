import rateLimit from '@fastify/rate-limit';
import fp from 'fastify-plugin';
import { DomainError } from '../../services/errors.ts';

export interface RateLimitPluginOptions {
  perMinute: number;
}

/**
 * A per-address ceiling across the API. The store is in-process; with more than one instance it
 * moves to Redis (DESIGN §4). Sign-in failures have their own, stricter brake in the accounts service.
 */
export default fp<RateLimitPluginOptions>(
  async (fastify, opts) =>
    fastify.register(rateLimit, {
      max: opts.perMinute,
      timeWindow: 60_000,
      allowList: (request) => !request.url.startsWith('/api/'),
      errorResponseBuilder: (_request, context) => {
        const err = new DomainError('RATE_LIMITED', { retryAfterSeconds: Math.ceil(context.ttl / 1000) });
        return err;
      },
    }),
  { name: 'rate-limit' },
);
