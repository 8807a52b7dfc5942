import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Me } from '@sports/contracts';
import { getMe } from '../../../../services/accounts.ts';
import { bearer, problems } from '../../../responses.ts';

const meRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get(
    '/',
    {
      onRequest: fastify.authenticate,
      schema: {
        tags: ['auth'],
        summary: '当前用户 The signed-in user, phone masked, with roles and their scopes',
        security: bearer,
        response: { 200: Me, ...problems(401, 403) },
      },
    },
    async (request) => getMe(fastify.db, request.actor.userId),
  );
};

export default meRoutes;
