/**
 * Opening hours: a venue's weekly wall-clock rules, dated exceptions and holiday policy, expanded into
 * concrete open intervals (absolute instants). This is the only place the rule lives; the venue page,
 * booking slots, school sessions and KPIs all call `expandOpeningHours`.
 *
 * Rules are local times in the venue's IANA zone. Conversion uses only `Intl`: a wall-clock time that a
 * spring-forward change skips resolves to the first instant after the gap; a time that a fall-back change
 * repeats resolves to the earlier instant.
 */
import type { HolidayCalendar } from './holiday-calendar.ts';

/** ISO weekday: 1 = Monday … 7 = Sunday. */
export type Weekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;

/** 'HH:MM' local times; `end` may be '24:00'. A range never crosses midnight. */
export interface TimeRange {
  start: string;
  end: string;
}

/** Open ranges per weekday; a missing weekday or `[]` means closed that day. */
export type WeeklySchedule = Partial<Record<Weekday, TimeRange[]>>;

/** A dated closure, or special hours replacing the usual ones, with the reason shown to visitors. */
export interface DatedException {
  date: string;
  kind: 'closed' | 'special';
  ranges?: TimeRange[];
  reason: string;
}

/** What a statutory holiday does to the hours: Sunday's hours, closed, or the weekday's own hours. */
export type HolidayRule = 'as_weekend' | 'closed' | 'as_usual';

/** Everything that decides when a venue (or a resource with its own week) is open. */
export interface OpeningRules {
  /** IANA time zone of the wall-clock times, e.g. 'Asia/Shanghai'. */
  timeZone: string;
  weekly: WeeklySchedule;
  exceptions: DatedException[];
  holidayRule: HolidayRule;
}

/** One open period: `start` inclusive, `end` exclusive, within the local `date` it belongs to. */
export interface OpenInterval {
  start: Date;
  end: Date;
  /** Local date 'YYYY-MM-DD'. */
  date: string;
  /** The exception's reason or the holiday's name. */
  note?: string;
}

const MS_PER_MINUTE = 60_000;
const MS_PER_DAY = 86_400_000;
const MINUTES_PER_DAY = 24 * 60;
const MAX_DAYS_PER_EXPANSION = 366;
const WEEKDAYS: readonly Weekday[] = [1, 2, 3, 4, 5, 6, 7];
const DATE_SHAPE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME_SHAPE = /^(?:([01]\d|2[0-3]):([0-5]\d)|24:00)$/;

/** Half-open [start, end): minutes past local midnight, or epoch milliseconds. */
interface Span {
  start: number;
  end: number;
}

interface DayHours {
  ranges: Span[];
  note?: string;
}

interface ParsedException {
  kind: DatedException['kind'];
  ranges: Span[];
  reason: string;
}

