import { describe, expect, it } from 'vitest';
import type { PlanPreview, SchoolPlan } from '@sports/contracts';
import { idNumberCheckChar } from '@sports/domain';
import {
  belowTarget,
  canCancelRegistration,
  emptyPlanDraft,
  formatShare,
  identityProblems,
  minorProblems,
  minorsAllowed,
  planBody,
  planDraftOf,
  planProblems,
  previewCalendar,
  registrationBody,
  windowDates,
} from '@/lib/schools/school-rules.ts';

const validId = (first17: string) => `${first17}${idNumberCheckChar(first17)}`;
const TODAY = new Date('2026-11-25T10:45:00Z');

describe('registering with children', () => {
  it('counts the resident and each child as a place, names trimmed', () => {
    expect(registrationBody([])).toEqual({ partySize: 1, minors: [] });
    expect(registrationBody([{ name: ' 小明 ', age: '8' }, { name: '小红', age: '0' }])).toEqual({
      partySize: 3,
      minors: [
        { name: '小明', age: 8 },
        { name: '小红', age: 0 },
      ],
    });
  });

  it('wants a name of 1–20 characters and a whole age under 14 for each child', () => {
    expect(
      minorProblems([
        { name: '小明', age: '13' },
        { name: '', age: '' },
        { name: '一'.repeat(21), age: '14' },
        { name: '小红', age: '3.5' },
        { name: '小刚', age: '-1' },
      ]),
    ).toEqual([
      { name: null, age: null },
      { name: 'nameRequired', age: 'ageRequired' },
      { name: 'nameLength', age: 'ageRange' },
      { name: null, age: 'ageRange' },
      { name: null, age: 'ageRange' },
    ]);
  });

  it('lets a child be added only while the session takes children, has a place for them, and fewer than three are listed', () => {
    expect(minorsAllowed({ allowMinors: false, remaining: 50 }, 0)).toBe(0);
    expect(minorsAllowed({ allowMinors: true, remaining: 50 }, 0)).toBe(3);
    expect(minorsAllowed({ allowMinors: true, remaining: 50 }, 3)).toBe(0);
    expect(minorsAllowed({ allowMinors: true, remaining: 2 }, 0)).toBe(1);
    expect(minorsAllowed({ allowMinors: true, remaining: 1 }, 0)).toBe(0);
  });

  it('may cancel a confirmed registration until its session starts', () => {
    const session = { start: '2026-11-25T11:00:00.000Z' };
    const before = new Date('2026-11-25T10:59:00Z');
    const after = new Date('2026-11-25T11:00:00Z');
    expect(canCancelRegistration({ status: 'confirmed', session } as never, before)).toBe(true);
    expect(canCancelRegistration({ status: 'confirmed', session } as never, after)).toBe(false);
    expect(canCancelRegistration({ status: 'checked_in', session } as never, before)).toBe(false);
  });
});

describe('the session list’s dates', () => {
  it('runs from today over the registration window, across a month end', () => {
    expect(windowDates('2026-11-28', 4)).toEqual(['2026-11-28', '2026-11-29', '2026-11-30', '2026-12-01']);
  });
});

