/**
 * School fields open to residents (学校场地开放): when a plan's sessions fall, who may come, how many
 * sessions a resident may hold, and when an entry code is valid. Pure functions; the caller supplies
 * the calendar and the clock.
 */
import type { HolidayCalendar } from '../venues/holiday-calendar.ts';
import { addDays, isCalendarDate, localTimeToInstant, validateTimeRanges, weekdayOf, type TimeRange, type Weekday, type WeeklySchedule } from '../venues/opening-hours.ts';

/** Who may register: residents of the school's city, or only of its district. */
export const SCHOOL_ELIGIBILITIES = ['city', 'district'] as const;
export type SchoolEligibility = (typeof SCHOOL_ELIGIBILITIES)[number];

/** Children under this age come only with a registered guardian. */
export const MINOR_AGE = 14;
/** A guardian brings at most this many children. */
export const MAX_ACCOMPANYING_MINORS = 3;
/** Entry codes open this long before a session and close at its end. */
export const ENTRY_OPENS_MINUTES = 30;
/** Plans are expanded at most this far ahead of today (the registration window). */
export const SCHOOL_WINDOW_DAYS = 7;

export interface SchoolPlanRules {
  timeZone: string;
  /** First and last local date of the plan (a term or a vacation), inclusive. */
  startsOn: string;
  endsOn: string;
  /** Sessions per weekday; each range is one session. */
  weekly: WeeklySchedule;
  /** Dates the field is not open (exams, school events). */
  closedDates: readonly string[];
  /** On statutory holidays: open with the weekend's (Sunday's) sessions, or closed. Make-up workdays take Friday's. */
  openOnHolidays: boolean;
}

export interface PlannedSession {
  /** Local date. */
  date: string;
  start: Date;
  end: Date;
  /** The holiday's name when the date is one. */
  note?: string;
}

/** Sessions of a plan between local dates `from` and `to` (inclusive), clipped to the plan's range. */
export function planSessions(plan: SchoolPlanRules, from: string, to: string, calendar: HolidayCalendar): PlannedSession[] {
  const first = from > plan.startsOn ? from : plan.startsOn;
  const last = to < plan.endsOn ? to : plan.endsOn;
  const closed = new Set(plan.closedDates);
  const sessions: PlannedSession[] = [];
  for (let date = first; date <= last; date = addDays(date, 1)) {
    if (closed.has(date)) continue;
    const day = calendar.dayInfo(date);
    let ranges: TimeRange[];
    let note: string | undefined;
    if (day.type === 'holiday') {
      if (!plan.openOnHolidays) continue;
      ranges = plan.weekly[7] ?? [];
      note = day.name;
    } else if (day.type === 'makeup_workday') {
      ranges = plan.weekly[5] ?? [];
      note = day.name === undefined ? '调休上班' : `${day.name}调休上班`;
    } else {
      ranges = plan.weekly[weekdayOf(date)] ?? [];
    }
    for (const range of [...ranges].sort((a, b) => a.start.localeCompare(b.start))) {
      const session: PlannedSession = {
        date,
        start: localTimeToInstant(date, range.start, plan.timeZone),
        end: localTimeToInstant(date, range.end, plan.timeZone),
      };
      sessions.push(note === undefined ? session : { ...session, note });
    }
  }
  return sessions;
}

export type SchoolPlanProblem = { field: string; reason: string };

/**
 * Why a plan cannot be published, field by field (empty when it can): dates in order and at most a
 * year apart, at least one session a week, sessions well-formed and not overlapping or touching
 * (each is its own registration), closed dates inside the plan.
 */
export function checkSchoolPlan(plan: Pick<SchoolPlanRules, 'startsOn' | 'endsOn' | 'weekly' | 'closedDates'>): SchoolPlanProblem[] {
  const problems: SchoolPlanProblem[] = [];
  const badDates = (['startsOn', 'endsOn'] as const).filter((field) => !isCalendarDate(plan[field]));
  for (const field of badDates) problems.push({ field, reason: 'not_a_date' });
  if (plan.closedDates.some((date) => !isCalendarDate(date))) problems.push({ field: 'closedDates', reason: 'not_a_date' });
  if (badDates.length > 0) return problems;
  if (plan.endsOn < plan.startsOn) problems.push({ field: 'endsOn', reason: 'before_start' });
  else if (plan.endsOn > addDays(plan.startsOn, 366)) problems.push({ field: 'endsOn', reason: 'too_long' });
  let any = false;
  for (const day of [1, 2, 3, 4, 5, 6, 7] as Weekday[]) {
    const ranges = plan.weekly[day] ?? [];
    if (ranges.length > 0) any = true;
    const invalid = validateTimeRanges(ranges);
    const sorted = [...ranges].sort((a, b) => a.start.localeCompare(b.start));
    const touching = sorted.some((range, i) => i > 0 && range.start <= sorted[i - 1]!.end);
    if (invalid || touching) problems.push({ field: `weekly.${day}`, reason: invalid ?? 'sessions_touch' });
  }
  if (!any) problems.push({ field: 'weekly', reason: 'no_sessions' });
  for (const date of plan.closedDates) {
    if (date < plan.startsOn || date > plan.endsOn) {
      problems.push({ field: 'closedDates', reason: 'outside_plan' });
      break;
    }
  }
  return problems;
}

