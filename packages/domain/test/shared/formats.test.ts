import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { FIRST_YEAR, LAST_YEAR, addDays, isStorableDate, isTimestamp } from '../../src/index.ts';

describe('storable dates', () => {
  it('are the days of the calendar between the first and last year', () => {
    expect(['2026-02-28', '2028-02-29', '2000-02-29', `${FIRST_YEAR}-01-01`, `${LAST_YEAR}-12-31`].every(isStorableDate)).toBe(true);
    expect(['2026-02-29', '2100-02-29', '2026-02-30', '2026-04-31', '0000-01-01', '1899-12-31', '2200-01-01', '9999-12-31', '2026-1-01', '2026-13-01'].some(isStorableDate)).toBe(false);
  });

  it('agree with calendar arithmetic on every day of the range', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: (LAST_YEAR - FIRST_YEAR + 1) * 366 }), (n) => {
        const date = addDays(`${FIRST_YEAR}-01-01`, n);
        expect(isStorableDate(date)).toBe(Number(date.slice(0, 4)) <= LAST_YEAR);
      }),
    );
  });
});

describe('timestamps', () => {
  it('need a real date, a real clock time and an offset', () => {
    expect(['2026-12-03T19:00:00+08:00', '2026-12-03T11:00:00Z', '2026-12-03t11:00:00.123456z', '2028-02-29T23:59:59-05:30'].every(isTimestamp)).toBe(true);
    expect(
      ['2026-06-30T23:59:60Z', '2026-06-30T24:00:00Z', '2026-02-30T10:00:00Z', '2026-06-30T10:00:00', '2026-06-30T10:00Z', '2026-06-30T10:00:00+24:00', '0000-01-01T00:00:00Z', '2026-06-30 10:00:00Z'].some(isTimestamp),
    ).toBe(false);
  });

  it('that pass can always be read as an instant', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date(Date.UTC(FIRST_YEAR, 0, 1)), max: new Date(Date.UTC(LAST_YEAR, 11, 31)), noInvalidDate: true }), (d) => {
        const iso = d.toISOString();
        expect(isTimestamp(iso)).toBe(true);
        expect(new Date(iso).getTime()).toBe(d.getTime());
      }),
    );
  });
});
