import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { bodyTag, COMPRESS_THRESHOLD, compressWith, entityTag, negotiateCoding } from '../plugins/external/compress.ts';
import { notModified } from '../services/booking/icalendar.ts';

/** The 304 a calendar answer may give, as its route schema declares it. */
export const CalendarNotModified = Type.Null({ description: 'Not modified: the calendar already has this version (If-None-Match / If-Modified-Since)' });

/**
 * Sends an iCalendar body with its validators: a strong `ETag` of the exact bytes per content coding
 * (RFC 9110 §8.8.3), `Last-Modified` when known, and 304 when the client's copy is current. The route
 * turns off the compress plugin (`compress: false`): the body is encoded here, so that the tag
 * names the bytes sent.
 */
export async function sendCalendar(request: FastifyRequest, reply: FastifyReply, body: string, lastModified: Date | null): Promise<FastifyReply> {
  const bytes = Buffer.from(body, 'utf8');
  const tag = bodyTag(bytes);
  const coding = bytes.length >= COMPRESS_THRESHOLD ? negotiateCoding(request.headers['accept-encoding']) : undefined;
  reply.header('vary', 'accept-encoding').header('etag', entityTag(tag, coding));
  if (lastModified) reply.header('last-modified', lastModified.toUTCString());
  const current = [entityTag(tag, undefined), entityTag(tag, 'gzip'), entityTag(tag, 'br')];
  if (notModified(request.headers, current, lastModified)) return reply.status(304).send(null);
  reply.type('text/calendar; charset=utf-8');
  if (!coding) return reply.send(bytes as never);
  return reply.header('content-encoding', coding).send((await compressWith(coding, bytes)) as never);
}
