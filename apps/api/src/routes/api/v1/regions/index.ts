import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { Region } from '@sports/contracts';
import { listRegions } from '../../../../services/accounts/organisations.ts';
import { problems } from '../../../responses.ts';

const regionRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get(
    '',
    {
      schema: {
        operationId: 'listRegions',
        tags: ['regions'],
        summary: '城市与区县 Cities and districts',
        querystring: Type.Object({ city: Type.Optional(Type.String({ pattern: '^\\d{6}$' })) }),
        response: { 200: Type.Array(Region), ...problems(400) },
      },
    },
    async (request) => listRegions(fastify.db, request.query.city),
  );
};

export default regionRoutes;
