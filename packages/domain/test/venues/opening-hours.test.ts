import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { chinaHolidayCalendar, plainCalendar } from '../../src/venues/holiday-calendar.ts';
import {
  addDays,
  expandOpeningHours,
  isOpenAt,
  localDate,
  validateTimeRanges,
  type DatedException,
  type OpenInterval,
  type OpeningRules,
  type TimeRange,
  type WeeklySchedule,
} from '../../src/venues/opening-hours.ts';

// ─── Helpers, independent of the code under test ──────────────────────────────────────────────────

const SHANGHAI = 'Asia/Shanghai';

/** 'YYYY-MM-DD HH:MM:SS' as a wall clock in `timeZone` shows the instant. */
function wallClock(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('sv-SE', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).format(at);
}

/** The wall clock a rule means: `time` on `date`, '24:00' being the next midnight. */
function ruleWallClock(date: string, time: string): string {
  return time === '24:00' ? `${addDays(date, 1)} 00:00:00` : `${date} ${time}:00`;
}

function hhmm(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

/** An interval of a Shanghai date, written as local times. */
function shanghai(date: string, start: string, end: string, note?: string): OpenInterval {
  const instant = (time: string) =>
    time === '24:00' ? new Date(`${addDays(date, 1)}T00:00:00+08:00`) : new Date(`${date}T${time}:00+08:00`);
  const interval = { start: instant(start), end: instant(end), date };
  return note === undefined ? interval : { ...interval, note };
}

function rules(weekly: WeeklySchedule, overrides: Partial<OpeningRules> = {}): OpeningRules {
  return { timeZone: SHANGHAI, weekly, exceptions: [], holidayRule: 'as_weekend', ...overrides };
}

function everyDay(ranges: TimeRange[]): WeeklySchedule {
  return { 1: ranges, 2: ranges, 3: ranges, 4: ranges, 5: ranges, 6: ranges, 7: ranges };
}

const minutesOpen = (interval: OpenInterval) => (interval.end.getTime() - interval.start.getTime()) / 60_000;

// ─── Arbitraries ──────────────────────────────────────────────────────────────────────────────────

const ZONES = [SHANGHAI, 'America/New_York', 'Europe/Berlin', 'Australia/Lord_Howe', 'America/Santiago', 'Asia/Kolkata'];
/** 2026 dates on or a few days before a DST change somewhere in ZONES, or a Chinese holiday. */
const EVENTFUL_DATES = ['2026-03-08', '2026-03-29', '2026-04-05', '2026-09-06', '2026-10-01', '2026-10-04', '2026-10-25', '2026-11-01'];

const minuteOfDay = fc.integer({ min: 0, max: 288 }).map((step) => step * 5);

/** One range on a five-minute grid, possibly ending at 24:00. */
const timeRange = fc
  .uniqueArray(minuteOfDay, { minLength: 2, maxLength: 2 })
  .map(([a = 0, b = 0]) => ({ start: hhmm(Math.min(a, b)), end: hhmm(Math.max(a, b)) }));

/** Ranges of one day that neither overlap nor touch, sorted. */
const separateRanges = fc.uniqueArray(minuteOfDay, { minLength: 2, maxLength: 6 }).map((points) => {
  const sorted = [...points].sort((a, b) => a - b);
  const ranges: TimeRange[] = [];
  for (let i = 0; i + 1 < sorted.length; i += 2) ranges.push({ start: hhmm(sorted[i]!), end: hhmm(sorted[i + 1]!) });
  return ranges;
});

const weeklySchedule = fc
  .array(fc.array(timeRange, { maxLength: 3 }), { minLength: 7, maxLength: 7 })
  .map((days) => Object.fromEntries(days.map((ranges, index) => [index + 1, ranges])) as WeeklySchedule);

const anyDate2026 = fc.integer({ min: 0, max: 364 }).map((days) => addDays('2026-01-01', days));
const eventfulDate = fc
  .tuple(fc.constantFrom(...EVENTFUL_DATES), fc.integer({ min: -3, max: 0 }))
  .map(([date, days]) => addDays(date, days));

const dateWindow = fc
  .tuple(fc.oneof(anyDate2026, eventfulDate), fc.integer({ min: 0, max: 10 }))
  .map(([from, extraDays]) => ({ from, to: addDays(from, extraDays) }));

function exceptionsWithin(from: string): fc.Arbitrary<DatedException[]> {
  const exception = fc.record({
    date: fc.integer({ min: 0, max: 10 }).map((days) => addDays(from, days)),
    kind: fc.constantFrom('closed' as const, 'special' as const),
    ranges: fc.array(timeRange, { maxLength: 3 }),
    reason: fc.constantFrom('设备检修', '校运会', '暴雨停业'),
  });
  return fc.array(exception, { maxLength: 4 });
}

const anyRulesAndWindow = dateWindow.chain(({ from, to }) =>
  fc.record({
    from: fc.constant(from),
    to: fc.constant(to),
    rules: fc.record({
      timeZone: fc.constantFrom(...ZONES),
      weekly: weeklySchedule,
      exceptions: exceptionsWithin(from),
      holidayRule: fc.constantFrom('as_weekend' as const, 'closed' as const, 'as_usual' as const),
    }),
  }),
);

// ─── Properties ───────────────────────────────────────────────────────────────────────────────────

describe('expanding opening hours: what always holds', () => {
  it('gives sorted, non-overlapping, non-empty intervals, each inside its own local date', () => {
    fc.assert(
      fc.property(anyRulesAndWindow, ({ rules, from, to }) => {
        const intervals = expandOpeningHours(rules, from, to, chinaHolidayCalendar);
        intervals.forEach((interval, index) => {
          expect(interval.start.getTime()).toBeLessThan(interval.end.getTime());
          expect(localDate(interval.start, rules.timeZone)).toBe(interval.date);
          expect(localDate(new Date(interval.end.getTime() - 1), rules.timeZone)).toBe(interval.date);
          expect(interval.date >= from && interval.date <= to).toBe(true);
          const previous = intervals[index - 1];
          if (previous) expect(previous.end.getTime()).toBeLessThanOrEqual(interval.start.getTime());
        });
      }),
    );
  });

  it('never opens on a date with a closure, whatever else applies', () => {
    fc.assert(
      fc.property(anyRulesAndWindow, ({ rules, from, to }) => {
        const closedDates = new Set(rules.exceptions.filter((e) => e.kind === 'closed').map((e) => e.date));
        const intervals = expandOpeningHours(rules, from, to, chinaHolidayCalendar);
        expect(intervals.filter((interval) => closedDates.has(interval.date))).toEqual([]);
      }),
    );
  });

  it('opens a special date for exactly its ranges, with the reason as note', () => {
    fc.assert(
      fc.property(weeklySchedule, anyDate2026, separateRanges, (weekly, date, ranges) => {
        const special = { date, kind: 'special' as const, ranges, reason: '市民健身日延长开放' };
        const intervals = expandOpeningHours(rules(weekly, { exceptions: [special] }), date, date, chinaHolidayCalendar);
        expect(intervals).toEqual(ranges.map((range) => shanghai(date, range.start, range.end, special.reason)));
      }),
    );
  });

  it('agrees with isOpenAt at any instant', () => {
    const probe = fc.tuple(anyRulesAndWindow, fc.integer({ min: 0, max: 11 * 24 * 60 - 1 }));
    fc.assert(
      fc.property(probe, ([{ rules, from }, minutes]) => {
        const at = new Date(Date.parse(`${from}T00:00:00Z`) + minutes * 60_000);
        const date = localDate(at, rules.timeZone);
        const around = expandOpeningHours(rules, addDays(date, -1), addDays(date, 1), chinaHolidayCalendar);
        const inside = around.some((interval) => interval.start <= at && at < interval.end);
        expect(isOpenAt(rules, at, chinaHolidayCalendar)).toBe(inside);
      }),
    );
  });
});

// ─── A worked example ─────────────────────────────────────────────────────────────────────────────

describe('a real-looking venue around National Day 2026', () => {
  // Closed Mondays for maintenance; Tue–Fri mornings and evenings; weekends all day; holidays as weekends.
  const workdayHours = [
    { start: '06:00', end: '12:00' },
    { start: '14:00', end: '21:30' },
  ];
  const weekendHours = [{ start: '08:00', end: '22:00' }];
  const venue = rules({ 2: workdayHours, 3: workdayHours, 4: workdayHours, 5: workdayHours, 6: weekendHours, 7: weekendHours });

  it('lists every open interval of two weeks in Asia/Shanghai', () => {
    expect(expandOpeningHours(venue, '2026-09-28', '2026-10-11', chinaHolidayCalendar)).toEqual([
      // Mon 09-28: closed for maintenance
      shanghai('2026-09-29', '06:00', '12:00'), // Tue
      shanghai('2026-09-29', '14:00', '21:30'),
      shanghai('2026-09-30', '06:00', '12:00'), // Wed
      shanghai('2026-09-30', '14:00', '21:30'),
      shanghai('2026-10-01', '08:00', '22:00', '国庆节'), // Thu, National Day holiday: weekend hours
      shanghai('2026-10-02', '08:00', '22:00', '国庆节'),
      shanghai('2026-10-03', '08:00', '22:00', '国庆节'),
      shanghai('2026-10-04', '08:00', '22:00', '国庆节'),
      shanghai('2026-10-05', '08:00', '22:00', '国庆节'), // a Monday, open because it is a holiday
      shanghai('2026-10-06', '08:00', '22:00', '国庆节'),
      shanghai('2026-10-07', '08:00', '22:00', '国庆节'),
      shanghai('2026-10-08', '06:00', '12:00'), // Thu
      shanghai('2026-10-08', '14:00', '21:30'),
      shanghai('2026-10-09', '06:00', '12:00'), // Fri
      shanghai('2026-10-09', '14:00', '21:30'),
      shanghai('2026-10-10', '06:00', '12:00'), // Sat, a make-up workday: Friday's hours
      shanghai('2026-10-10', '14:00', '21:30'),
      shanghai('2026-10-11', '08:00', '22:00'), // Sun
    ]);
  });

  it('stays shut through National Day when holidays are closed', () => {
    const closedOnHolidays = { ...venue, holidayRule: 'closed' as const };
    expect(expandOpeningHours(closedOnHolidays, '2026-10-01', '2026-10-07', chinaHolidayCalendar)).toEqual([]);
  });

  it('keeps each weekday’s own hours on holidays and make-up days when holidays run as usual', () => {
    const asUsual = { ...venue, holidayRule: 'as_usual' as const };
    expect(expandOpeningHours(asUsual, '2026-10-01', '2026-10-01', chinaHolidayCalendar)).toEqual([
      shanghai('2026-10-01', '06:00', '12:00', '国庆节'),
      shanghai('2026-10-01', '14:00', '21:30', '国庆节'),
    ]);
    expect(expandOpeningHours(asUsual, '2026-10-05', '2026-10-05', chinaHolidayCalendar)).toEqual([]);
    expect(expandOpeningHours(asUsual, '2026-10-10', '2026-10-10', chinaHolidayCalendar)).toEqual([
      shanghai('2026-10-10', '08:00', '22:00'),
    ]);
  });

  it('knows nothing of holidays with the plain calendar', () => {
    expect(expandOpeningHours(venue, '2026-10-01', '2026-10-01', plainCalendar)).toEqual([
      shanghai('2026-10-01', '06:00', '12:00'),
      shanghai('2026-10-01', '14:00', '21:30'),
    ]);
  });
});

describe('exceptions and merging', () => {
  const venue = rules(everyDay([{ start: '08:00', end: '20:00' }]));

  it('closes for a dated closure and shows special hours with their reason', () => {
    const exceptions: DatedException[] = [
      { date: '2026-11-23', kind: 'closed', reason: '设备检修' },
      { date: '2026-11-24', kind: 'special', ranges: [{ start: '13:00', end: '17:00' }], reason: '校运会' },
    ];
    expect(expandOpeningHours({ ...venue, exceptions }, '2026-11-23', '2026-11-24', plainCalendar)).toEqual([
      shanghai('2026-11-24', '13:00', '17:00', '校运会'),
    ]);
  });

  it('lets an exception override a holiday', () => {
    const exceptions: DatedException[] = [
      { date: '2026-10-01', kind: 'special', ranges: [{ start: '09:00', end: '11:00' }], reason: '国庆升旗观礼' },
    ];
    expect(expandOpeningHours({ ...venue, exceptions }, '2026-10-01', '2026-10-01', chinaHolidayCalendar)).toEqual([
      shanghai('2026-10-01', '09:00', '11:00', '国庆升旗观礼'),
    ]);
  });

  it('on one date, a closure wins over special hours and several special hours add up', () => {
    const closure: DatedException = { date: '2026-11-23', kind: 'closed', reason: '停电' };
    const morning: DatedException = { date: '2026-11-23', kind: 'special', ranges: [{ start: '08:00', end: '10:00' }], reason: '晨练' };
    const evening: DatedException = { date: '2026-11-23', kind: 'special', ranges: [{ start: '19:00', end: '21:00' }], reason: '夜场' };
    const expand = (exceptions: DatedException[]) =>
      expandOpeningHours({ ...venue, exceptions }, '2026-11-23', '2026-11-23', plainCalendar);
    expect(expand([morning, closure, evening])).toEqual([]);
    expect(expand([morning, evening])).toEqual([
      shanghai('2026-11-23', '08:00', '10:00', '晨练; 夜场'),
      shanghai('2026-11-23', '19:00', '21:00', '晨练; 夜场'),
    ]);
  });

  it('merges overlapping and touching ranges of a day into one interval', () => {
    const messy = rules(
      everyDay([
        { start: '18:00', end: '20:00' },
        { start: '11:00', end: '14:00' },
        { start: '08:00', end: '12:00' },
        { start: '14:00', end: '15:00' },
      ]),
    );
    expect(expandOpeningHours(messy, '2026-11-23', '2026-11-23', plainCalendar)).toEqual([
      shanghai('2026-11-23', '08:00', '15:00'),
      shanghai('2026-11-23', '18:00', '20:00'),
    ]);
  });

  it('ends a range at 24:00 exactly at the next local midnight', () => {
    const lateNight = rules(everyDay([{ start: '20:00', end: '24:00' }]));
    const [interval] = expandOpeningHours(lateNight, '2026-11-23', '2026-11-23', plainCalendar);
    expect(interval?.end).toEqual(new Date('2026-11-23T16:00:00Z'));
  });
});

// ─── Time zones and daylight saving ───────────────────────────────────────────────────────────────

describe('time zones', () => {
  it('reads Shanghai rules at UTC+8 all year: 08:00–12:00 local is 00:00–04:00Z', () => {
    const morning = rules(everyDay([{ start: '08:00', end: '12:00' }]));
    for (const date of ['2026-01-15', '2026-07-15']) {
      const [interval] = expandOpeningHours(morning, date, date, plainCalendar);
      expect(interval?.start.toISOString()).toBe(`${date}T00:00:00.000Z`);
      expect(interval?.end.toISOString()).toBe(`${date}T04:00:00.000Z`);
    }
  });

  const DST_ZONES = [
    // Spring forward 02:00 → 03:00, fall back 02:00 → 01:00 (New York) or 03:00 → 02:00 (Berlin).
    { timeZone: 'America/New_York', springForward: '2026-03-08', fallBack: '2026-11-01', offsetsHours: [-5, -4] },
    { timeZone: 'Europe/Berlin', springForward: '2026-03-29', fallBack: '2026-10-25', offsetsHours: [1, 2] },
  ];

  /** Whether the zone's clock ever reads `wall` ('YYYY-MM-DD HH:MM:SS'), trying both of its offsets. */
  function exists(wall: string, timeZone: string, offsetsHours: number[]): boolean {
    const asUtc = Date.parse(`${wall.replace(' ', 'T')}Z`);
    return offsetsHours.some((hours) => wallClock(new Date(asUtc - hours * 3_600_000), timeZone) === wall);
  }

  it('puts every start and end at the rule’s wall-clock time where it exists, else just after the gap', () => {
    const zoneAndDate = fc
      .constantFrom(...DST_ZONES)
      .chain((zone) =>
        fc.tuple(fc.constant(zone), fc.constantFrom(zone.springForward, zone.fallBack), fc.integer({ min: -1, max: 1 })),
      );
    fc.assert(
      fc.property(zoneAndDate, timeRange, ([zone, transition, days], range) => {
        const { timeZone, offsetsHours } = zone;
        const date = addDays(transition, days);
        const intervals = expandOpeningHours(rules(everyDay([range]), { timeZone }), date, date, plainCalendar);
        const walls = [ruleWallClock(date, range.start), ruleWallClock(date, range.end)];
        if (intervals.length === 0) {
          expect(walls.some((wall) => exists(wall, timeZone, offsetsHours))).toBe(false);
          return;
        }
        const [interval] = intervals;
        [interval!.start, interval!.end].forEach((instant, index) => {
          const wall = walls[index]!;
          if (exists(wall, timeZone, offsetsHours)) {
            expect(wallClock(instant, timeZone)).toBe(wall);
          } else {
            expect(wallClock(instant, timeZone) > wall).toBe(true);
            expect(wallClock(new Date(instant.getTime() - 1), timeZone) < wall).toBe(true);
          }
        });
      }),
    );
  });

  it('is open one hour less on a spring-forward day when a range spans the gap', () => {
    const spanning = fc.tuple(
      fc.constantFrom(...DST_ZONES),
      fc.integer({ min: 0, max: 23 }).map((step) => step * 5), // start 00:00–01:55
      fc.integer({ min: 36, max: 252 }).map((step) => step * 5), // end 03:00–21:00
    );
    fc.assert(
      fc.property(spanning, ([{ timeZone, springForward }, start, end]) => {
        const range = { start: hhmm(start), end: hhmm(end) };
        const intervals = expandOpeningHours(rules(everyDay([range]), { timeZone }), springForward, springForward, plainCalendar);
        expect(intervals.map(minutesOpen)).toEqual([end - start - 60]);
      }),
    );
  });

  it('New York, spring forward: 00:00–06:00 is five hours and 02:30 opens at 03:00 EDT', () => {
    const newYork = (range: TimeRange) =>
      expandOpeningHours(rules(everyDay([range]), { timeZone: 'America/New_York' }), '2026-03-08', '2026-03-08', plainCalendar);
    const [night] = newYork({ start: '00:00', end: '06:00' });
    expect([night?.start.toISOString(), night?.end.toISOString()]).toEqual(['2026-03-08T05:00:00.000Z', '2026-03-08T10:00:00.000Z']);
    const [late] = newYork({ start: '02:30', end: '04:00' });
    expect([late?.start.toISOString(), late?.end.toISOString()]).toEqual(['2026-03-08T07:00:00.000Z', '2026-03-08T08:00:00.000Z']);
    expect(newYork({ start: '02:15', end: '02:45' })).toEqual([]);
  });

  it('New York, fall back: 01:30 is the first 01:30 (EDT), so 01:30–03:00 lasts two and a half hours', () => {
    const fallBack = rules(everyDay([{ start: '01:30', end: '03:00' }]), { timeZone: 'America/New_York' });
    const [interval] = expandOpeningHours(fallBack, '2026-11-01', '2026-11-01', plainCalendar);
    expect(interval?.start.toISOString()).toBe('2026-11-01T05:30:00.000Z');
    expect(interval?.end.toISOString()).toBe('2026-11-01T08:00:00.000Z');
  });

  it('Berlin: 01:00–04:00 lasts two hours in spring and the repeated 02:30 in autumn is the CEST one', () => {
    const berlin = (range: TimeRange, date: string) =>
      expandOpeningHours(rules(everyDay([range]), { timeZone: 'Europe/Berlin' }), date, date, plainCalendar);
    const [spring] = berlin({ start: '01:00', end: '04:00' }, '2026-03-29');
    expect([spring?.start.toISOString(), spring?.end.toISOString()]).toEqual(['2026-03-29T00:00:00.000Z', '2026-03-29T02:00:00.000Z']);
    const [autumn] = berlin({ start: '02:30', end: '04:00' }, '2026-10-25');
    expect([autumn?.start.toISOString(), autumn?.end.toISOString()]).toEqual(['2026-10-25T00:30:00.000Z', '2026-10-25T03:00:00.000Z']);
  });
});

// ─── Open at an instant ───────────────────────────────────────────────────────────────────────────

describe('isOpenAt', () => {
  it('is open at 23:59 on a Friday open until 24:00, and closed at 00:00 on the closed Saturday', () => {
    const fridayNights = rules({ 5: [{ start: '18:00', end: '24:00' }] });
    expect(isOpenAt(fridayNights, new Date('2026-11-20T23:59:00+08:00'), plainCalendar)).toBe(true);
    expect(isOpenAt(fridayNights, new Date('2026-11-20T23:59:59.999+08:00'), plainCalendar)).toBe(true);
    expect(isOpenAt(fridayNights, new Date('2026-11-21T00:00:00+08:00'), plainCalendar)).toBe(false);
  });

  const venue = rules({
    4: [{ start: '06:00', end: '12:00' }, { start: '14:00', end: '21:30' }],
    5: [{ start: '06:00', end: '12:00' }, { start: '14:00', end: '21:30' }],
    6: [{ start: '08:00', end: '22:00' }],
    7: [{ start: '08:00', end: '22:00' }],
  });

  it('on National Day (a Thursday) follows the holiday rule', () => {
    const evening = new Date('2026-10-01T21:45:00+08:00');
    expect(isOpenAt(venue, evening, chinaHolidayCalendar)).toBe(true); // Sunday's hours, until 22:00
    expect(isOpenAt({ ...venue, holidayRule: 'as_usual' }, evening, chinaHolidayCalendar)).toBe(false); // Thursday's, until 21:30
    expect(isOpenAt({ ...venue, holidayRule: 'closed' }, new Date('2026-10-01T10:00:00+08:00'), chinaHolidayCalendar)).toBe(false);
  });

  it('on the make-up workday Saturday 2026-10-10 opens at 06:00 like a Friday', () => {
    const early = new Date('2026-10-10T07:00:00+08:00');
    expect(isOpenAt(venue, early, chinaHolidayCalendar)).toBe(true);
    expect(isOpenAt({ ...venue, holidayRule: 'as_usual' }, early, chinaHolidayCalendar)).toBe(false); // Saturday opens at 08:00
  });
});

// ─── Validation ───────────────────────────────────────────────────────────────────────────────────

describe('validateTimeRanges', () => {
  it('accepts ordinary, touching and until-midnight ranges', () => {
    expect(validateTimeRanges([])).toBeNull();
    expect(validateTimeRanges([{ start: '06:00', end: '12:00' }, { start: '14:00', end: '21:30' }])).toBeNull();
    expect(validateTimeRanges([{ start: '12:00', end: '14:00' }, { start: '08:00', end: '12:00' }])).toBeNull();
    expect(validateTimeRanges([{ start: '20:00', end: '24:00' }])).toBeNull();
  });

  it('names a time that is not HH:MM', () => {
    expect(validateTimeRanges([{ start: '25:00', end: '26:00' }])).toMatch(/'25:00' is not a time/);
    expect(validateTimeRanges([{ start: '12:00', end: '12:60' }])).toMatch(/'12:60' is not a time/);
    expect(validateTimeRanges([{ start: '8:00', end: '12:00' }])).toMatch(/'8:00' is not a time/);
    expect(validateTimeRanges([{ start: '08:00', end: '24:30' }])).toMatch(/'24:30' is not a time/);
  });

  it('accepts 24:00 only as an end', () => {
    expect(validateTimeRanges([{ start: '24:00', end: '24:00' }])).toBe('24:00 can only end a range');
  });

  it('refuses a start that is not before its end', () => {
    expect(validateTimeRanges([{ start: '12:00', end: '12:00' }])).toBe('start 12:00 is not before end 12:00');
    expect(validateTimeRanges([{ start: '22:00', end: '02:00' }])).toBe('start 22:00 is not before end 02:00');
  });

  it('refuses overlapping ranges, in any order', () => {
    expect(validateTimeRanges([{ start: '11:00', end: '13:00' }, { start: '08:00', end: '12:00' }])).toBe(
      '08:00–12:00 overlaps 11:00–13:00',
    );
    fc.assert(
      fc.property(separateRanges, fc.nat(), (ranges, pick) => {
        expect(validateTimeRanges(ranges)).toBeNull();
        const copy = ranges[pick % ranges.length]!;
        expect(validateTimeRanges([...ranges, copy])).toMatch(/overlaps/);
      }),
    );
  });
});

describe('refusing bad input', () => {
  const venue = rules(everyDay([{ start: '08:00', end: '20:00' }]));

  it('throws a RangeError for an unknown time zone', () => {
    expect(() => expandOpeningHours({ ...venue, timeZone: 'Mars/Olympus_Mons' }, '2026-11-23', '2026-11-23', plainCalendar)).toThrow(RangeError);
    expect(() => localDate(new Date(), 'Mars/Olympus_Mons')).toThrow(RangeError);
  });

  it('throws a RangeError for a malformed or impossible date', () => {
    for (const date of ['2026-02-29', '2026-1-05', '20261105', '']) {
      expect(() => expandOpeningHours(venue, date, '2026-12-31', plainCalendar)).toThrow(RangeError);
    }
    const badException: DatedException = { date: '2026-11-31', kind: 'closed', reason: '?' };
    expect(() => expandOpeningHours({ ...venue, exceptions: [badException] }, '2026-11-23', '2026-11-23', plainCalendar)).toThrow(RangeError);
  });

  it('throws a RangeError when from is after to, or for more than 366 days', () => {
    expect(() => expandOpeningHours(venue, '2026-11-24', '2026-11-23', plainCalendar)).toThrow(RangeError);
    expect(() => expandOpeningHours(venue, '2026-01-01', '2027-01-02', plainCalendar)).toThrow(RangeError);
    expect(expandOpeningHours(venue, '2028-01-01', '2028-12-31', plainCalendar)).toHaveLength(366);
  });

  it('throws a RangeError for a malformed rule, even on a date that would not use it', () => {
    const badSunday = { ...venue, weekly: { ...venue.weekly, 7: [{ start: '09:00', end: '08:00' }] } };
    expect(() => expandOpeningHours(badSunday, '2026-11-23', '2026-11-23', plainCalendar)).toThrow(
      'weekday 7: start 09:00 is not before end 08:00',
    );
  });

  it('throws a RangeError for an invalid instant', () => {
    expect(() => isOpenAt(venue, new Date(Number.NaN), plainCalendar)).toThrow(RangeError);
  });
});

describe('calendar dates', () => {
  it('adds days across months, leap days and years', () => {
    expect(addDays('2026-02-28', 1)).toBe('2026-03-01');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-10-01', -1)).toBe('2026-09-30');
  });

  it('undoes itself', () => {
    fc.assert(
      fc.property(anyDate2026, fc.integer({ min: -5000, max: 5000 }), (date, days) => {
        expect(addDays(addDays(date, days), -days)).toBe(date);
      }),
    );
  });

  it('reads the local date of an instant in a zone', () => {
    const instant = new Date('2026-10-01T16:30:00Z');
    expect(localDate(instant, SHANGHAI)).toBe('2026-10-02');
    expect(localDate(instant, 'America/New_York')).toBe('2026-10-01');
  });
});
