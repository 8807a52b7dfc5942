import type { HoursException, SetHoursBody, TimeRange, VenueDetail } from '@sports/contracts';
import {
  addDays,
  chinaHolidayCalendar,
  expandOpeningHours,
  localDate,
  validateTimeRanges,
  type HolidayCalendar,
  type HolidayRule,
  type Weekday,
} from '@sports/domain';
import { closedDayNote, weekOfHours, type DayHours } from './venue-hours.ts';

export const WEEKDAYS: readonly Weekday[] = [1, 2, 3, 4, 5, 6, 7];
export const HOLIDAY_RULES: readonly HolidayRule[] = ['as_weekend', 'closed', 'as_usual'];
/** The API takes at most this many ranges a day. */
export const MAX_RANGES_PER_DAY = 6;

/** The hours editor's working copy: every weekday present, closed days as []. */
export interface HoursDraft {
  weekly: Record<Weekday, TimeRange[]>;
  holidayRule: HolidayRule;
  timeZone: string;
}

export function hoursDraftOf(venue: Pick<VenueDetail, 'weeklyHours' | 'holidayRule' | 'timeZone'>): HoursDraft {
  const weekly = {} as Record<Weekday, TimeRange[]>;
  for (const day of WEEKDAYS) weekly[day] = (venue.weeklyHours[day] ?? []).map((range) => ({ ...range }));
  return { weekly, holidayRule: venue.holidayRule, timeZone: venue.timeZone };
}

/** The weekdays whose ranges the API would refuse (a start not before its end, an overlap). */
export function invalidDays(draft: HoursDraft): Weekday[] {
  return WEEKDAYS.filter((day) => validateTimeRanges(draft.weekly[day]) !== null);
}

export function setHoursBody(draft: HoursDraft): SetHoursBody {
  const weeklyHours: SetHoursBody['weeklyHours'] = {};
  for (const day of WEEKDAYS) weeklyHours[day] = draft.weekly[day].map((range) => ({ ...range }));
  return { weeklyHours, holidayRule: draft.holidayRule };
}

export function sameHours(a: HoursDraft, b: HoursDraft): boolean {
  return JSON.stringify(setHoursBody(a)) === JSON.stringify(setHoursBody(b)) && a.timeZone === b.timeZone;
}

/** The venue's local date now: the first day of the preview. */
export function venueToday(timeZone: string, now: Date = new Date()): string {
  return localDate(now, timeZone);
}

/**
 * The next 7 days as residents will see them once the draft is saved: the draft's week, the venue's
 * dated closures and special hours, and China's public holidays, expanded by the one rule every part
 * of the platform uses (expandOpeningHours). Null while a day's ranges are invalid.
 */
export function previewWeek(
  draft: HoursDraft,
  exceptions: readonly HoursException[],
  today: string,
  calendar: HolidayCalendar = chinaHolidayCalendar,
): DayHours[] | null {
  if (invalidDays(draft).length > 0) return null;
  const venueWide = exceptions.filter((exception) => exception.resourceId === null);
  const intervals = expandOpeningHours(
    {
      timeZone: draft.timeZone,
      weekly: draft.weekly,
      holidayRule: draft.holidayRule,
      exceptions: venueWide.map(({ date, kind, ranges, reason }) => ({ date, kind, ranges, reason })),
    },
    today,
    addDays(today, 6),
    calendar,
  );
  return weekOfHours({
    intervals,
    timeZone: draft.timeZone,
    today,
    closedNote: (date) => closedDayNote(date, venueWide, calendar),
  });
}

const pad = (value: number) => String(value).padStart(2, '0');
const clock = (minutes: number) => (minutes === 1440 ? '24:00' : `${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`);
const QUARTERS = Array.from({ length: 97 }, (_, index) => clock(index * 15));

/** Times a range may start at (every quarter hour), plus `current` if it is off that grid. */
export function startTimes(current?: string): string[] {
  return withCurrent(QUARTERS.slice(0, -1), current);
}

/** Times a range may end at, up to 24:00, plus `current` if it is off the grid. */
export function endTimes(current?: string): string[] {
  return withCurrent(QUARTERS.slice(1), current);
}

function withCurrent(times: string[], current: string | undefined): string[] {
  if (!current || times.includes(current)) return times;
  return [...times, current].sort();
}
