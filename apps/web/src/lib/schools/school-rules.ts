import type { PlanPreview, SchoolPlan, SchoolPlanBody, SchoolRegistration, TimeRange } from '@sports/contracts';
import {
  addDays,
  checkIdNumber,
  checkSchoolPlan,
  MAX_ACCOMPANYING_MINORS,
  MINOR_AGE,
  weekdayOf,
  type SchoolEligibility,
  type Weekday,
} from '@sports/domain';

/** School sessions are shown on the schools' clock; both cities of the platform keep China Standard Time. */
export const SCHOOL_TIME_ZONE = 'Asia/Shanghai';

export const WEEKDAYS: readonly Weekday[] = [1, 2, 3, 4, 5, 6, 7];

// ——— registering ———

/** One child the resident brings, as typed: the age stays text until it is checked. */
export interface MinorDraft {
  name: string;
  age: string;
}

export type MinorProblem = 'nameRequired' | 'nameLength' | 'ageRequired' | 'ageRange';

/** Per child, what is wrong (i18n keys under `schools.register`), or null: name 1–20 characters, age 0–13. */
export function minorProblems(minors: readonly MinorDraft[]): { name: MinorProblem | null; age: MinorProblem | null }[] {
  return minors.map((minor) => {
    const name = minor.name.trim();
    const ageText = minor.age.trim();
    const age = Number(ageText);
    return {
      name: name.length === 0 ? 'nameRequired' : [...name].length > 20 ? 'nameLength' : null,
      age: ageText === '' ? 'ageRequired' : !/^\d{1,2}$/.test(ageText) || age >= MINOR_AGE ? 'ageRange' : null,
    };
  });
}

/** The request body: the resident plus each child, every child a place. */
export function registrationBody(minors: readonly MinorDraft[]): { partySize: number; minors: { name: string; age: number }[] } {
  const list = minors.map((minor) => ({ name: minor.name.trim(), age: Number(minor.age.trim()) }));
  return { partySize: 1 + list.length, minors: list };
}

/** How many more children may be added: none when the session takes no children or there are no places for them. */
export function minorsAllowed(session: { allowMinors: boolean; remaining: number }, current: number): number {
  if (!session.allowMinors) return 0;
  return Math.max(0, Math.min(MAX_ACCOMPANYING_MINORS, session.remaining - 1) - current);
}

/** A resident may cancel a registration that is still confirmed and whose session has not begun. */
export function canCancelRegistration(registration: Pick<SchoolRegistration, 'status' | 'session'>, now: Date): boolean {
  return registration.status === 'confirmed' && new Date(registration.session.start).getTime() > now.getTime();
}

// ——— the session list ———

/** The dates the list offers: today and the following days of the registration window. */
export function windowDates(today: string, days: number): string[] {
  return Array.from({ length: days }, (_, i) => addDays(today, i));
}

// ——— real-name identity ———

export interface IdentityDraft {
  name: string;
  idNumber: string;
  districtCode: string;
  consented: boolean;
}

export type IdentityProblems = Partial<Record<keyof IdentityDraft, string>>;

/** The API's rules, checked before sending (i18n keys under `identity.errors`). */
export function identityProblems(draft: IdentityDraft, today: Date): IdentityProblems {
  const found: IdentityProblems = {};
  const name = draft.name.trim();
  if (!name) found.name = 'nameRequired';
  else if ([...name].length < 2 || [...name].length > 30) found.name = 'nameLength';
  const id = draft.idNumber.trim().toUpperCase();
  if (!id) found.idNumber = 'idRequired';
  else {
    const checked = checkIdNumber(id, today);
    if (!checked.valid) found.idNumber = checked.problem === 'format' ? 'idFormat' : checked.problem === 'birth_date' ? 'idBirthDate' : 'idChecksum';
  }
  if (!/^\d{6}$/.test(draft.districtCode)) found.districtCode = 'districtRequired';
  if (!draft.consented) found.consented = 'consentRequired';
  return found;
}

// ——— opening plans ———

/** The plan editor's working copy: every weekday present, days without sessions as []. */
export interface PlanDraft {
  venueId: string;
  resourceId: string;
  title: string;
  startsOn: string;
  endsOn: string;
  weekly: Record<Weekday, TimeRange[]>;
  closedDates: string[];
  openOnHolidays: boolean;
  capacity: number;
  eligibility: SchoolEligibility;
  allowMinors: boolean;
}

export function emptyPlanDraft(today: string): PlanDraft {
  const weekly = {} as Record<Weekday, TimeRange[]>;
  for (const day of WEEKDAYS) weekly[day] = [];
  return {
    venueId: '',
    resourceId: '',
    title: '',
    startsOn: today,
    endsOn: addDays(today, 30),
    weekly,
    closedDates: [],
    openOnHolidays: false,
    capacity: 50,
    eligibility: 'city',
    allowMinors: true,
  };
}

export function planDraftOf(plan: SchoolPlan): PlanDraft {
  const weekly = {} as Record<Weekday, TimeRange[]>;
  for (const day of WEEKDAYS) weekly[day] = (plan.weekly[day] ?? []).map((range) => ({ ...range }));
  return {
    venueId: plan.venueId,
    resourceId: plan.resourceId,
    title: plan.title,
    startsOn: plan.startsOn,
    endsOn: plan.endsOn,
    weekly,
    closedDates: [...plan.closedDates].sort(),
    openOnHolidays: plan.openOnHolidays,
    capacity: plan.capacity,
    eligibility: plan.eligibility,
    allowMinors: plan.allowMinors,
  };
}

