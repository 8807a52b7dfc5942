/**
 * Calendar dates ('YYYY-MM-DD') and wall-clock times in IANA zones, with `Intl` only: what every room
 * needs of dates (opening hours, booking days, school sessions, KPIs, formats). A wall-clock time that
 * a spring-forward change skips resolves to the first instant after the gap; a time that a fall-back
 * change repeats resolves to the earlier instant.
 */

/** ISO weekday: 1 = Monday … 7 = Sunday. */
export type Weekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;

export const MS_PER_MINUTE = 60_000;
export const MS_PER_DAY = 86_400_000;
export const MINUTES_PER_DAY = 24 * 60;
const MAX_DAYS_PER_EXPANSION = 366;
const DATE_SHAPE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME_SHAPE = /^(?:([01]\d|2[0-3]):([0-5]\d)|24:00)$/;

// ─── Calendar dates ───────────────────────────────────────────────────────────────────────────────

/** Milliseconds of a UTC date-time with these fields (years below 100 are not shifted to 19xx). */
function utcMs(year: number, month: number, day: number, minutes = 0): number {
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  return date.getTime() + minutes * MS_PER_MINUTE;
}

/** 'YYYY-MM-DD' of the UTC date of `ms`. */
function formatUtcDate(ms: number): string {
  const date = new Date(ms);
  const pad = (value: number, width: number) => String(value).padStart(width, '0');
  return `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1, 2)}-${pad(date.getUTCDate(), 2)}`;
}

/** UTC midnight of a 'YYYY-MM-DD' date; RangeError unless it is a real calendar date. */
export function utcMidnight(date: string): number {
  const match = DATE_SHAPE.exec(date);
  const ms = match ? utcMs(Number(match[1]), Number(match[2]), Number(match[3])) : NaN;
  if (!match || formatUtcDate(ms) !== date) throw new RangeError(`Not a calendar date YYYY-MM-DD: '${date}'`);
  return ms;
}

/** Calendar arithmetic on 'YYYY-MM-DD': `addDays('2026-02-28', 1)` is '2026-03-01'. */
export function addDays(date: string, days: number): string {
  if (!Number.isInteger(days)) throw new RangeError(`Not a whole number of days: ${days}`);
  return formatUtcDate(utcMidnight(date) + days * MS_PER_DAY);
}

/** ISO weekday of a 'YYYY-MM-DD' date: 1 = Monday … 7 = Sunday. */
export function weekdayOf(date: string): Weekday {
  const sundayFirst = new Date(utcMidnight(date)).getUTCDay();
  return (sundayFirst === 0 ? 7 : sundayFirst) as Weekday;
}

/** Every date from `fromDate` to `toDate` inclusive, at most a year's worth. */
export function datesBetween(fromDate: string, toDate: string): string[] {
  const first = utcMidnight(fromDate);
  const last = utcMidnight(toDate);
  if (first > last) throw new RangeError(`fromDate ${fromDate} is after toDate ${toDate}`);
  const count = (last - first) / MS_PER_DAY + 1;
  if (count > MAX_DAYS_PER_EXPANSION) {
    throw new RangeError(`${count} days from ${fromDate} to ${toDate}; at most ${MAX_DAYS_PER_EXPANSION}`);
  }
  return Array.from({ length: count }, (_, index) => addDays(fromDate, index));
}

// ─── Time zones, with Intl only ───────────────────────────────────────────────────────────────────

const wallClockFormatters = new Map<string, Intl.DateTimeFormat>();

/** A formatter that reads the wall clock in `timeZone`; RangeError for a zone Intl does not know. */
export function wallClockFormatter(timeZone: string): Intl.DateTimeFormat {
  let formatter = wallClockFormatters.get(timeZone);
  if (formatter === undefined) {
    try {
      formatter = new Intl.DateTimeFormat('en-US', {
        timeZone,
        calendar: 'gregory',
        numberingSystem: 'latn',
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
    } catch {
      throw new RangeError(`Unknown time zone: '${timeZone}'`);
    }
    wallClockFormatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The wall clock at an instant in `timeZone`, as the UTC milliseconds with the same fields (whole seconds). */
export function wallClockMs(instant: number, timeZone: string): number {
  const field: Partial<Record<Intl.DateTimeFormatPartTypes, number>> = {};
  for (const part of wallClockFormatter(timeZone).formatToParts(instant)) field[part.type] = Number(part.value);
  const { year = NaN, month = NaN, day = NaN, hour = NaN, minute = NaN, second = NaN } = field;
  return utcMs(year, month, day, hour * 60 + minute) + second * 1000;
}

/** The zone's UTC offset at an instant, in milliseconds. */
function offsetMs(instant: number, timeZone: string): number {
  return wallClockMs(instant, timeZone) - Math.floor(instant / 1000) * 1000;
}

/**
 * The instant at which the wall clock in `timeZone` reads `wall` (UTC milliseconds with the wall-clock
 * fields). The offsets a day before and after are the only candidates, as in the Temporal polyfill; both
 * fit on a fall-back day (take the earlier), neither fits inside a spring-forward gap.
 */
export function instantAtWallClock(wall: number, timeZone: string): number {
  const offsetBefore = offsetMs(wall - MS_PER_DAY, timeZone);
  const offsetAfter = offsetMs(wall + MS_PER_DAY, timeZone);
  const fitting = [wall - offsetBefore, wall - offsetAfter].filter((instant) => wallClockMs(instant, timeZone) === wall);
  if (fitting.length > 0) return Math.min(...fitting);
  return offsetChange(wall - offsetAfter, wall - offsetBefore, timeZone);
}

/**
 * Bisects whole seconds for the first instant whose offset differs from the one at `before`; that is the
 * first instant after a spring-forward gap, which lies in (before, after].
 */
function offsetChange(before: number, after: number, timeZone: string): number {
  const offsetEarlier = offsetMs(before, timeZone);
  let low = before;
  let high = after;
  while (high - low > 1000) {
    const middle = low + Math.floor((high - low) / 2000) * 1000;
    if (offsetMs(middle, timeZone) === offsetEarlier) low = middle;
    else high = middle;
  }
  return high;
}

/** Whether 'YYYY-MM-DD' names a real calendar date (not 2026-02-30). */
export function isCalendarDate(date: string): boolean {
  try {
    return addDays(date, 0) === date;
  } catch {
    return false;
  }
}

/** 'YYYY-MM-DD' of an instant as the wall clock in `timeZone` shows it. */
export function localDate(at: Date, timeZone: string): string {
  if (Number.isNaN(at.getTime())) throw new RangeError('Invalid Date');
  return formatUtcDate(wallClockMs(at.getTime(), timeZone));
}

/**
 * The instant a local date and 'HH:MM' name in `timeZone` (DST-safe as above): e.g. the moment a
 * booking day is released.
 */
export function localTimeToInstant(date: string, time: string, timeZone: string): Date {
  const minutes = minutesOf(time);
  if (minutes === null) throw new RangeError(`Not a time HH:MM: '${time}'`);
  return new Date(instantAtWallClock(utcMidnight(date) + minutes * MS_PER_MINUTE, timeZone));
}

/** Minutes past midnight of 'HH:MM' ('24:00' is 1440), or null when it is not such a time. */
export function minutesOf(time: string): number | null {
  const match = TIME_SHAPE.exec(time);
  if (!match) return null;
  return match[1] === undefined ? MINUTES_PER_DAY : Number(match[1]) * 60 + Number(match[2]);
}
