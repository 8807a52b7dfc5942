import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { calendar, reservationEvent } from '../../../../services/icalendar.ts';
import { listMyReservations, type ReservationSecrets } from '../../../../services/reservations.ts';
import { DomainError } from '../../../../services/errors.ts';
import { userByCalendarToken } from '../../../../services/standing.ts';
import { problems } from '../../../responses.ts';

/** A person's private, subscribable feed of upcoming bookings; the URL's secret is the only key. */
const calendarRoutes: FastifyPluginAsyncTypebox<{ secrets: ReservationSecrets }> = async (fastify, { secrets }) => {
  fastify.get(
    '/:token.ics',
    {
      // The URL's secret is the key: the feed is never kept by a cache, not even the subscriber's.
      config: { private: true },
      schema: {
        tags: ['bookings'],
        summary: '日历订阅 Private iCalendar feed of my upcoming bookings',
        params: Type.Object({ token: Type.String({ pattern: '^[\\w-]{20,64}$' }) }),
        response: { 200: Type.String(), ...problems(400, 404) },
      },
    },
    async (request, reply) => {
      const userId = await userByCalendarToken(fastify.db, request.params.token);
      if (!userId) throw new DomainError('NOT_FOUND');
      const now = fastify.now();
      const page = await listMyReservations(
        fastify.db,
        secrets,
        { userId, grants: [], requestId: request.id },
        { page: 1, pageSize: 100, when: 'upcoming' },
        now,
      );
      const body = calendar(page.items.map((r) => reservationEvent(r, request.hostname, now)), '我的场馆预约');
      return reply.type('text/calendar; charset=utf-8').send(body);
    },
  );
};

export default calendarRoutes;
