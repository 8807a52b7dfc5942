import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { BLOCK_START_GRACE_MINUTES, MAX_BLOCK_DAYS, checkBlockSpan } from '../../src/booking/booking.ts';

const now = new Date('2026-11-24T02:00:00Z');
const day = 86_400_000;
const plus = (ms: number) => new Date(now.getTime() + ms);

describe('how courts may be blocked', () => {
  it('not from the past, beyond the moments a form takes to send', () => {
    expect(checkBlockSpan(new Date('0001-01-01T00:00:00Z'), new Date('9999-12-31T00:00:00Z'), now)).toBe('BLOCK_STARTS_IN_PAST');
    expect(checkBlockSpan(plus(-day), plus(day), now)).toBe('BLOCK_STARTS_IN_PAST');
    expect(checkBlockSpan(plus(-(BLOCK_START_GRACE_MINUTES * 60_000 + 1)), plus(day), now)).toBe('BLOCK_STARTS_IN_PAST');
    expect(checkBlockSpan(plus(-BLOCK_START_GRACE_MINUTES * 60_000), plus(day), now)).toBeNull();
  });

  it(`for at most ${MAX_BLOCK_DAYS} days`, () => {
    expect(checkBlockSpan(plus(day), plus(day + MAX_BLOCK_DAYS * day), now)).toBeNull();
    expect(checkBlockSpan(plus(day), plus(day + MAX_BLOCK_DAYS * day + 1), now)).toBe('BLOCK_TOO_LONG');
    expect(checkBlockSpan(now, new Date('9999-12-31T00:00:00Z'), now)).toBe('BLOCK_TOO_LONG');
  });

  it('any span from now on within the cap is allowed, any longer one is not', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1000 * day }), fc.integer({ min: 1, max: 2 * MAX_BLOCK_DAYS * day }), (offset, length) => {
        const verdict = checkBlockSpan(plus(offset), plus(offset + length), now);
        expect(verdict).toBe(length > MAX_BLOCK_DAYS * day ? 'BLOCK_TOO_LONG' : null);
      }),
    );
  });
});
