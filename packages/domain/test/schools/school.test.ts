import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { chinaHolidayCalendar, plainCalendar } from '../../src/venues/holiday-calendar.ts';
import { addDays } from '../../src/venues/opening-hours.ts';
import {
  ageOn,
  checkEligibility,
  checkSchoolPlan,
  checkSchoolQuota,
  maskName,
  planSessions,
  weekStartOf,
  withinEntryWindow,
  type EligibilityInput,
  type SchoolPlanRules,
} from '../../src/schools/school.ts';

const evenings = { start: '18:00', end: '20:30' };
const plan: SchoolPlanRules = {
  timeZone: 'Asia/Shanghai',
  startsOn: '2026-09-14',
  endsOn: '2026-10-11',
  weekly: {
    1: [evenings],
    2: [evenings],
    3: [evenings],
    4: [evenings],
    5: [evenings],
    6: [{ start: '15:00', end: '18:00' }, { start: '08:00', end: '11:00' }],
    7: [{ start: '08:00', end: '11:00' }, { start: '15:00', end: '18:00' }],
  },
  closedDates: ['2026-09-16'],
  openOnHolidays: false,
};

describe('planSessions', () => {
  it('one session per range per day, in time order, at Beijing wall-clock times', () => {
    const saturday = planSessions(plan, '2026-09-19', '2026-09-19', chinaHolidayCalendar);
    expect(saturday.map((s) => [s.start.toISOString(), s.end.toISOString()])).toEqual([
      ['2026-09-19T00:00:00.000Z', '2026-09-19T03:00:00.000Z'],
      ['2026-09-19T07:00:00.000Z', '2026-09-19T10:00:00.000Z'],
    ]);
  });

  it('skips closed dates; a make-up workday takes Friday’s sessions; holidays close unless the plan opens on them', () => {
    const sessions = planSessions(plan, '2026-09-14', '2026-10-11', chinaHolidayCalendar);
    const on = (date: string) => sessions.filter((s) => s.date === date);
    expect(on('2026-09-16')).toEqual([]);
    expect(on('2026-09-20')).toHaveLength(1);
    expect(on('2026-09-20')[0]!.note).toBe('国庆节调休上班');
    for (const date of ['2026-10-01', '2026-10-02', '2026-10-07', '2026-09-25']) expect(on(date)).toEqual([]);
    const open = planSessions({ ...plan, openOnHolidays: true }, '2026-10-01', '2026-10-01', chinaHolidayCalendar);
    expect(open.map((s) => s.note)).toEqual(['国庆节', '国庆节']);
    expect(open).toHaveLength(2);
  });

  it('never leaves the plan’s dates, whatever span is asked for (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: -40, max: 40 }), fc.integer({ min: 0, max: 60 }), (offset, length) => {
        const from = addDays(plan.startsOn, offset);
        const sessions = planSessions(plan, from, addDays(from, length), plainCalendar);
        return sessions.every((s) => s.date >= plan.startsOn && s.date <= plan.endsOn && s.date >= from && s.end > s.start);
      }),
    );
  });
});

describe('checkSchoolPlan', () => {
  it('names each field at fault', () => {
    expect(checkSchoolPlan(plan)).toEqual([]);
    expect(checkSchoolPlan({ ...plan, endsOn: '2026-09-01', closedDates: [] })).toEqual([{ field: 'endsOn', reason: 'before_start' }]);
    expect(checkSchoolPlan({ ...plan, weekly: {} })).toEqual([{ field: 'weekly', reason: 'no_sessions' }]);
    expect(checkSchoolPlan({ ...plan, weekly: { 2: [{ start: '08:00', end: '10:00' }, { start: '10:00', end: '11:00' }] } })).toEqual([
      { field: 'weekly.2', reason: 'sessions_touch' },
    ]);
    expect(checkSchoolPlan({ ...plan, closedDates: ['2027-01-01'] })).toEqual([{ field: 'closedDates', reason: 'outside_plan' }]);
    expect(checkSchoolPlan({ ...plan, startsOn: '2026-02-30', closedDates: ['2026-09-31'] })).toEqual([
      { field: 'startsOn', reason: 'not_a_date' },
      { field: 'closedDates', reason: 'not_a_date' },
    ]);
  });
});

