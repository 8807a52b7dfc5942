import type { HoursException } from '@sports/contracts';
import { addDays, localDate, weekdayOf, type HolidayCalendar, type Weekday } from '@sports/domain';

/** An open interval as the API sends it (ISO instants) or as expandOpeningHours returns it (Dates). */
export interface IntervalLike {
  /** The local date 'YYYY-MM-DD' the interval belongs to. */
  date: string;
  start: string | Date;
  end: string | Date;
  /** A holiday's name or an exception's reason. */
  note?: string | undefined;
}

/** One day of a venue's week, ready to show. */
export interface DayHours {
  date: string;
  weekday: Weekday;
  isToday: boolean;
  /** Wall-clock 'HH:MM' in the venue's zone; an interval running to midnight ends at '24:00'. */
  ranges: { start: string; end: string }[];
  /** Holiday names and exception reasons of the day, each once. */
  notes: string[];
  closed: boolean;
}

export interface WeekOfHoursInput {
  intervals: IntervalLike[];
  timeZone: string;
  /** The venue's local date today: the first day shown. */
  today: string;
  days?: number;
  /** Why a day without intervals is closed (a closure's reason, a holiday's name), when known. */
  closedNote?: (date: string) => string | undefined;
}

const clockFormatters = new Map<string, Intl.DateTimeFormat>();

/** 'HH:MM' of an instant on the wall clock of `timeZone`. */
function wallClock(instant: Date, timeZone: string): string {
  let formatter = clockFormatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    clockFormatters.set(timeZone, formatter);
  }
  return formatter.format(instant);
}

/**
 * Groups open intervals by their local date, for `days` dates from `today`: each date with its
 * ranges and notes, a date without intervals marked closed (with `closedNote`'s reason), today
 * flagged. Times are shown on the venue's clock, whatever the browser's zone.
 */
export function weekOfHours({ intervals, timeZone, today, days = 7, closedNote }: WeekOfHoursInput): DayHours[] {
  return Array.from({ length: days }, (_, index) => {
    const date = addDays(today, index);
    const onDate = intervals
      .filter((interval) => interval.date === date)
      .map((interval) => ({ ...interval, start: new Date(interval.start), end: new Date(interval.end) }))
      .sort((a, b) => a.start.getTime() - b.start.getTime());
    const ranges = onDate.map(({ start, end }) => ({
      start: wallClock(start, timeZone),
      end: localDate(end, timeZone) !== date && wallClock(end, timeZone) === '00:00' ? '24:00' : wallClock(end, timeZone),
    }));
    const closed = ranges.length === 0;
    const reasons = closed ? [closedNote?.(date)] : onDate.map((interval) => interval.note);
    const notes = [...new Set(reasons.filter((note): note is string => Boolean(note)))];
    return { date, weekday: weekdayOf(date), isToday: date === today, ranges, notes, closed };
  });
}

/**
 * Why the whole venue is closed on a date: a dated closure's reason, else the name of the public
 * holiday it falls on (a venue closed on holidays, or one whose Sunday is closed), else nothing.
 */
export function closedDayNote(
  date: string,
  exceptions: readonly Pick<HoursException, 'date' | 'kind' | 'reason' | 'resourceId'>[],
  calendar: HolidayCalendar,
): string | undefined {
  const closure = exceptions.find((exception) => exception.date === date && exception.resourceId === null);
  if (closure) return closure.reason;
  const day = calendar.dayInfo(date);
  return day.type === 'holiday' ? day.name : undefined;
}
