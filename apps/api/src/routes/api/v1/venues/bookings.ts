import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import {
  Availability,
  AvailabilityQuery,
  BlockResult,
  BookingSettings,
  CreateBlockBody,
  CreateSeriesBody,
  DayGrid,
  DayGridQuery,
  ResourceParams,
  SeriesResult,
  VenueParams,
} from '@sports/contracts';
import { acceptsGzip } from '../../../../plugins/app/answer-cache.ts';
import { availabilityJson } from '../../../../services/booking/read-models.ts';
import * as venueBookings from '../../../../services/booking/venue-bookings.ts';
import { DomainError, fieldProblem } from '../../../../services/shared/errors.ts';
import { bearer, problems } from '../../../responses.ts';

/** A venue's booking side: public availability; the operator's day grid, blocks, series and settings. */
const venueBookingRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const tags = ['bookings'];
  fastify.get(
    '/:id/availability',
    {
      schema: {
        operationId: 'getAvailability',
        tags,
        summary: '可预约时段 Slots per court for 1–14 days; never says who booked',
        params: VenueParams,
        querystring: AvailabilityQuery,
        response: { 200: Availability, ...problems(400, 404) },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const { date, days } = request.query;
      const now = fastify.now().getTime();
      const answer = await fastify.answerCache.remember(`${id}|${date}|${days}`, now, () => availabilityJson(fastify.db, id, date, days, new Date(now)));
      // Already JSON, written as the schema describes it; Fastify sends a Buffer as it is. A browser
      // gets it gzip-compressed (once per remembered answer): ~40× fewer bytes to write and to read.
      reply.type('application/json; charset=utf-8').header('vary', 'accept-encoding');
      if (acceptsGzip(request.headers['accept-encoding'])) {
        return reply.header('content-encoding', 'gzip').send((await answer.gzipped()) as unknown as Availability);
      }
      return reply.send(answer.body as unknown as Availability);
    },
  );

  const staff = { onRequest: fastify.authenticate };
  fastify.get(
    '/:id/bookings',
    {
      ...staff,
      schema: {
        operationId: 'getVenueDay',
        tags,
        security: bearer,
        summary: '场地日视图 Every court and booking of one day (venue staff)',
        params: VenueParams,
        querystring: DayGridQuery,
        response: { 200: DayGrid, ...problems(400, 401, 403, 404) },
      },
    },
    async (request) => venueBookings.dayGrid(fastify.db, request.actor, request.params.id, request.query.date),
  );

  fastify.post(
    '/:id/blocks',
    {
      ...staff,
      schema: {
        operationId: 'blockCourts',
        tags,
        security: bearer,
        summary: '锁定场地 Block courts for maintenance or an event; bookings in the way are cancelled without penalty',
        params: VenueParams,
        body: CreateBlockBody,
        response: { 201: BlockResult, ...problems(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await venueBookings.blockTime(fastify.db, request.actor, request.params.id, request.body, fastify.now())),
  );

  fastify.post(
    '/:id/series',
    {
      ...staff,
      schema: {
        operationId: 'createSeries',
        tags,
        security: bearer,
        summary: '固定场 A club’s weekly booking for a term; conflicts are listed',
        params: VenueParams,
        body: CreateSeriesBody,
        response: { 200: SeriesResult, ...problems(400, 401, 403, 404, 422) },
      },
    },
    async (request) => venueBookings.createSeries(fastify.db, request.actor, request.params.id, request.body),
  );

  fastify.put(
    '/:id/booking-settings',
    {
      ...staff,
      schema: {
        operationId: 'setVenueBookingSettings',
        tags,
        security: bearer,
        summary: '预约规则 Venue-wide booking settings',
        params: VenueParams,
        body: BookingSettings,
        response: { 200: BookingSettings, ...problems(400, 401, 403, 404) },
      },
    },
    async (request) => venueBookings.setVenueBookingSettings(fastify.db, request.actor, request.params.id, request.body, fastify.now()),
  );

  fastify.put(
    '/:id/resources/:resourceId/booking-settings',
    {
      ...staff,
      schema: {
        operationId: 'setResourceBookingSettings',
        tags,
        security: bearer,
        summary: 'A court’s own booking settings (null: use the venue’s)',
        params: ResourceParams,
        body: Type.Union([BookingSettings, Type.Null()]),
        response: { 204: Type.Null(), ...problems(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      // An absent body is checked as null by the validator; only a body that says null resets the court.
      if (request.body === undefined) {
        throw new DomainError('VALIDATION_FAILED', {}, [fieldProblem('(body)', '必填：规则，或 null 表示沿用场馆的规则', 'is required: the settings, or null for the venue’s')]);
      }
      await venueBookings.setResourceBookingSettings(fastify.db, request.actor, request.params.id, request.params.resourceId, request.body, fastify.now());
      return reply.status(204).send(null);
    },
  );
};

export default venueBookingRoutes;