/** Whole years of age on a local date, from a birth date 'YYYY-MM-DD'. */
export function ageOn(birthDate: string, date: string): number {
  const [by, bm, bd] = birthDate.split('-').map(Number) as [number, number, number];
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

export type EligibilityRefusal = 'no_region' | 'other_city' | 'other_district' | 'minor_alone' | 'minors_not_allowed' | 'too_many_minors' | 'minor_too_old';

export interface EligibilityInput {
  eligibility: SchoolEligibility;
  school: { cityCode: string; districtCode: string | null };
  /** The resident's declared home district and its city. */
  resident: { cityCode: string | null; districtCode: string | null; birthDate: string };
  /** Local date of the session. */
  date: string;
  allowMinors: boolean;
  /** Ages of the children the resident brings. */
  minorAges: readonly number[];
}

/** Whether a resident may register for a session, or the first reason not. */
export function checkEligibility(input: EligibilityInput): EligibilityRefusal | null {
  const { resident, school } = input;
  if (!resident.cityCode || !resident.districtCode) return 'no_region';
  if (resident.cityCode !== school.cityCode) return 'other_city';
  if (input.eligibility === 'district' && resident.districtCode !== school.districtCode) return 'other_district';
  if (ageOn(resident.birthDate, input.date) < MINOR_AGE) return 'minor_alone';
  if (input.minorAges.length > 0 && !input.allowMinors) return 'minors_not_allowed';
  if (input.minorAges.length > MAX_ACCOMPANYING_MINORS) return 'too_many_minors';
  if (input.minorAges.some((age) => age >= MINOR_AGE)) return 'minor_too_old';
  return null;
}

export interface SchoolQuota {
  /** Sessions one resident may hold at one school on one day. */
  perSchoolPerDay: number;
  /** Sessions one resident may hold in one week (Monday to Sunday) across all schools. */
  perWeek: number;
}

export const DEFAULT_SCHOOL_QUOTA: SchoolQuota = { perSchoolPerDay: 1, perWeek: 3 };

/** Monday of the week of a local date. */
export function weekStartOf(date: string): string {
  return addDays(date, 1 - weekdayOf(date));
}

/**
 * Which quota a new registration would break, given the resident's other active registrations
 * (school and local date of each), or null.
 */
export function checkSchoolQuota(
  quota: SchoolQuota,
  held: readonly { schoolId: string; date: string }[],
  wanted: { schoolId: string; date: string },
): 'per_school_per_day' | 'per_week' | null {
  if (held.filter((h) => h.schoolId === wanted.schoolId && h.date === wanted.date).length >= quota.perSchoolPerDay) return 'per_school_per_day';
  const week = weekStartOf(wanted.date);
  if (held.filter((h) => weekStartOf(h.date) === week).length >= quota.perWeek) return 'per_week';
  return null;
}

/** When an entry code may be used: from 30 minutes before the session until it ends. */
export function entryWindow(start: Date, end: Date): { opens: Date; closes: Date } {
  return { opens: new Date(start.getTime() - ENTRY_OPENS_MINUTES * 60_000), closes: end };
}

export function withinEntryWindow(start: Date, end: Date, now: Date): boolean {
  const { opens, closes } = entryWindow(start, end);
  return now.getTime() >= opens.getTime() && now.getTime() <= closes.getTime();
}

/** `张三丰` → `张**`; `Li` → `L*`. A name is never shown in full to staff. */
export function maskName(name: string): string {
  const chars = [...name.trim()];
  if (chars.length === 0) return '';
  return chars[0] + '*'.repeat(Math.max(1, chars.length - 1));
}

/**
 * The share of school venues open to residents a city's plan sets. Ordos's plan (鄂府办发〔2024〕52号)
 * sets 60 %; Zhengzhou's 2024 plan names no figure, so the same 60 % is shown as the reference.
 */
export function schoolOpenTarget(cityCode: string): { value: number; source: { zh: string; en: string } } {
  if (cityCode === '150600') {
    return {
      value: 0.6,
      source: {
        zh: '鄂尔多斯市创建全国全民运动健身模范市实施方案（鄂府办发〔2024〕52号）',
        en: 'Ordos plan for a national model city of fitness for all (E Fu Ban Fa [2024] No. 52)',
      },
    };
  }
  return {
    value: 0.6,
    source: { zh: '本市计划未设此项，参照鄂尔多斯市 60% 目标', en: 'No target in this city’s plan; Ordos’s 60 % shown for reference' },
  };
}