describe('the real-name form', () => {
  const good = { name: '王小二', idNumber: validId('41010519900101160'), districtCode: '410105', consented: true };

  it('accepts a valid GB 11643 number, in lower-case x too', () => {
    expect(identityProblems(good, TODAY)).toEqual({});
    const withX = ['1101051990010100', '1101051990010101', '1101051990010102', '1101051990010103']
      .map((prefix) => [0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map((d) => `${prefix}${d}`))
      .flat()
      .find((first17) => idNumberCheckChar(first17) === 'X')!;
    expect(identityProblems({ ...good, idNumber: `${withX}x` }, TODAY)).toEqual({});
  });

  it('names what is wrong with each field, the consent included', () => {
    const wrongCheck = `${good.idNumber.slice(0, 17)}${good.idNumber[17] === '0' ? '1' : '0'}`;
    expect(identityProblems({ name: '王', idNumber: wrongCheck, districtCode: '', consented: false }, TODAY)).toEqual({
      name: 'nameLength',
      idNumber: 'idChecksum',
      districtCode: 'districtRequired',
      consented: 'consentRequired',
    });
    expect(identityProblems({ ...good, name: '  ', idNumber: '' }, TODAY)).toMatchObject({ name: 'nameRequired', idNumber: 'idRequired' });
    expect(identityProblems({ ...good, idNumber: '4101051990' }, TODAY).idNumber).toBe('idFormat');
    expect(identityProblems({ ...good, idNumber: validId('41010519900231160') }, TODAY).idNumber).toBe('idBirthDate');
    expect(identityProblems({ ...good, idNumber: validId('41010520300101160') }, TODAY).idNumber).toBe('idBirthDate');
  });
});

describe('the plan editor’s draft', () => {
  const plan: SchoolPlan = {
    id: '00000000-0000-4000-8000-0000000000a1',
    organisationId: '00000000-0000-4000-8000-0000000000a2',
    venueId: '00000000-0000-4000-8000-0000000000a3',
    resourceId: '00000000-0000-4000-8000-0000000000a4',
    venueName: '实验学校运动场',
    resourceName: '操场',
    title: '秋季学期晚间开放',
    startsOn: '2026-09-28',
    endsOn: '2026-10-10',
    weekly: { 3: [{ start: '19:00', end: '21:00' }], 7: [{ start: '09:00', end: '10:00' }] },
    closedDates: ['2026-10-07', '2026-09-30'],
    openOnHolidays: true,
    capacity: 30,
    eligibility: 'district',
    allowMinors: false,
    status: 'draft',
    publishedAt: null,
    createdAt: '2026-09-01T00:00:00.000Z',
  };

  it('has every weekday to edit and sends only the days with sessions, closed dates in order', () => {
    const draft = planDraftOf(plan);
    expect(draft.weekly[1]).toEqual([]);
    expect(draft.weekly[3]).toEqual([{ start: '19:00', end: '21:00' }]);
    expect(planBody(draft)).toEqual({
      venueId: plan.venueId,
      resourceId: plan.resourceId,
      title: plan.title,
      startsOn: plan.startsOn,
      endsOn: plan.endsOn,
      weekly: plan.weekly,
      closedDates: ['2026-09-30', '2026-10-07'],
      openOnHolidays: true,
      capacity: 30,
      eligibility: 'district',
      allowMinors: false,
    });
  });

  it('checks the same rules as the server before anything is sent', () => {
    const empty = emptyPlanDraft('2026-11-25');
    expect(empty.endsOn).toBe('2026-12-25');
    expect(planProblems(empty)).toEqual({
      venueId: 'venueRequired',
      resourceId: 'resourceRequired',
      title: 'titleLength',
      weekly: 'plan_no_sessions',
    });
    const draft = planDraftOf(plan);
    draft.weekly[3] = [
      { start: '19:00', end: '20:00' },
      { start: '20:00', end: '21:00' },
    ];
    draft.endsOn = '2026-09-01';
    draft.capacity = 0;
    expect(planProblems(draft)).toEqual({
      capacity: 'capacityRange',
      endsOn: 'plan_before_start',
      'weekly.3': 'sessionsInvalid',
      closedDates: 'plan_outside_plan',
    });
  });
});

describe('the preview calendar', () => {
  // Wednesday 30 September to Saturday 10 October 2026: National Day 1–7 October, 10 October a make-up workday.
  const preview: PlanPreview = {
    sessions: [
      { date: '2026-09-30', start: '2026-09-30T11:00:00.000Z', end: '2026-09-30T13:00:00.000Z' },
      { date: '2026-10-01', start: '2026-10-01T01:00:00.000Z', end: '2026-10-01T02:00:00.000Z', note: '国庆节' },
      { date: '2026-10-10', start: '2026-10-10T10:00:00.000Z', end: '2026-10-10T11:00:00.000Z', note: '国庆节调休上班' },
    ],
    holidays: [
      { date: '2026-10-01', name: '国庆节', open: true },
      { date: '2026-10-07', name: '国庆节', open: false },
    ],
    makeupWorkdays: ['2026-10-10'],
    placesOffered: 90,
  };
  const months = previewCalendar(preview, { startsOn: '2026-09-28', endsOn: '2026-10-10', closedDates: ['2026-10-07'] });

  it('lays each month out Monday to Sunday, padded at both ends', () => {
    expect(months.map((m) => m.month)).toEqual(['2026-09', '2026-10']);
    // 1 September 2026 is a Tuesday; 1 October a Thursday.
    expect(months[0]!.weeks[0]![0]).toBeNull();
    expect(months[0]!.weeks[0]![1]).toMatchObject({ date: '2026-09-01', inPlan: false });
    expect(months[1]!.weeks[0]!.slice(0, 3)).toEqual([null, null, null]);
    for (const month of months) for (const week of month.weeks) expect(week).toHaveLength(7);
  });

  it('puts sessions, holidays, make-up workdays and closed dates on their days', () => {
    const day = (date: string) => months.flatMap((m) => m.weeks.flat()).find((cell) => cell?.date === date)!;
    expect(day('2026-09-30')).toMatchObject({ inPlan: true, sessions: [{ start: '2026-09-30T11:00:00.000Z' }], holiday: null });
    expect(day('2026-10-01')).toMatchObject({ holiday: { name: '国庆节', open: true }, sessions: [{ note: '国庆节' }] });
    expect(day('2026-10-07')).toMatchObject({ holiday: { open: false }, closedDate: true, sessions: [] });
    expect(day('2026-10-10')).toMatchObject({ makeupWorkday: true, sessions: [{ note: '国庆节调休上班' }] });
    expect(months.map((m) => m.sessionCount)).toEqual([1, 2]);
  });

  it('is empty while the dates are out of order', () => {
    expect(previewCalendar(preview, { startsOn: '2026-10-10', endsOn: '2026-09-28', closedDates: [] })).toEqual([]);
  });
});

describe('the bureau’s share of school venues open', () => {
  it('is a percentage with one decimal, and a dash when a district has no school venues', () => {
    expect(formatShare(0.456)).toBe('45.6%');
    expect(formatShare(1)).toBe('100.0%');
    expect(formatShare(2 / 3)).toBe('66.7%');
    expect(formatShare(null)).toBe('—');
  });

  it('is below target only when there is a share to compare', () => {
    expect(belowTarget(0.5, 0.6)).toBe(true);
    expect(belowTarget(0.6, 0.6)).toBe(false);
    expect(belowTarget(null, 0.6)).toBe(false);
  });
});
