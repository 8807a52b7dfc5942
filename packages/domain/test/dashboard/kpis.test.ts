import { describe, expect, it } from 'vitest';
import { KPI_KEYS, dayHours, kpiFigures, medianHoursToResolve, meetsTarget, noShowRate, openingCompliance, schoolOpenRatio, utilisation, weeklyHours } from '../../src/index.ts';

const every = (start: string, end: string) => Object.fromEntries([1, 2, 3, 4, 5, 6, 7].map((d) => [d, [{ start, end }]]));

describe('the dashboard’s arithmetic', () => {
  it('shares are null where there is nothing to share', () => {
    expect(utilisation(180, 1680)).toBeCloseTo(0.107142857, 8);
    expect(utilisation(0, 0)).toBeNull();
    expect(noShowRate(1, 2)).toBe(0.5);
    expect(noShowRate(0, 0)).toBeNull();
    expect(schoolOpenRatio(0, 0)).toBeNull();
    expect(schoolOpenRatio(3, 5)).toBe(0.6);
    expect(medianHoursToResolve([10, 30, 80])).toBe(30);
    expect(medianHoursToResolve([1, 2])).toBe(1.5);
    expect(medianHoursToResolve([])).toBeNull();
  });

  it('counts hours of a day and of a week, with 24:00 as the end of the day', () => {
    expect(dayHours([{ start: '08:00', end: '12:00' }, { start: '14:30', end: '22:00' }])).toBe(11.5);
    expect(dayHours([{ start: '00:00', end: '24:00' }])).toBe(24);
    expect(dayHours(undefined)).toBe(0);
    expect(weeklyHours({ 1: [{ start: '09:00', end: '14:00' }], 6: [{ start: '08:00', end: '16:00' }] })).toBe(13);
  });
});

describe('opening hours against the national rules', () => {
  it('a venue open 08:00–22:00 daily, holidays as weekends, closures announced 7 days ahead, complies', () => {
    expect(openingCompliance({ weekly: every('08:00', '22:00'), holidayRule: 'as_weekend', closures: [{ date: '2026-11-20', announcedOn: '2026-11-13' }] })).toEqual({
      weeklyHours: 98,
      weeklyHoursOk: true,
      weekendHolidayOk: true,
      closureNoticeOk: true,
      compliant: true,
    });
  });

  it('fails on too few weekly hours (34 h), on a short weekend day, on closing for holidays, on a closure announced 6 days ahead', () => {
    const short = { ...every('09:00', '14:00'), 6: [{ start: '08:00', end: '12:00' }], 7: [] };
    expect(openingCompliance({ weekly: short, holidayRule: 'as_weekend', closures: [] })).toMatchObject({ weeklyHours: 29, weeklyHoursOk: false, weekendHolidayOk: false, compliant: false });
    const weekdaysLong = { ...every('08:00', '22:00'), 7: [{ start: '08:00', end: '15:59' }] };
    expect(openingCompliance({ weekly: weekdaysLong, holidayRule: 'as_weekend', closures: [] })).toMatchObject({ weeklyHoursOk: true, weekendHolidayOk: false });
    expect(openingCompliance({ weekly: every('08:00', '22:00'), holidayRule: 'closed', closures: [] })).toMatchObject({ weekendHolidayOk: false, compliant: false });
    expect(openingCompliance({ weekly: every('08:00', '22:00'), holidayRule: 'as_usual', closures: [] }).compliant).toBe(true);
    expect(openingCompliance({ weekly: every('08:00', '22:00'), holidayRule: 'as_weekend', closures: [{ date: '2026-11-20', announcedOn: '2026-11-14' }] })).toMatchObject({ closureNoticeOk: false, compliant: false });
    // 35 h exactly is enough.
    const exactly = { 1: [{ start: '08:00', end: '17:30' }], 2: [{ start: '08:00', end: '17:30' }], 6: [{ start: '08:00', end: '16:00' }], 7: [{ start: '08:00', end: '16:00' }] };
    expect(openingCompliance({ weekly: exactly, holidayRule: 'as_weekend', closures: [] })).toMatchObject({ weeklyHours: 35, compliant: true });
  });
});

describe('the figures with their targets', () => {
  it('lists every KPI once, in order, meeting a target when at or above it', () => {
    const values = Object.fromEntries(KPI_KEYS.map((key) => [key, null])) as Record<(typeof KPI_KEYS)[number], number | null>;
    values.school_open_ratio = 0.6;
    values.good_order_rate = 0.9;
    const figures = kpiFigures(values, {
      school_open_ratio: { value: 0.6, source: { zh: '计划', en: 'plan' } },
      good_order_rate: { value: 0.95, source: { zh: '目标', en: 'target' } },
    });
    expect(figures.map((f) => f.key)).toEqual(KPI_KEYS);
    expect(figures.find((f) => f.key === 'school_open_ratio')).toMatchObject({ value: 0.6, target: 0.6, meetsTarget: true, unit: 'ratio' });
    expect(figures.find((f) => f.key === 'good_order_rate')).toMatchObject({ meetsTarget: false });
    expect(figures.find((f) => f.key === 'venues')).toMatchObject({ target: null, targetSource: null, meetsTarget: null, unit: 'count' });
    expect(meetsTarget(null, 0.5)).toBeNull();
    expect(meetsTarget(0.7, null)).toBeNull();
  });
});
