import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { bodyTag, COMPRESS_THRESHOLD, compressWith, entityTag, negotiateCoding } from '../../../../plugins/external/compress.ts';
import { calendar, calendarFeed, notModified, reservationEvent, type CalendarSite } from '../../../../services/icalendar.ts';
import type { ReservationSecrets } from '../../../../services/reservations.ts';
import { DomainError } from '../../../../services/errors.ts';
import { userByCalendarToken } from '../../../../services/standing.ts';
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
        tags: ['bookings'],
        summary: '日历订阅 Private iCalendar feed of my upcoming bookings',
        params: Type.Object({ token: Type.String({ pattern: '^[\\w-]{20,64}$' }) }),
        response: { 200: Type.String(), 304: Type.Null({ description: 'Not modified: the calendar already has this feed (If-None-Match / If-Modified-Since)' }), ...problems(400, 404) },
      },
    },
    async (request, reply) => {
      const userId = await userByCalendarToken(fastify.db, request.params.token);
      if (!userId) throw new DomainError('NOT_FOUND');
      const feed = await calendarFeed(fastify.db, userId, fastify.now());
      const body = calendar(feed.bookings.map((b) => reservationEvent(b, site)), '我的场馆预约');
      const bytes = Buffer.from(body, 'utf8');
      const tag = bodyTag(bytes);
      const coding = bytes.length >= COMPRESS_THRESHOLD ? negotiateCoding(request.headers['accept-encoding']) : undefined;
      reply.header('vary', 'accept-encoding').header('etag', entityTag(tag, coding));
      if (feed.lastModified) reply.header('last-modified', feed.lastModified.toUTCString());
      const current = [entityTag(tag, undefined), entityTag(tag, 'gzip'), entityTag(tag, 'br')];
      if (notModified(request.headers, current, feed.lastModified)) return reply.status(304).send(null);
      reply.type('text/calendar; charset=utf-8');
      if (!coding) return reply.send(bytes as never);
      return reply.header('content-encoding', coding).send((await compressWith(coding, bytes)) as never);
    },
  );
};

export default calendarRoutes;
