import { beforeEach, describe, expect, it } from 'vitest';
import { mount } from '@vue/test-utils';
import type { HoursException, OpenInterval } from '@sports/contracts';
import { plainCalendar, type HolidayCalendar } from '@sports/domain';
import WeekHours from '@/components/WeekHours.vue';
import { closedDayNote, weekOfHours } from '@/lib/venues/venue-hours.ts';
import { i18n, setLocale } from '@/modules/i18n.ts';

/** An interval as the API sends it, for a venue in Asia/Shanghai (UTC+8). */
function open(date: string, start: string, end: string, note?: string): OpenInterval {
  const instant = (time: string) => new Date(`${date}T${time}:00+08:00`).toISOString();
  const interval = { date, start: instant(start), end: end === '24:00' ? new Date(`${date}T00:00:00+08:00`).getTime() + 86_400_000 : instant(end) };
  return { ...interval, end: new Date(interval.end).toISOString(), ...(note ? { note } : {}) };
}

const nationalDay: HolidayCalendar = {
  dayInfo: (date) => (date === '2026-10-01' ? { type: 'holiday', name: '国庆节' } : plainCalendar.dayInfo(date)),
};

const closure: HoursException = {
  id: '00000000-0000-4000-8000-0000000000e1',
  resourceId: null,
  date: '2026-09-30',
  kind: 'closed',
  ranges: [],
  reason: '设备检修',
};

// Today is Tuesday 29 September 2026: two ranges. Wednesday is closed for maintenance, Thursday is
// National Day and the venue is closed on holidays, Friday has special hours, Saturday runs to midnight.
const intervals: OpenInterval[] = [
  open('2026-09-29', '14:00', '18:00'),
  open('2026-09-29', '07:00', '12:00'),
  open('2026-10-02', '09:00', '12:00', '国庆假期特别开放'),
  open('2026-10-03', '06:00', '24:00'),
  open('2026-10-04', '06:00', '22:00'),
  open('2026-10-05', '06:00', '22:00'),
];

function week() {
  return weekOfHours({
    intervals,
    timeZone: 'Asia/Shanghai',
    today: '2026-09-29',
    closedNote: (date) => closedDayNote(date, [closure], nationalDay),
  });
}

beforeEach(() => setLocale('zh-CN'));

describe('this week’s hours on the venue page', () => {
  it('has seven days from today, today first and marked', () => {
    const days = week();
    expect(days.map((day) => day.date)).toEqual([
      '2026-09-29',
      '2026-09-30',
      '2026-10-01',
      '2026-10-02',
      '2026-10-03',
      '2026-10-04',
      '2026-10-05',
    ]);
    expect(days.map((day) => day.isToday)).toEqual([true, false, false, false, false, false, false]);
    expect(days[0]?.weekday).toBe(2);
  });

  it('lists a day’s ranges in order, on the venue’s clock, whatever zone the browser is in', () => {
    expect(week()[0]?.ranges).toEqual([
      { start: '07:00', end: '12:00' },
      { start: '14:00', end: '18:00' },
    ]);
  });

  it('shows a range that runs to midnight as ending at 24:00', () => {
    expect(week()[4]?.ranges).toEqual([{ start: '06:00', end: '24:00' }]);
  });

  it('marks days without intervals closed, with the closure’s reason or the holiday’s name', () => {
    const [, wednesday, thursday, , , sunday] = week();
    expect(wednesday).toMatchObject({ closed: true, ranges: [], notes: ['设备检修'] });
    expect(thursday).toMatchObject({ closed: true, notes: ['国庆节'] });
    expect(sunday).toMatchObject({ closed: false, notes: [] });
  });

  it('carries the note of special hours or a holiday beside the times', () => {
    expect(week()[3]).toMatchObject({ closed: false, ranges: [{ start: '09:00', end: '12:00' }], notes: ['国庆假期特别开放'] });
  });

  it('ignores a closure of one court when saying why the venue is closed', () => {
    const courtOnly = { ...closure, resourceId: '00000000-0000-4000-8000-0000000000c1' };
    expect(closedDayNote('2026-09-30', [courtOnly], nationalDay)).toBeUndefined();
  });

  it('reads out today for screen readers and says 今日闭馆 when today has no hours', () => {
    const days = weekOfHours({ intervals: [], timeZone: 'Asia/Shanghai', today: '2026-09-30', closedNote: () => '设备检修' });
    const page = mount(WeekHours, { props: { days }, global: { plugins: [i18n] } });
    const today = page.find('[aria-current="date"]');
    expect(today.attributes('data-date')).toBe('2026-09-30');
    expect(today.classes()).toContain('is-today');
    expect(today.text()).toContain('今天');
    expect(today.text()).toContain('今日闭馆');
    expect(today.text()).toContain('设备检修');
    expect(page.findAll('li.week-hours__day')[1]?.text()).toContain('闭馆');
    expect(page.findAll('[aria-current]')).toHaveLength(1);
  });

  it('shows the times of an open day in the page', () => {
    const page = mount(WeekHours, { props: { days: week() }, global: { plugins: [i18n] } });
    expect(page.find('[aria-current="date"]').text()).toContain('07:00–12:00');
    expect(page.find('[aria-current="date"]').text()).toContain('周二');
  });
});
