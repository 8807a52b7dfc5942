import { and, asc, eq, gt, inArray, lte, sql } from 'drizzle-orm';
import { schema, type Queryable } from '@sports/db';
import { endOf, startOf } from './booking-rules.ts';

/**
 * iCalendar (RFC 5545) for bookings, published with METHOD:PUBLISH (RFC 5546 §3.2.1). Times are
 * written in the venue's zone with a VTIMEZONE for Asia/Shanghai (no daylight saving since 1991),
 * which Apple, Google and Outlook all honour; other zones fall back to UTC times, which every client
 * also shows correctly.
 */
const SHANGHAI = [
  'BEGIN:VTIMEZONE',
  'TZID:Asia/Shanghai',
  'BEGIN:STANDARD',
  'DTSTART:19910915T000000',
  'TZOFFSETFROM:+0900',
  'TZOFFSETTO:+0800',
  'TZNAME:CST',
  'END:STANDARD',
  'END:VTIMEZONE',
];

/** Where the calendar's identifiers point: both from configuration, never from the request. */
export interface CalendarSite {
  /** Right-hand side of every UID (RFC 5545 §3.8.4.7): stable, so one booking is one event everywhere. */
  uidDomain: string;
  /** PUBLIC_BASE_URL, without a trailing slash: the venues' pages, which identify the ORGANIZER. */
  publicBaseUrl: string;
}

/** A booking as its calendar event needs it. */
export interface CalendarBooking {
  id: string;
  code: string;
  status: 'confirmed' | 'checked_in' | 'completed' | 'cancelled' | 'no_show';
  start: Date;
  end: Date;
  createdAt: Date;
  cancelledAt: Date | null;
  venue: { id: string; name: string; address: string; timeZone: string };
  resource: { name: string };
}

/** Controls that neither TEXT nor a parameter value may hold (RFC 5545 §3.1, §3.3.11: CONTROL minus HTAB). */
// eslint-disable-next-line no-control-regex
const CONTROLS = /[\u0000-\u0008\u000B-\u001F\u007F]/g;

/** TEXT (RFC 5545 §3.3.11): backslash, semicolon, comma and line breaks escaped; other controls dropped. */
export function escapeText(text: string): string {
  return text
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\r\n|\r|\n/g, '\\n')
    .replace(CONTROLS, '');
}

/**
 * A parameter value (RFC 5545 §3.1: quoted-string excludes DQUOTE and controls), always quoted so
 * that `:` `;` `,` in a venue's name are safe; `^`, `"` and newlines caret-encoded (RFC 6868).
 */
