import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { CityParams, ResidentRules } from '@sports/contracts';
import { residentRules } from '../../../../services/booking/booking-rules.ts';
import { setResidentRules } from '../../../../services/booking/venue-bookings.ts';
import { bearer, problems } from '../../../responses.ts';

/** The city-wide rules for residents' bookings, set by the city bureau. */
const cityRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get(
    '/:city/booking-rules',
    { schema: { operationId: 'getCityBookingRules', summary: '居民预约规则 The city’s resident rules: quota, hours per day, no-show suspension', tags: ['bookings'], params: CityParams, response: { 200: ResidentRules, ...problems(400) } } },
    async (request) => residentRules(fastify.db, request.params.city),
  );
  fastify.put(
    '/:city/booking-rules',
    {
      onRequest: fastify.authenticate,
      schema: {
        operationId: 'setCityBookingRules',
        tags: ['bookings'],
        security: bearer,
        summary: '居民预约规则 Set the city’s resident rules (city bureau admin)',
        params: CityParams,
        body: ResidentRules,
        response: { 200: ResidentRules, ...problems(400, 401, 403, 404) },
      },
    },
    async (request) => setResidentRules(fastify.db, request.actor, request.params.city, request.body, fastify.now()),
  );
};

export default cityRoutes;
