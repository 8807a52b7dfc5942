import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { calendar, calendarFeed, reservationEvent, type CalendarSite } from '../../../../services/booking/icalendar.ts';
import type { ReservationSecrets } from '../../../../services/booking/reservation-rows.ts';
import { DomainError } from '../../../../services/shared/errors.ts';
import { userByCalendarToken } from '../../../../services/booking/standing.ts';
import { CalendarNotModified, sendCalendar } from '../../../calendar-reply.ts';
import { problems } from '../../../responses.ts';

export interface CalendarRoutesOptions {
  secrets: ReservationSecrets;
  calendar: CalendarSite;
}

/**
 * A person's private, subscribable feed of their bookings that have not ended (cancelled ones as
 * STATUS:CANCELLED); the URL's secret is the only key. Calendar apps poll it, so it answers
 * `ETag` (of the exact body) and `Last-Modified` (its newest change) and 304 to a match.
 */
const calendarRoutes: FastifyPluginAsyncTypebox<CalendarRoutesOptions> = async (fastify, { calendar: site }) => {
  fastify.get(
    '/:token.ics',
    {
      // The URL's secret is the key: the feed is never kept by an HTTP cache (no-store); a calendar
      // app keeps the events in its own store and revalidates with the validators below.
      config: { private: true },
      // Encoded here, so that each content coding has its own strong ETag (RFC 9110 §8.8.3).
      compress: false,
      schema: {
        operationId: 'getCalendarFeed',
        produces: ['text/calendar'],
        tags: ['bookings'],
        summary: '日历订阅 Private iCalendar feed of my upcoming bookings',
        params: Type.Object({ token: Type.String({ pattern: '^[\\w-]{20,64}$' }) }),
        response: { 200: Type.String(), 304: CalendarNotModified, ...problems(400, 404) },
      },
    },
    async (request, reply) => {
      const userId = await userByCalendarToken(fastify.db, request.params.token);
      if (!userId) throw new DomainError('NOT_FOUND');
      const feed = await calendarFeed(fastify.db, userId, fastify.now());
      const body = calendar(feed.bookings.map((b) => reservationEvent(b, site)), '我的场馆预约');
      return sendCalendar(request, reply, body, feed.lastModified);
    },
  );
};

export default calendarRoutes;
