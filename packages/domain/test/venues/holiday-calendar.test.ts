import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { chinaHolidayCalendar, plainCalendar } from '../../src/venues/holiday-calendar.ts';
import { addDays } from '../../src/venues/opening-hours.ts';

/** Any date from 2004 (the package's first year of data) to 2031 (years it has no data for). */
const anyDate = fc.integer({ min: 0, max: 28 * 366 }).map((days) => addDays('2004-01-01', days));

describe('China’s official calendar', () => {
  // Each checked against chinese-days 1.5.7 getDayDetail before being asserted here.
  it('knows National Day 2026 and its make-up workday', () => {
    expect(chinaHolidayCalendar.dayInfo('2026-10-01')).toEqual({ type: 'holiday', name: '国庆节' });
    expect(chinaHolidayCalendar.dayInfo('2026-10-07')).toEqual({ type: 'holiday', name: '国庆节' });
    expect(chinaHolidayCalendar.dayInfo('2026-10-10')).toEqual({ type: 'makeup_workday', name: '国庆节' });
  });

  it('knows the 2026 Spring Festival, including a Saturday that is worked', () => {
    expect(chinaHolidayCalendar.dayInfo('2026-02-17')).toEqual({ type: 'holiday', name: '春节' });
    expect(chinaHolidayCalendar.dayInfo('2026-02-14')).toEqual({ type: 'makeup_workday', name: '春节' });
  });

  it('calls an ordinary Monday a workday and an ordinary Sunday the weekend', () => {
    expect(chinaHolidayCalendar.dayInfo('2026-11-23')).toEqual({ type: 'workday' });
    expect(chinaHolidayCalendar.dayInfo('2026-11-22')).toEqual({ type: 'weekend' });
  });

  it('treats a year without published holidays as plain weekdays and weekends', () => {
    expect(chinaHolidayCalendar.dayInfo('2030-10-01')).toEqual({ type: 'workday' });
    expect(chinaHolidayCalendar.dayInfo('2030-10-05')).toEqual({ type: 'weekend' });
  });

  it('agrees with the plain calendar on every day that is not a holiday or make-up workday', () => {
    fc.assert(
      fc.property(anyDate, (date) => {
        const day = chinaHolidayCalendar.dayInfo(date);
        fc.pre(day.type === 'workday' || day.type === 'weekend');
        expect(day).toEqual(plainCalendar.dayInfo(date));
      }),
    );
  });

  it('answers for the same date when the server runs west of Greenwich', () => {
    const original = process.env.TZ;
    process.env.TZ = 'America/Los_Angeles';
    try {
      expect(new Date('2026-10-01T00:00:00Z').getDate()).toBe(30); // the process zone did change
      expect(chinaHolidayCalendar.dayInfo('2026-10-01')).toEqual({ type: 'holiday', name: '国庆节' });
      expect(chinaHolidayCalendar.dayInfo('2026-09-30')).toEqual({ type: 'workday' });
      expect(chinaHolidayCalendar.dayInfo('2026-10-10')).toEqual({ type: 'makeup_workday', name: '国庆节' });
    } finally {
      if (original === undefined) delete process.env.TZ;
      else process.env.TZ = original;
    }
  });

  it('refuses a malformed date instead of guessing', () => {
    expect(() => chinaHolidayCalendar.dayInfo('2026-13-01')).toThrow(RangeError);
    expect(() => chinaHolidayCalendar.dayInfo('2026/10/01')).toThrow(RangeError);
  });
});

describe('the plain calendar', () => {
  it('has no holidays: National Day 2026 is an ordinary Thursday', () => {
    expect(plainCalendar.dayInfo('2026-10-01')).toEqual({ type: 'workday' });
    expect(plainCalendar.dayInfo('2026-10-10')).toEqual({ type: 'weekend' });
  });

  it('calls exactly Saturdays and Sundays the weekend', () => {
    fc.assert(
      fc.property(anyDate, (date) => {
        const sundayFirst = new Date(`${date}T00:00:00Z`).getUTCDay();
        const weekend = sundayFirst === 0 || sundayFirst === 6;
        expect(plainCalendar.dayInfo(date).type).toBe(weekend ? 'weekend' : 'workday');
      }),
    );
  });
});
