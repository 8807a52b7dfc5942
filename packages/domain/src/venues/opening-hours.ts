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
import {
  MS_PER_MINUTE,
  MINUTES_PER_DAY,
  datesBetween,
  instantAtWallClock,
  localDate,
  minutesOf,
  utcMidnight,
  wallClockFormatter,
  weekdayOf,
  type Weekday,
} from '../shared/calendar.ts';

// The calendar arithmetic and time-zone conversion every room uses live in shared/calendar.ts.
export { addDays, isCalendarDate, localDate, localTimeToInstant, weekdayOf } from '../shared/calendar.ts';
export type { Weekday } from '../shared/calendar.ts';


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

const WEEKDAYS: readonly Weekday[] = [1, 2, 3, 4, 5, 6, 7];

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

// ─── Time ranges ──────────────────────────────────────────────────────────────────────────────────

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
