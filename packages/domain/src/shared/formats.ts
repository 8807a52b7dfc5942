import { isCalendarDate } from './calendar.ts';

/**
 * The string formats the contracts name (`date`, `date-time`), checked as a calendar and a clock
 * would, not only by shape: 2026-02-30 is no date, 23:59:60 is no time this platform can store, and
 * year 0 is no year PostgreSQL knows. The API's validator checks every request with these.
 */

/** Years a date on this platform can fall in: wide enough for any booking, plan, birth or report. */
export const FIRST_YEAR = 1900;
export const LAST_YEAR = 2199;

const DATE_TIME = /^(\d{4}-\d{2}-\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?([Zz]|[+-](\d{2}):(\d{2}))$/;

/** A real day of the Gregorian calendar, YYYY-MM-DD, between FIRST_YEAR and LAST_YEAR. */
export function isStorableDate(value: string): boolean {
  if (!isCalendarDate(value)) return false;
  const year = Number(value.slice(0, 4));
  return year >= FIRST_YEAR && year <= LAST_YEAR;
}

/**
 * An RFC 3339 instant with its offset (`2026-12-03T19:00:00+08:00`, `…Z`): a storable date, hours
 * 00–23, minutes and seconds 00–59 (no leap second), an offset of at most ±23:59.
 */
export function isTimestamp(value: string): boolean {
  const m = DATE_TIME.exec(value);
  if (!m || !isStorableDate(m[1]!)) return false;
  if (Number(m[2]) > 23 || Number(m[3]) > 59 || Number(m[4]) > 59) return false;
  return m[7] === undefined || (Number(m[7]) <= 23 && Number(m[8]) <= 59);
}

/** Every checked format by the name schemas give it: `Type.String({ format: 'date' })`. */
export const FORMATS = { date: isStorableDate, 'date-time': isTimestamp } as const;