interface ParsedRules {
  timeZone: string;
  weekly: Map<Weekday, Span[]>;
  exceptions: Map<string, ParsedException[]>;
  holidayRule: HolidayRule;
}

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
function utcMidnight(date: string): number {
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
function datesBetween(fromDate: string, toDate: string): string[] {
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
function wallClockFormatter(timeZone: string): Intl.DateTimeFormat {
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
function wallClockMs(instant: number, timeZone: string): number {
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
function instantAtWallClock(wall: number, timeZone: string): number {
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

// ─── Time ranges ──────────────────────────────────────────────────────────────────────────────────

/** Minutes past midnight of 'HH:MM' ('24:00' is 1440), or null when it is not such a time. */
function minutesOf(time: string): number | null {
  const match = TIME_SHAPE.exec(time);
  if (!match) return null;
  return match[1] === undefined ? MINUTES_PER_DAY : Number(match[1]) * 60 + Number(match[2]);
}

/** A range in minutes past midnight, or a short reason it is unusable. */
function parseRange(range: TimeRange): Span | string {
  const start = minutesOf(range.start);
  const end = minutesOf(range.end);
  if (start === null) return `start '${range.start}' is not a time HH:MM`;
  if (start === MINUTES_PER_DAY) return `24:00 can only end a range`;
  if (end === null) return `end '${range.end}' is not a time HH:MM (or 24:00)`;
  if (start >= end) return `start ${range.start} is not before end ${range.end}`;
  return { start, end };
}

/**
 * Why a day's ranges are unusable, as a short English reason for the editor, or null when they are fine:
 * a malformed time, a start not before its end, or two ranges that overlap (touching is fine).
 */
export function validateTimeRanges(ranges: TimeRange[]): string | null {
  const parsed: (Span & { label: string })[] = [];
  for (const range of ranges) {
    const result = parseRange(range);
    if (typeof result === 'string') return result;
    parsed.push({ ...result, label: `${range.start}–${range.end}` });
  }
  parsed.sort((a, b) => a.start - b.start);
  for (const [index, range] of parsed.entries()) {
    const previous = parsed[index - 1];
    if (previous && range.start < previous.end) return `${previous.label} overlaps ${range.label}`;
  }
  return null;
}

// ─── Rules ────────────────────────────────────────────────────────────────────────────────────────

/** Parses ranges, throwing a RangeError that says where a malformed one is. */
function parseRanges(ranges: TimeRange[], where: string): Span[] {
  return ranges.map((range) => {
    const result = parseRange(range);
    if (typeof result === 'string') throw new RangeError(`${where}: ${result}`);
    return result;
  });
}

/** Checks and parses the rules once, so a malformed rule fails whatever dates are asked for. */
function parseRules(rules: OpeningRules): ParsedRules {
  wallClockFormatter(rules.timeZone);
  const weekly = new Map(WEEKDAYS.map((day) => [day, parseRanges(rules.weekly[day] ?? [], `weekday ${day}`)]));
  const exceptions = new Map<string, ParsedException[]>();
  for (const { date, kind, ranges = [], reason } of rules.exceptions) {
    utcMidnight(date);
    const parsed = { kind, ranges: kind === 'closed' ? [] : parseRanges(ranges, `exception on ${date}`), reason };
    exceptions.set(date, [...(exceptions.get(date) ?? []), parsed]);
  }
  return { timeZone: rules.timeZone, weekly, exceptions, holidayRule: rules.holidayRule };
}

/** Exceptions on one date: a closure wins over special hours; several special hours add up. */
function exceptionHours(onDate: ParsedException[]): DayHours {
  const closure = onDate.find((exception) => exception.kind === 'closed');
  if (closure) return { ranges: [], note: closure.reason };
  return {
    ranges: onDate.flatMap((exception) => exception.ranges),
    note: onDate.map((exception) => exception.reason).join('; '),
  };
}

/** The wall-clock ranges of one local date: exception, then holiday, then make-up workday, then weekday. */
function hoursOn(date: string, rules: ParsedRules, calendar: HolidayCalendar): DayHours {
  const exceptions = rules.exceptions.get(date);
  if (exceptions) return exceptionHours(exceptions);
  const weekly = (day: Weekday) => rules.weekly.get(day) ?? [];
  const own = weekly(weekdayOf(date));
  const day = calendar.dayInfo(date);
  if (day.type === 'holiday') {
    switch (rules.holidayRule) {
      case 'closed':
        return { ranges: [] };
      case 'as_weekend':
        return { ranges: weekly(7), note: day.name };
      case 'as_usual':
        return { ranges: own, note: day.name };
    }
  }
  if (day.type === 'makeup_workday' && rules.holidayRule !== 'as_usual') return { ranges: weekly(5) };
  return { ranges: own };
}

/** Sorts spans, joins those that overlap or touch, and drops empty ones (a range inside a DST gap). */
function mergeSpans(spans: Span[]): Span[] {
  const merged: Span[] = [];
  for (const span of [...spans].sort((a, b) => a.start - b.start)) {
    if (span.end <= span.start) continue;
    const last = merged.at(-1);
    if (last && span.start <= last.end) last.end = Math.max(last.end, span.end);
    else merged.push({ ...span });
  }
  return merged;
}

/** The open intervals of one local date. */
function intervalsOn(date: string, rules: ParsedRules, calendar: HolidayCalendar): OpenInterval[] {
  const { ranges, note } = hoursOn(date, rules, calendar);
  const midnight = utcMidnight(date);
  const instant = (minutes: number) => instantAtWallClock(midnight + minutes * MS_PER_MINUTE, rules.timeZone);
  const spans = mergeSpans(ranges.map((range) => ({ start: instant(range.start), end: instant(range.end) })));
  return spans.map(({ start, end }) => {
    const interval = { start: new Date(start), end: new Date(end), date };
    return note === undefined ? interval : { ...interval, note };
  });
}

/**
 * Expands the rules into open intervals for the local dates `fromDate`…`toDate` (inclusive, at most 366).
 * For each date: a dated exception wins; else a statutory holiday follows `holidayRule`; else a make-up
 * workday (调休上班) gets Friday's hours unless the rule is 'as_usual'; else the weekday's own hours.
 * Within a day, overlapping or touching ranges are merged; '24:00' ends at the next local midnight.
 * The result is sorted and never overlaps. Throws a RangeError for an unknown time zone, a malformed date
 * or time, `fromDate` after `toDate`, or more than 366 days.
 */
export function expandOpeningHours(
  rules: OpeningRules,
  fromDate: string,
  toDate: string,
  calendar: HolidayCalendar,
): OpenInterval[] {
  const dates = datesBetween(fromDate, toDate);
  const parsed = parseRules(rules);
  return dates.flatMap((date) => intervalsOn(date, parsed, calendar));
}

/**
 * Whether the venue is open at an instant (interval start inclusive, end exclusive). Every interval lies
 * within its own local date, so expanding the local date of `at` is enough.
 */
export function isOpenAt(rules: OpeningRules, at: Date, calendar: HolidayCalendar): boolean {
  const date = localDate(at, rules.timeZone);
  const instant = at.getTime();
  return expandOpeningHours(rules, date, date, calendar).some(
    (interval) => interval.start.getTime() <= instant && instant < interval.end.getTime(),
  );
}
