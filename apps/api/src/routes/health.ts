import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { DomainError } from '../services/shared/errors.ts';
import { problems } from './responses.ts';

const Status = Type.Object({ status: Type.String() });

/** Liveness (the process answers) and readiness (the database answers). */
const health: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get('/healthz', { schema: { operationId: 'getHealth', summary: '存活检查 The process is up', tags: ['health'], response: { 200: Status } } }, async () => ({ status: 'ok' }));

  fastify.get(
    '/readyz',
    { schema: { operationId: 'getReadiness', summary: '就绪检查 The database answers (503 with Retry-After when it does not)', tags: ['health'], response: { 200: Status, ...problems(503) } } },
    async () => {
      await fastify.database.ping().catch((err: unknown) => {
        fastify.log.error({ err }, 'database not reachable');
        throw new DomainError('UNAVAILABLE', { retryAfterSeconds: 5 });
      });
      return { status: 'ready' };
    },
  );
};

export default health;
