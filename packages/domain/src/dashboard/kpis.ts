import { addDays, type Weekday, type WeeklySchedule } from '../venues/opening-hours.ts';
import { median } from '../repairs/tickets.ts';

/**
 * The bureau's figures. Each is a pure function of counts the database sums up (or of a venue's own
 * rules), so the same arithmetic serves the dashboard, the monthly report and the tests.
 */

export interface Text {
  zh: string;
  en: string;
}

/** A share, or null when there is nothing to take a share of. */
export function ratio(part: number, whole: number): number | null {
  return whole > 0 ? part / whole : null;
}

/** Booked hours over open hours of the courts that can be booked. */
export const utilisation = (bookedMinutes: number, openMinutes: number) => ratio(bookedMinutes, openMinutes);

/** No-shows over bookings whose time came (attended or not); cancelled ones never count. */
export const noShowRate = (noShows: number, due: number) => ratio(noShows, due);

/** School venues that held at least one open session in the period, over all school venues. */
export const schoolOpenRatio = (openedSchools: number, schools: number) => ratio(openedSchools, schools);

/** Median hours from report to resolution, rounded to a tenth. */
export function medianHoursToResolve(hours: readonly number[]): number | null {
  const m = median(hours);
  return m === null ? null : Math.round(m * 10) / 10;
}

/** The working target for equipment in good order (完好率). */
export const GOOD_ORDER_TARGET = 0.95;

// ——— opening hours of public venues against the national rules ———

export const NATIONAL_OPENING_RULES = {
  weeklyHoursMin: 35,
  weekendHolidayHoursPerDayMin: 8,
  closureNoticeDaysMin: 7,
  source: {
    zh: '公共体育场馆基本公共服务规范及免费低收费开放补助条件',
    en: 'National service standard for public venues and the conditions of the free/low-price opening subsidy',
  },
} as const;

function minutesOf(time: string): number {
  const [h, m] = time.split(':').map(Number);
  return h! * 60 + m!;
}

/** Open hours of one weekday of the schedule (ranges may not overlap; '24:00' ends the day). */
export function dayHours(ranges: readonly { start: string; end: string }[] | undefined): number {
  return (ranges ?? []).reduce((sum, r) => sum + (minutesOf(r.end) - minutesOf(r.start)) / 60, 0);
}

/** Open hours of a regular week. */
export function weeklyHours(weekly: WeeklySchedule): number {
  return [1, 2, 3, 4, 5, 6, 7].reduce((sum, day) => sum + dayHours(weekly[day as Weekday]), 0);
}

export interface OpeningComplianceInput {
  weekly: WeeklySchedule;
  /** What the venue does on statutory holidays. */
  holidayRule: 'as_weekend' | 'closed' | 'as_usual';
  /** Closures dated within the period, with the local date each was announced. */
  closures: readonly { date: string; announcedOn: string }[];
}

export interface OpeningCompliance {
  weeklyHours: number;
  weeklyHoursOk: boolean;
  /** Saturday, Sunday (and holidays, which follow the weekend or the weekday) open at least 8 hours. */
  weekendHolidayOk: boolean;
  /** Every closure announced at least 7 days ahead. */
  closureNoticeOk: boolean;
  compliant: boolean;
}

/**
 * Whether a public venue keeps the national opening rules: at least 35 hours a week, at least 8 hours
 * a day at weekends and on holidays, and closures announced at least 7 days ahead. Closing on
 * holidays fails the holiday rule; opening on them as on weekdays needs those weekdays at 8 hours too.
 */
export function openingCompliance(input: OpeningComplianceInput): OpeningCompliance {
  const hours = weeklyHours(input.weekly);
  const min = NATIONAL_OPENING_RULES.weekendHolidayHoursPerDayMin;
  const weekendOk = dayHours(input.weekly[6]) >= min && dayHours(input.weekly[7]) >= min;
  const holidayOk =
    input.holidayRule === 'as_weekend'
      ? weekendOk
      : input.holidayRule === 'as_usual'
        ? [1, 2, 3, 4, 5, 6, 7].every((day) => dayHours(input.weekly[day as Weekday]) >= min)
        : false;
  const closureNoticeOk = input.closures.every((c) => addDays(c.announcedOn, NATIONAL_OPENING_RULES.closureNoticeDaysMin) <= c.date);
  const weeklyHoursOk = hours >= NATIONAL_OPENING_RULES.weeklyHoursMin;
  const weekendHolidayOk = weekendOk && holidayOk;
  return { weeklyHours: hours, weeklyHoursOk, weekendHolidayOk, closureNoticeOk, compliant: weeklyHoursOk && weekendHolidayOk && closureNoticeOk };
}

// ——— the list the dashboard shows ———

export const KPI_DEFINITIONS = {
  venues: { unit: 'count', zh: '场馆数', en: 'Venues' },
  resources: { unit: 'count', zh: '可用场地数', en: 'Courts and fields' },
  utilisation: { unit: 'ratio', zh: '场地利用率', en: 'Booking utilisation' },
  no_show_rate: { unit: 'ratio', zh: '爽约率', en: 'No-show rate' },
  school_open_ratio: { unit: 'ratio', zh: '学校场地开放率', en: 'School venues open' },
  school_places_offered: { unit: 'count', zh: '校园开放名额', en: 'School places offered' },
  school_places_used: { unit: 'count', zh: '校园开放入场人次', en: 'School places used' },
  tickets_open: { unit: 'count', zh: '未完成报修', en: 'Open repair tickets' },
  tickets_overdue: { unit: 'count', zh: '超时报修', en: 'Overdue repair tickets' },
  median_hours_to_resolve: { unit: 'hours', zh: '维修用时中位数', en: 'Median time to resolve' },
  sla_compliance: { unit: 'ratio', zh: '按时修复率', en: 'Repairs on time' },
  good_order_rate: { unit: 'ratio', zh: '设施完好率', en: 'Equipment in good order' },
  opening_compliance: { unit: 'ratio', zh: '开放时间达标率', en: 'Opening-hours compliance' },
  free_low_hours: { unit: 'hours', zh: '免费低收费开放时长', en: 'Free and low-price hours' },
} as const satisfies Record<string, { unit: 'count' | 'ratio' | 'hours'; zh: string; en: string }>;
export type KpiKey = keyof typeof KPI_DEFINITIONS;
export const KPI_KEYS = Object.keys(KPI_DEFINITIONS) as KpiKey[];

/** Where the target is missed by being lower (every targeted figure here is better higher). */
export function meetsTarget(value: number | null, target: number | null): boolean | null {
  if (value === null || target === null) return null;
  return value >= target - 1e-9;
}

export interface KpiFigure {
  key: KpiKey;
  label: Text;
  value: number | null;
  unit: 'count' | 'ratio' | 'hours';
  target: number | null;
  targetSource: Text | null;
  meetsTarget: boolean | null;
}

/** The figures in the dashboard's order, each with its target where one is set. */
export function kpiFigures(values: Record<KpiKey, number | null>, targets: Partial<Record<KpiKey, { value: number; source: Text }>>): KpiFigure[] {
  return KPI_KEYS.map((key) => {
    const definition = KPI_DEFINITIONS[key];
    const target = targets[key] ?? null;
    return {
      key,
      label: { zh: definition.zh, en: definition.en },
      value: values[key],
      unit: definition.unit,
      target: target?.value ?? null,
      targetSource: target?.source ?? null,
      meetsTarget: meetsTarget(values[key], target?.value ?? null),
    };
  });
}
