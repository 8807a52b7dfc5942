import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  DEFAULT_BOOKING_SETTINGS,
  canCancelFree,
  checkRequestedSpan,
  expandSlots,
  releaseInstant,
  slotPriceFen,
  suspensionAfterNoShows,
  timeState,
  withinCheckInWindow,
  type BookingSettings,
} from '../../src/booking/booking.ts';
import { chinaHolidayCalendar } from '../../src/venues/holiday-calendar.ts';
import { expandOpeningHours, type OpeningRules } from '../../src/venues/opening-hours.ts';

const zone = 'Asia/Shanghai';
const at = (iso: string) => new Date(iso);
const rules: OpeningRules = {
  timeZone: zone,
  weekly: Object.fromEntries([1, 2, 3, 4, 5, 6, 7].map((d) => [d, [{ start: '08:00', end: '12:00' }, { start: '14:00', end: '21:30' }]])),
  exceptions: [],
  holidayRule: 'as_weekend',
};
const settings: BookingSettings = {
  ...DEFAULT_BOOKING_SETTINGS,
  slotMinutes: 60,
  maxSlots: 2,
  windowDays: 7,
  releaseTime: '12:00',
  defaultPriceFen: 3000,
  bands: [
    { days: 'weekday', start: '08:00', end: '12:00', priceFen: 0 },
    { days: 'weekday', start: '18:00', end: '22:00', priceFen: 5000 },
    { days: 'weekend', start: '08:00', end: '22:00', priceFen: 6000 },
    { days: 'holiday', start: '08:00', end: '22:00', priceFen: 8000 },
  ],
};

describe('slots', () => {
  it('cuts each open interval into whole slots and drops a short remainder', () => {
    const slots = expandSlots(expandOpeningHours(rules, '2026-11-24', '2026-11-24', chinaHolidayCalendar), 60);
    // 08–12 gives 4; 14:00–21:30 gives 7 (21:00–21:30 is too short).
    expect(slots).toHaveLength(11);
    expect(slots[0]!.start).toEqual(at('2026-11-24T08:00:00+08:00'));
    expect(slots.at(-1)!.end).toEqual(at('2026-11-24T21:00:00+08:00'));
  });

  it('never overlap, and each lies inside an open interval, for any slot length', () => {
    fc.assert(
      fc.property(fc.constantFrom(30, 60, 90, 120), fc.integer({ min: 0, max: 30 }), (length, offset) => {
        const from = new Date(Date.UTC(2026, 8, 1) + offset * 86_400_000).toISOString().slice(0, 10);
        const intervals = expandOpeningHours(rules, from, from, chinaHolidayCalendar);
        const slots = expandSlots(intervals, length);
        for (let i = 1; i < slots.length; i++) expect(slots[i]!.start.getTime()).toBeGreaterThanOrEqual(slots[i - 1]!.end.getTime());
        for (const s of slots) {
          expect(s.end.getTime() - s.start.getTime()).toBe(length * 60_000);
          expect(intervals.some((i) => i.start <= s.start && s.end <= i.end)).toBe(true);
        }
      }),
    );
  });
});

describe('prices in fen by time band', () => {
  const price = (iso: string, date: string) =>
    slotPriceFen({ start: at(iso), end: at(iso), date }, settings, zone, chinaHolidayCalendar);
  it('free weekday mornings, peak weekday evenings, weekend and holiday rates, default otherwise', () => {
    expect(price('2026-11-24T09:00:00+08:00', '2026-11-24')).toBe(0);
    expect(price('2026-11-24T19:00:00+08:00', '2026-11-24')).toBe(5000);
    expect(price('2026-11-24T15:00:00+08:00', '2026-11-24')).toBe(3000);
    expect(price('2026-11-28T09:00:00+08:00', '2026-11-28')).toBe(6000); // Saturday
    expect(price('2026-10-01T09:00:00+08:00', '2026-10-01')).toBe(8000); // National Day
    expect(price('2026-10-10T09:00:00+08:00', '2026-10-10')).toBe(0); // make-up workday: weekday rate
  });
});

