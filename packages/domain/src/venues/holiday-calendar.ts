/**
 * What kind of day a local date is: an ordinary workday or weekend, a statutory holiday, or a make-up
 * workday (调休上班, a weekend day worked to lengthen a holiday). Opening hours ask this per date.
 */
import chineseDays from 'chinese-days';
import { weekdayOf } from './opening-hours.ts';

export type DayType = 'workday' | 'weekend' | 'holiday' | 'makeup_workday';

export interface DayInfo {
  type: DayType;
  /** The holiday's Chinese name, e.g. '国庆节', for holidays and make-up workdays. */
  name?: string;
}

/** Answers, for a local date 'YYYY-MM-DD', what kind of day it is. */
export interface HolidayCalendar {
  dayInfo(date: string): DayInfo;
}

/** Monday to Friday are workdays, Saturday and Sunday the weekend; RangeError for a malformed date. */
function plainDayInfo(date: string): DayInfo {
  return { type: weekdayOf(date) >= 6 ? 'weekend' : 'workday' };
}

/**
 * chinese-days reads a 'YYYY-MM-DD' string as UTC midnight but formats it with local-time getters, so
 * in a process running west of Greenwich it would answer for the previous day. Local noon of the date
 * is that same calendar day in every process time zone.
 */
function processLocalNoon(date: string): Date {
  const [year = NaN, month = NaN, day = NaN] = date.split('-').map(Number);
  return new Date(year, month - 1, day, 12);
}

/** A calendar with no holidays: Monday–Friday workdays, Saturday and Sunday weekend. */
export const plainCalendar: HolidayCalendar = { dayInfo: plainDayInfo };

/**
 * China's official calendar, offline from the chinese-days package: statutory holidays (including the
 * weekdays taken off around them) and 调休 make-up workdays. Years the package has no data for are plain
 * weekdays and weekends.
 */
export const chinaHolidayCalendar: HolidayCalendar = {
  dayInfo: memoiseByDate(chinaDayInfo),
};

/**
 * A date's answer never changes, and a booking grid asks about the same few dates thousands of
 * times: remember the answers (bounded, so a long-running server does not grow without end).
 */
function memoiseByDate(lookup: (date: string) => DayInfo): (date: string) => DayInfo {
  const cache = new Map<string, DayInfo>();
  return (date) => {
    let info = cache.get(date);
    if (!info) {
      if (cache.size >= 5000) cache.clear();
      info = lookup(date);
      cache.set(date, info);
    }
    return info;
  };
}

/** China's official calendar for one date: a festival day is named 'National Day,国庆节,3', any other just 'Monday'. */
function chinaDayInfo(date: string): DayInfo {
  const plain = plainDayInfo(date);
  const detail = chineseDays.getDayDetail(processLocalNoon(date));
  const festival = detail.name.split(',')[1];
  if (festival === undefined) return plain;
  return { type: detail.work ? 'makeup_workday' : 'holiday', name: festival };
}
