import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import {
  CancelBody,
  CheckInBody,
  CreateReservationBody,
  IdempotencyHeaders,
  MyReservationsQuery,
  Page,
  Reservation,
  ReservationParams,
} from '@sports/contracts';
import { calendar, calendarBooking, lastModifiedOf, reservationEvent, type CalendarSite } from '../../../../services/booking/icalendar.ts';
import { DomainError } from '../../../../services/shared/errors.ts';
import { cancelReservation } from '../../../../services/booking/cancel.ts';
import { checkIn } from '../../../../services/booking/check-in.ts';
import { listMyReservations, getReservation } from '../../../../services/booking/read-models.ts';
import type { ReservationSecrets } from '../../../../services/booking/reservation-rows.ts';
import { reserve } from '../../../../services/booking/reserve.ts';
import { CalendarNotModified, sendCalendar } from '../../../calendar-reply.ts';
import { bearer, problems } from '../../../responses.ts';

export interface ReservationRoutesOptions {
  secrets: ReservationSecrets;
  /** UIDs and ORGANIZER of the .ics file; only the booking routes need it. */
  calendar?: CalendarSite;
}

/** Booking a court, my bookings, cancelling, and the gate's check-in. */
const reservationRoutes: FastifyPluginAsyncTypebox<ReservationRoutesOptions> = async (fastify, { secrets, calendar: site }) => {
  const tags = ['bookings'];

  fastify.post(
    '',
    {
      // The account is read by the booking's own statement (one round trip for both): see reserve.
      onRequest: fastify.verifyToken,
      schema: {
        operationId: 'createReservation',
        tags,
        security: bearer,
        summary: '预约场地 Book whole consecutive slots of a court (Idempotency-Key required)',
        headers: IdempotencyHeaders,
        body: CreateReservationBody,
        response: { 201: Reservation, ...problems(400, 401, 404, 409, 422) },
      },
    },
    async (request, reply) => {
      const { reservation } = await reserve(
        fastify.db,
        secrets,
        request.caller,
        request.body,
        request.headers['idempotency-key'],
        fastify.now(),
      );
      // A replay answers exactly as the first request did.
      return reply.status(201).send(reservation);
    },
  );

  fastify.get(
    '',
    {
      onRequest: fastify.authenticate,
      schema: {
        operationId: 'listMyReservations',
        tags,
        security: bearer,
        summary: '我的预约 My bookings, upcoming or past',
        querystring: MyReservationsQuery,
        response: { 200: Page(Reservation), ...problems(400, 401) },
      },
    },
    async (request) => listMyReservations(fastify.db, secrets, request.actor, request.query, fastify.now()),
  );

  fastify.get(
    '/:id.ics',
    {
      onRequest: fastify.authenticate,
      // Encoded by sendCalendar, so that each content coding has its own strong ETag.
      compress: false,
      schema: {
        operationId: 'getReservationCalendar',
        produces: ['text/calendar'],
        tags,
        security: bearer,
        summary: '加入日历 One booking as iCalendar (RFC 5545), with ETag and Last-Modified',
        params: ReservationParams,
        response: { 200: Type.String(), 304: CalendarNotModified, ...problems(400, 401, 404) },
      },
    },
    async (request, reply) => {
      // Who may see it is the booking service's rule; the event's own fields are read after.
      const reservation = await getReservation(fastify.db, secrets, request.actor, request.params.id);
      if (!site) throw new Error('reservationRoutes registered without its calendar options');
      const booking = await calendarBooking(fastify.db, reservation.id);
      if (!booking) throw new DomainError('NOT_FOUND');
      const body = calendar([reservationEvent(booking, site)], reservation.venue.name);
      reply.header('content-disposition', `attachment; filename="booking-${reservation.code}.ics"`);
      return sendCalendar(request, reply, body, lastModifiedOf(booking));
    },
  );

  fastify.get(
    '/:id',
    {
      onRequest: fastify.authenticate,
      schema: { operationId: 'getReservation', summary: '预约详情 One of my bookings (venue staff: any booking of their venues)', tags, security: bearer, params: ReservationParams, response: { 200: Reservation, ...problems(400, 401, 404) } },
    },
    async (request) => getReservation(fastify.db, secrets, request.actor, request.params.id),
  );

  fastify.post(
    '/:id/cancel',
    {
      onRequest: fastify.authenticate,
      schema: {
        operationId: 'cancelReservation',
        tags,
        security: bearer,
        summary: '取消预约 Cancel: free before the deadline; venue staff cancel with a reason',
        params: ReservationParams,
        body: Type.Optional(CancelBody),
        response: { 200: Reservation, ...problems(400, 401, 404, 409, 422) },
      },
    },
    async (request) =>
      cancelReservation(fastify.db, secrets, request.actor, request.params.id, request.body?.reason, fastify.now()),
  );
};

/** POST /check-ins: the gate scans the QR or types the code. */
export const checkInRoutes: FastifyPluginAsyncTypebox<ReservationRoutesOptions> = async (fastify, { secrets }) => {
  fastify.post(
    '',
    {
      onRequest: fastify.authenticate,
      schema: {
        operationId: 'checkIn',
        tags: ['bookings'],
        security: bearer,
        summary: '签到 Check a visitor in (30 min before to 15 min after the start)',
        body: CheckInBody,
        response: { 200: Reservation, ...problems(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request) => checkIn(fastify.db, secrets, request.actor, request.body.code, fastify.now()),
  );
};

export default reservationRoutes;