describe('release time (放号)', () => {
  it('day D opens at 12:00 seven days before, to the minute', () => {
    expect(releaseInstant('2026-12-01', settings, zone)).toEqual(at('2026-11-24T12:00:00+08:00'));
    const slot = { start: at('2026-12-01T09:00:00+08:00'), end: at('2026-12-01T10:00:00+08:00'), date: '2026-12-01' };
    expect(timeState(slot, settings, zone, at('2026-11-24T11:59:59+08:00'))).toBe('not_yet_released');
    expect(timeState(slot, settings, zone, at('2026-11-24T12:00:00+08:00'))).toBe('open');
    expect(timeState(slot, settings, zone, at('2026-12-01T09:00:00+08:00'))).toBe('past');
  });
});

describe('a requested span', () => {
  const slots = expandSlots(expandOpeningHours(rules, '2026-11-25', '2026-11-25', chinaHolidayCalendar), 60);
  const now = at('2026-11-24T10:00:00+08:00');
  const check = (start: string, end: string) => checkRequestedSpan(at(start), at(end), slots, settings, zone, now);

  it('is whole consecutive slots within the allowed count', () => {
    expect(check('2026-11-25T08:00:00+08:00', '2026-11-25T10:00:00+08:00')).toMatchObject({ ok: true });
    expect(check('2026-11-25T08:00:00+08:00', '2026-11-25T08:30:00+08:00')).toEqual({ ok: false, reason: 'INVALID_DURATION' });
    expect(check('2026-11-25T08:00:00+08:00', '2026-11-25T11:00:00+08:00')).toEqual({ ok: false, reason: 'INVALID_DURATION' });
    expect(check('2026-11-25T09:00:00+08:00', '2026-11-25T08:00:00+08:00')).toEqual({ ok: false, reason: 'INVALID_DURATION' });
  });

  it('must lie in opening hours, not across the lunch closure', () => {
    expect(check('2026-11-25T11:00:00+08:00', '2026-11-25T13:00:00+08:00')).toEqual({ ok: false, reason: 'OUTSIDE_OPENING_HOURS' });
    expect(check('2026-11-25T08:30:00+08:00', '2026-11-25T09:30:00+08:00')).toEqual({ ok: false, reason: 'OUTSIDE_OPENING_HOURS' });
  });

  it('must be released and not begun', () => {
    const later = expandSlots(expandOpeningHours(rules, '2026-12-02', '2026-12-02', chinaHolidayCalendar), 60);
    expect(checkRequestedSpan(at('2026-12-02T08:00:00+08:00'), at('2026-12-02T09:00:00+08:00'), later, settings, zone, now)).toEqual({
      ok: false,
      reason: 'BOOKING_WINDOW_CLOSED',
    });
  });
});

describe('cancelling and checking in', () => {
  const start = at('2026-11-25T19:00:00+08:00');
  it('cancellation is free until the deadline, inclusive', () => {
    expect(canCancelFree(start, 2, at('2026-11-25T17:00:00+08:00'))).toBe(true);
    expect(canCancelFree(start, 2, at('2026-11-25T17:00:01+08:00'))).toBe(false);
  });
  it('check-in is open from 30 minutes before to 15 minutes after the start', () => {
    expect(withinCheckInWindow(start, at('2026-11-25T18:29:59+08:00'))).toBe(false);
    expect(withinCheckInWindow(start, at('2026-11-25T18:30:00+08:00'))).toBe(true);
    expect(withinCheckInWindow(start, at('2026-11-25T19:15:00+08:00'))).toBe(true);
    expect(withinCheckInWindow(start, at('2026-11-25T19:15:01+08:00'))).toBe(false);
  });
});

describe('no-show suspension', () => {
  const policy = { noShowLimit: 3, noShowWindowDays: 60, suspensionDays: 30 };
  const now = at('2026-11-24T10:00:00+08:00');
  it('three no-shows within 60 days suspend for 30 days; older ones do not count', () => {
    const recent = [at('2026-10-01T10:00:00+08:00'), at('2026-11-01T10:00:00+08:00'), at('2026-11-20T10:00:00+08:00')];
    expect(suspensionAfterNoShows(recent, policy, now)).toEqual(at('2026-12-24T10:00:00+08:00'));
    expect(suspensionAfterNoShows([at('2026-09-01T10:00:00+08:00'), ...recent.slice(1)], policy, now)).toBeNull();
  });
});
