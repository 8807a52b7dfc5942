import { describe, expect, it, vi } from 'vitest';
import type { HoursException, VenueDetail } from '@sports/contracts';
import * as domain from '@sports/domain';
import { hoursDraftOf, invalidDays, previewWeek, sameHours, setHoursBody } from '@/lib/venues/hours-draft.ts';

vi.mock('@sports/domain', async (importOriginal) => {
  const actual = await importOriginal<typeof domain>();
  return { ...actual, expandOpeningHours: vi.fn(actual.expandOpeningHours) };
});

const weekday = [{ start: '08:00', end: '20:00' }];
const venue: Pick<VenueDetail, 'weeklyHours' | 'holidayRule' | 'timeZone'> = {
  weeklyHours: { 1: weekday, 2: weekday, 3: weekday, 4: weekday, 5: [{ start: '08:00', end: '21:00' }], 6: weekday, 7: [{ start: '09:00', end: '17:00' }] },
  holidayRule: 'closed',
  timeZone: 'Asia/Shanghai',
};

// Tuesday 29 September 2026: National Day runs 1–7 October; Saturday 10 October is a make-up workday.
const TODAY = '2026-09-29';

describe('the hours editor’s week preview', () => {
  it('is worked out by expandOpeningHours with China’s holiday calendar, for today and the next six days', () => {
    const expand = vi.mocked(domain.expandOpeningHours);
    expand.mockClear();
    previewWeek(hoursDraftOf(venue), [], TODAY);
    expect(expand).toHaveBeenCalledTimes(1);
    const [rules, from, to, calendar] = expand.mock.calls[0]!;
    expect(rules).toMatchObject({ timeZone: 'Asia/Shanghai', holidayRule: 'closed', exceptions: [] });
    expect(rules.weekly[2]).toEqual(weekday);
    expect([from, to]).toEqual(['2026-09-29', '2026-10-05']);
    expect(calendar).toBe(domain.chinaHolidayCalendar);
  });

  it('shows a public holiday closed when the rule is 节假日闭馆', () => {
    const days = previewWeek(hoursDraftOf(venue), [], TODAY)!;
    expect(days[1]).toMatchObject({ date: '2026-09-30', closed: false, ranges: [{ start: '08:00', end: '20:00' }] });
    expect(days[2]).toMatchObject({ date: '2026-10-01', closed: true, ranges: [], notes: ['国庆节'] });
  });

  it('gives a holiday Sunday’s hours, named, when the rule is 按周日时间开放', () => {
    const draft = { ...hoursDraftOf(venue), holidayRule: 'as_weekend' as const };
    expect(previewWeek(draft, [], TODAY)![2]).toMatchObject({ closed: false, ranges: [{ start: '09:00', end: '17:00' }], notes: ['国庆节'] });
  });

  it('gives a make-up workday Friday’s hours', () => {
    const days = previewWeek(hoursDraftOf(venue), [], '2026-10-08')!;
    expect(days[2]).toMatchObject({ date: '2026-10-10', weekday: 6, ranges: [{ start: '08:00', end: '21:00' }] });
  });

  it('follows the venue’s dated closures and special hours, ignoring those of a single court', () => {
    const exceptions: HoursException[] = [
      { id: '00000000-0000-4000-8000-0000000000e1', resourceId: null, date: '2026-09-30', kind: 'special', ranges: [{ start: '10:00', end: '12:00' }], reason: '承办赛事' },
      { id: '00000000-0000-4000-8000-0000000000e2', resourceId: '00000000-0000-4000-8000-0000000000c1', date: '2026-09-29', kind: 'closed', ranges: [], reason: '1号场维修' },
    ];
    const days = previewWeek(hoursDraftOf(venue), exceptions, TODAY)!;
    expect(days[0]).toMatchObject({ closed: false, ranges: [{ start: '08:00', end: '20:00' }] });
    expect(days[1]).toMatchObject({ ranges: [{ start: '10:00', end: '12:00' }], notes: ['承办赛事'] });
  });

  it('changes as soon as a range changes, and shows nothing while a day’s ranges are invalid', () => {
    const draft = hoursDraftOf(venue);
    draft.weekly[2] = [{ start: '06:30', end: '20:00' }];
    expect(previewWeek(draft, [], TODAY)![0]?.ranges).toEqual([{ start: '06:30', end: '20:00' }]);

    draft.weekly[3] = [
      { start: '08:00', end: '12:00' },
      { start: '11:00', end: '14:00' },
    ];
    expect(invalidDays(draft)).toEqual([3]);
    expect(previewWeek(draft, [], TODAY)).toBeNull();
  });

  it('saves every weekday, closed ones as empty, and knows when nothing changed', () => {
    const draft = hoursDraftOf({ ...venue, weeklyHours: { 1: weekday } });
    expect(setHoursBody(draft)).toEqual({ weeklyHours: { 1: weekday, 2: [], 3: [], 4: [], 5: [], 6: [], 7: [] }, holidayRule: 'closed' });
    expect(sameHours(draft, hoursDraftOf({ ...venue, weeklyHours: { 1: weekday } }))).toBe(true);
    draft.weekly[1] = [{ start: '08:00', end: '19:00' }];
    expect(sameHours(draft, hoursDraftOf({ ...venue, weeklyHours: { 1: weekday } }))).toBe(false);
  });
});