function paramValue(text: string): string {
  const encoded = text
    .replace(/\^/g, '^^')
    .replace(/"/g, "^'")
    .replace(/\r\n|\r|\n/g, '^n')
    .replace(CONTROLS, '');
  return `"${encoded}"`;
}

/** Lines longer than 75 octets are folded (RFC 5545 §3.1), without splitting a UTF-8 character. */
export function fold(line: string): string {
  const out: string[] = [];
  let current = '';
  let octets = 0;
  for (const char of line) {
    const size = Buffer.byteLength(char);
    // The continuation's leading space counts towards its 75 octets.
    if (octets + size > (out.length === 0 ? 75 : 74)) {
      out.push(current);
      current = '';
      octets = 0;
    }
    current += char;
    octets += size;
  }
  out.push(current);
  return out.join('\r\n ');
}

function utcStamp(at: Date): string {
  return at.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

function localStamp(at: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(at);
  const get = (type: string) => parts.find((p) => p.type === type)!.value;
  return `${get('year')}${get('month')}${get('day')}T${get('hour')}${get('minute')}${get('second')}`;
}

function when(name: 'DTSTART' | 'DTEND', at: Date, timeZone: string): string {
  return timeZone === 'Asia/Shanghai' ? `${name};TZID=Asia/Shanghai:${localStamp(at, timeZone)}` : `${name}:${utcStamp(at)}`;
}

/**
 * The event's revision: SEQUENCE goes up with each significant revision by the organizer (RFC 5545
 * §3.8.7.4, RFC 5546 §2.1.4), and a client keeps the copy with the higher one. A booking is never
 * moved — its times are fixed once made — so cancelling is its one significant revision.
 */
export function sequenceOf(booking: Pick<CalendarBooking, 'status'>): number {
  return booking.status === 'cancelled' ? 1 : 0;
}

/** When the event last changed in our store: its cancellation, else its creation. */
export function lastModifiedOf(booking: Pick<CalendarBooking, 'createdAt' | 'cancelledAt'>): Date {
  return booking.cancelledAt && booking.cancelledAt > booking.createdAt ? booking.cancelledAt : booking.createdAt;
}

export function reservationEvent(booking: CalendarBooking, site: CalendarSite): string[] {
  const cancelled = booking.status === 'cancelled';
  const modified = utcStamp(lastModifiedOf(booking));
  return [
    'BEGIN:VEVENT',
    `UID:${booking.id}@${site.uidDomain}`,
    // With a METHOD, DTSTAMP is when this instance of the object was made (RFC 5545 §3.8.7.2). The
    // object is a function of the booking's last revision, so we stamp that revision: the same
    // booking is the same bytes on every download (a strong ETag means something), and a newer
    // DTSTAMP at the same SEQUENCE really is newer data (RFC 5546 §2.1.5).
    `DTSTAMP:${modified}`,
    `CREATED:${utcStamp(booking.createdAt)}`,
    `LAST-MODIFIED:${modified}`,
    `SEQUENCE:${sequenceOf(booking)}`,
    when('DTSTART', booking.start, booking.venue.timeZone),
    when('DTEND', booking.end, booking.venue.timeZone),
    `SUMMARY:${escapeText(`${booking.venue.name} · ${booking.resource.name}`)}`,
    `LOCATION:${escapeText([booking.venue.name, booking.venue.address].filter(Boolean).join(' '))}`,
    `DESCRIPTION:${escapeText(`预约码 Booking code: ${booking.code}`)}`,
    // ORGANIZER is required by METHOD:PUBLISH (RFC 5546 §3.2.1) and is a CAL-ADDRESS, whose value is
    // "a URI … or any other IANA-registered form for a URI"; mailto is required only for an email
    // address (RFC 5545 §3.3.3, §3.8.4.3). Venues have no mailbox here, and inventing one would invite
    // mail nobody reads, so the organizer is the venue's public page: a real https URI that names it,
    // with CN its name. PUBLISH expects no replies, so no client needs to write to it.
    `ORGANIZER;CN=${paramValue(booking.venue.name)}:${site.publicBaseUrl}/venues/${booking.venue.id}`,
    `STATUS:${cancelled ? 'CANCELLED' : 'CONFIRMED'}`,
    'END:VEVENT',
  ];
}

export function calendar(events: string[][], name: string): string {
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//City Sports Platform//Bookings//ZH',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    `X-WR-CALNAME:${escapeText(name)}`,
    'X-WR-TIMEZONE:Asia/Shanghai',
    ...SHANGHAI,
    ...events.flat(),
    'END:VCALENDAR',
  ];
  return lines.map(fold).join('\r\n') + '\r\n';
}

const r = schema.reservations;
const v = schema.venues;
const columns = {
  id: r.id,
  code: r.code,
  status: r.status,
  start: startOf(),
  end: endOf(),
  createdAt: r.createdAt,
  cancelledAt: r.cancelledAt,
  venueId: v.id,
  venueName: v.name,
  venueAddress: v.address,
  timeZone: v.timeZone,
  venueUpdatedAt: v.updatedAt,
  resourceName: schema.venueResources.name,
};

function query(db: Queryable) {
  return db
    .select(columns)
    .from(r)
    .innerJoin(v, eq(v.id, r.venueId))
    .innerJoin(schema.venueResources, eq(schema.venueResources.id, r.resourceId));
}

type Row = Awaited<ReturnType<typeof query>>[number];

function toBooking(row: Row): CalendarBooking {
  return {
    id: row.id,
    code: row.code,
    status: row.status,
    start: row.start,
    end: row.end,
    createdAt: row.createdAt,
    cancelledAt: row.cancelledAt,
    venue: { id: row.venueId, name: row.venueName, address: row.venueAddress, timeZone: row.timeZone },
    resource: { name: row.resourceName },
  };
}

/** One booking (whoever may see it has been checked by the caller), or null. */
export async function calendarBooking(db: Queryable, id: string): Promise<CalendarBooking | null> {
  const [row] = await query(db).where(eq(r.id, id));
  return row ? toBooking(row) : null;
}

/** The feed holds at most this many bookings, the soonest first. */
export const FEED_LIMIT = 500;

export interface Feed {
  bookings: CalendarBooking[];
  /**
   * The newest change to what the feed shows: a booking made or cancelled, a venue's name or
   * address edited, or a booking leaving the feed because it ended. Null for a feed never touched.
   */
  lastModified: Date | null;
}

/**
 * A person's bookings that have not ended: the active ones and the cancelled ones, which stay as
 * STATUS:CANCELLED until they are past so that a subscribed calendar learns of the cancellation.
 */
export async function calendarFeed(db: Queryable, userId: string, now: Date): Promise<Feed> {
  const [rows, [left]] = await Promise.all([
    query(db)
      .where(and(eq(r.userId, userId), gt(sql`upper(${r.during})`, now), inArray(r.status, ['confirmed', 'checked_in', 'cancelled'])))
      .orderBy(asc(sql`lower(${r.during})`), asc(r.id))
      .limit(FEED_LIMIT),
    db
      .select({ at: sql<Date | null>`max(upper(${r.during}))`.mapWith(r.createdAt) })
      .from(r)
      .where(and(eq(r.userId, userId), lte(sql`upper(${r.during})`, now), inArray(r.status, ['confirmed', 'checked_in', 'cancelled', 'completed', 'no_show']))),
  ]);
  const changes = rows.flatMap((row) => [lastModifiedOf(row), row.venueUpdatedAt]);
  if (left?.at) changes.push(left.at);
  const lastModified = changes.length ? new Date(Math.max(...changes.map((d) => d.getTime()))) : null;
  return { bookings: rows.map(toBooking), lastModified };
}

/**
 * Whether a GET may answer 304 (RFC 9110 §13.1.2, §13.1.3, §13.2.2): If-None-Match decides when
 * present (weak comparison, `*` matches); otherwise If-Modified-Since, at one-second resolution.
 */
export function notModified(
  headers: { 'if-none-match'?: string | string[] | undefined; 'if-modified-since'?: string | string[] | undefined },
  /** The current body's entity tags, one per content coding (each coding is its own representation). */
  etags: string[],
  lastModified: Date | null,
): boolean {
  const inm = headers['if-none-match'];
  if (inm !== undefined) {
    const tags = (Array.isArray(inm) ? inm.join(',') : inm).split(',').map((tag) => tag.trim().replace(/^W\//, ''));
    return tags.includes('*') || tags.some((tag) => etags.includes(tag));
  }
  const ims = headers['if-modified-since'];
  if (typeof ims !== 'string' || lastModified === null) return false;
  const since = Date.parse(ims);
  if (Number.isNaN(since)) return false;
  return Math.floor(lastModified.getTime() / 1000) * 1000 <= since;
}