export function planBody(draft: PlanDraft): SchoolPlanBody {
  const weekly: SchoolPlanBody['weekly'] = {};
  for (const day of WEEKDAYS) {
    if (draft.weekly[day].length > 0) weekly[day] = draft.weekly[day].map((range) => ({ ...range }));
  }
  return {
    venueId: draft.venueId,
    resourceId: draft.resourceId,
    title: draft.title.trim(),
    startsOn: draft.startsOn,
    endsOn: draft.endsOn,
    weekly,
    closedDates: [...new Set(draft.closedDates)].sort(),
    openOnHolidays: draft.openOnHolidays,
    capacity: draft.capacity,
    eligibility: draft.eligibility,
    allowMinors: draft.allowMinors,
  };
}

export type PlanField = 'venueId' | 'resourceId' | 'title' | 'startsOn' | 'endsOn' | 'weekly' | 'closedDates' | 'capacity';

/**
 * What the API would refuse, per field (i18n keys under `console.schools.errors`); a weekday's sessions
 * under `weekly.N`. Dates, sessions and closed dates by the same rule the server uses (checkSchoolPlan).
 */
export function planProblems(draft: PlanDraft): Partial<Record<PlanField | `weekly.${Weekday}`, string>> {
  const found: Partial<Record<PlanField | `weekly.${Weekday}`, string>> = {};
  if (!draft.venueId) found.venueId = 'venueRequired';
  if (!draft.resourceId) found.resourceId = 'resourceRequired';
  const title = draft.title.trim();
  if ([...title].length < 2 || [...title].length > 60) found.title = 'titleLength';
  if (!draft.startsOn) found.startsOn = 'dateRequired';
  if (!draft.endsOn) found.endsOn = 'dateRequired';
  if (!Number.isInteger(draft.capacity) || draft.capacity < 1 || draft.capacity > 5000) found.capacity = 'capacityRange';
  if (draft.startsOn && draft.endsOn) {
    for (const problem of checkSchoolPlan(draft)) {
      const key = problem.field as PlanField | `weekly.${Weekday}`;
      found[key] ??= problem.field.startsWith('weekly.') ? 'sessionsInvalid' : `plan_${problem.reason}`;
    }
  }
  return found;
}

// ——— the preview calendar ———

export interface PreviewDay {
  date: string;
  /** Day of the month. */
  day: number;
  inPlan: boolean;
  sessions: { start: string; end: string; note?: string }[];
  holiday: { name: string; open: boolean } | null;
  makeupWorkday: boolean;
  closedDate: boolean;
}

export interface PreviewMonth {
  /** YYYY-MM */
  month: string;
  /** Rows of Monday…Sunday; null where the day belongs to another month. */
  weeks: (PreviewDay | null)[][];
  sessionCount: number;
}

const monthOf = (date: string) => date.slice(0, 7);
const daysInMonth = (month: string) => {
  const [year, m] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(year, m, 0)).getUTCDate();
};

/**
 * The preview laid out as month calendars covering the plan: each date with its sessions, whether it
 * is a holiday (and open), a make-up workday, or one of the plan's closed dates.
 */
export function previewCalendar(preview: PlanPreview, plan: Pick<PlanDraft, 'startsOn' | 'endsOn' | 'closedDates'>): PreviewMonth[] {
  if (!plan.startsOn || !plan.endsOn || plan.endsOn < plan.startsOn) return [];
  const sessions = new Map<string, PreviewDay['sessions']>();
  for (const session of preview.sessions) {
    const list = sessions.get(session.date) ?? [];
    list.push(session.note === undefined ? { start: session.start, end: session.end } : { start: session.start, end: session.end, note: session.note });
    sessions.set(session.date, list);
  }
  const holidays = new Map(preview.holidays.map((holiday) => [holiday.date, { name: holiday.name, open: holiday.open }]));
  const makeup = new Set(preview.makeupWorkdays);
  const closed = new Set(plan.closedDates);
  const months: PreviewMonth[] = [];
  for (let month = monthOf(plan.startsOn); month <= monthOf(plan.endsOn); month = monthOf(addDays(`${month}-01`, 31))) {
    const first = `${month}-01`;
    const cells: (PreviewDay | null)[] = Array.from({ length: weekdayOf(first) - 1 }, () => null);
    let sessionCount = 0;
    for (let day = 1; day <= daysInMonth(month); day++) {
      const date = `${month}-${String(day).padStart(2, '0')}`;
      const daySessions = sessions.get(date) ?? [];
      sessionCount += daySessions.length;
      cells.push({
        date,
        day,
        inPlan: date >= plan.startsOn && date <= plan.endsOn,
        sessions: daySessions,
        holiday: holidays.get(date) ?? null,
        makeupWorkday: makeup.has(date),
        closedDate: closed.has(date),
      });
    }
    while (cells.length % 7 !== 0) cells.push(null);
    const weeks: (PreviewDay | null)[][] = [];
    for (let i = 0; i < cells.length; i += 7) weeks.push(cells.slice(i, i + 7));
    months.push({ month, weeks, sessionCount });
  }
  return months;
}

// ——— the bureau's figures ———

/** A share as a percentage with one decimal (0.456 → "45.6%"); no school venues → "—". */
export function formatShare(ratio: number | null): string {
  return ratio === null ? '—' : `${(Math.round(ratio * 1000) / 10).toFixed(1)}%`;
}

export function belowTarget(ratio: number | null, target: number): boolean {
  return ratio !== null && ratio < target;
}
