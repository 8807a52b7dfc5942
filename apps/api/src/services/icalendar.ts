import type { Reservation } from '@sports/contracts';

/**
 * iCalendar (RFC 5545) for bookings. Times are written in the venue's zone with a VTIMEZONE for
 * Asia/Shanghai (no daylight saving since 1991), which Apple, Google and Outlook all honour; other
 * zones fall back to UTC times, which every client also shows correctly.
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

function escapeText(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r?\n/g, '\\n');
}

/** Lines longer than 75 octets are folded (RFC 5545 §3.1), without splitting a UTF-8 character. */
function fold(line: string): string {
  const out: string[] = [];
  let current = '';
  let octets = 0;
  for (const char of line) {
    const size = Buffer.byteLength(char);
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

function when(name: 'DTSTART' | 'DTEND', iso: string, timeZone: string): string {
  const at = new Date(iso);
  return timeZone === 'Asia/Shanghai' ? `${name};TZID=Asia/Shanghai:${localStamp(at, timeZone)}` : `${name}:${utcStamp(at)}`;
}

export function reservationEvent(reservation: Reservation, host: string, now: Date): string[] {
  const cancelled = reservation.status === 'cancelled';
  return [
    'BEGIN:VEVENT',
    `UID:${reservation.id}@${host}`,
    `DTSTAMP:${utcStamp(now)}`,
    when('DTSTART', reservation.start, reservation.venue.timeZone),
    when('DTEND', reservation.end, reservation.venue.timeZone),
    `SUMMARY:${escapeText(`${reservation.venue.name} · ${reservation.resource.name}`)}`,
    `LOCATION:${escapeText([reservation.venue.name, reservation.venue.address].filter(Boolean).join(' '))}`,
    `DESCRIPTION:${escapeText(`预约码 Booking code: ${reservation.code}`)}`,
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
