import { addDays, isCalendarDate, localDate } from '@sports/domain';

/** The dashboard's period: local dates of the city, both inclusive. */
export interface Period {
  from: string;
  to: string;
}

export const PERIOD_PRESETS = ['thisMonth', 'lastMonth', 'thisYear'] as const;
export type PeriodPreset = (typeof PERIOD_PRESETS)[number];

/** The API's limit on one report. */
export const MAX_PERIOD_DAYS = 366;

/** Both launch cities keep Beijing time; the figures are counted in the city's local dates. */
export const CITY_TIME_ZONE = 'Asia/Shanghai';

/** Today in the city, whatever zone the browser is set to. */
export function cityToday(now: Date): string {
  return localDate(now, CITY_TIME_ZONE);
}

function firstOfMonth(date: string): string {
  return `${date.slice(0, 7)}-01`;
}

function lastOfMonth(date: string): string {
  const [year, month] = date.split('-').map(Number) as [number, number];
  const nextMonth = month === 12 ? `${year + 1}-01-01` : `${year}-${String(month + 1).padStart(2, '0')}-01`;
  return addDays(nextMonth, -1);
}

/**
 * 本月 and 今年 run from their first day to today (the days still to come have nothing to count yet);
 * 上月 is the whole previous month.
 */
export function presetPeriod(preset: PeriodPreset, today: string): Period {
  switch (preset) {
    case 'thisMonth':
      return { from: firstOfMonth(today), to: today };
    case 'lastMonth': {
      const last = addDays(firstOfMonth(today), -1);
      return { from: firstOfMonth(last), to: last };
    }
    case 'thisYear':
      return { from: `${today.slice(0, 4)}-01-01`, to: today };
  }
}

/** Which preset a period is, if any (the matching button is shown pressed). */
export function presetOf(period: Period, today: string): PeriodPreset | null {
  return PERIOD_PRESETS.find((preset) => {
    const candidate = presetPeriod(preset, today);
    return candidate.from === period.from && candidate.to === period.to;
  }) ?? null;
}

/** A month 'YYYY-MM' as a period: the whole month, or up to today while it is under way; null for a month to come. */
export function monthPeriod(month: string, today: string): Period | null {
  const from = `${month}-01`;
  if (!/^\d{4}-\d{2}$/.test(month) || !isCalendarDate(from) || from > today) return null;
  const end = lastOfMonth(from);
  return { from, to: end < today ? end : today };
}

/** The month 'YYYY-MM' a period starts in (the monthly report of what the dashboard shows). */
export function monthOf(period: Period): string {
  return period.from.slice(0, 7);
}

export type PeriodProblem = 'invalid' | 'order' | 'tooLong';

/** What is wrong with a period typed in, if anything (i18n keys under `dashboard.period.problems`). */
export function periodProblem(period: Period): PeriodProblem | null {
  if (!isCalendarDate(period.from) || !isCalendarDate(period.to)) return 'invalid';
  if (period.from > period.to) return 'order';
  if (addDays(period.from, MAX_PERIOD_DAYS - 1) < period.to) return 'tooLong';
  return null;
}