describe('eligibility', () => {
  const base: EligibilityInput = {
    eligibility: 'district',
    school: { cityCode: '410100', districtCode: '410105' },
    resident: { cityCode: '410100', districtCode: '410105', birthDate: '1990-05-01' },
    date: '2026-11-25',
    allowMinors: true,
    minorAges: [],
  };
  it('city or district residents, adults registering, up to 3 children under 14', () => {
    expect(checkEligibility(base)).toBeNull();
    expect(checkEligibility({ ...base, resident: { ...base.resident, districtCode: '410102' } })).toBe('other_district');
    expect(checkEligibility({ ...base, eligibility: 'city', resident: { ...base.resident, districtCode: '410102' } })).toBeNull();
    expect(checkEligibility({ ...base, resident: { ...base.resident, cityCode: '150600' } })).toBe('other_city');
    expect(checkEligibility({ ...base, resident: { ...base.resident, birthDate: '2012-11-26' } })).toBe('minor_alone');
    expect(checkEligibility({ ...base, resident: { ...base.resident, birthDate: '2012-11-25' } })).toBeNull();
    expect(checkEligibility({ ...base, minorAges: [3, 5, 7, 9] })).toBe('too_many_minors');
    expect(checkEligibility({ ...base, minorAges: [14] })).toBe('minor_too_old');
    expect(checkEligibility({ ...base, allowMinors: false, minorAges: [6] })).toBe('minors_not_allowed');
  });

  it('age turns over on the birthday, leap days included', () => {
    expect(ageOn('2012-11-25', '2026-11-24')).toBe(13);
    expect(ageOn('2012-11-25', '2026-11-25')).toBe(14);
    expect(ageOn('2012-02-29', '2026-02-28')).toBe(13);
    expect(ageOn('2012-02-29', '2026-03-01')).toBe(14);
  });
});

describe('quota and entry window', () => {
  it('one session per school per day and three a week (Monday to Sunday)', () => {
    const quota = { perSchoolPerDay: 1, perWeek: 3 };
    expect(checkSchoolQuota(quota, [{ schoolId: 'a', date: '2026-11-29' }], { schoolId: 'a', date: '2026-11-29' })).toBe('per_school_per_day');
    expect(checkSchoolQuota(quota, [{ schoolId: 'a', date: '2026-11-29' }], { schoolId: 'b', date: '2026-11-29' })).toBeNull();
    const week = ['2026-11-30', '2026-12-01', '2026-12-02'].map((date) => ({ schoolId: 'a', date }));
    expect(checkSchoolQuota(quota, week, { schoolId: 'b', date: '2026-12-06' })).toBe('per_week');
    expect(checkSchoolQuota(quota, week, { schoolId: 'b', date: '2026-12-07' })).toBeNull();
    expect(weekStartOf('2026-12-06')).toBe('2026-11-30');
  });

  it('the entry code works from 30 minutes before the start to the end, inclusive', () => {
    const start = new Date('2026-11-25T10:00:00Z');
    const end = new Date('2026-11-25T12:30:00Z');
    expect(withinEntryWindow(start, end, new Date('2026-11-25T09:29:59Z'))).toBe(false);
    expect(withinEntryWindow(start, end, new Date('2026-11-25T09:30:00Z'))).toBe(true);
    expect(withinEntryWindow(start, end, new Date('2026-11-25T12:30:00Z'))).toBe(true);
    expect(withinEntryWindow(start, end, new Date('2026-11-25T12:30:01Z'))).toBe(false);
  });

  it('names are masked after the first character', () => {
    expect(maskName('张三丰')).toBe('张**');
    expect(maskName('李')).toBe('李*');
    expect(maskName('  欧阳娜娜 ')).toBe('欧***');
  });
});
