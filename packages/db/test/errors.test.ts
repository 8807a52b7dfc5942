import { describe, expect, it } from 'vitest';
import { retryOnConflict, sqlState } from '../src/errors.ts';

/** Drizzle wraps the driver's error; the SQLSTATE is on the cause. */
const wrapped = (code: string) => Object.assign(new Error('Failed query'), { cause: Object.assign(new Error('db'), { code }) });

describe('database errors', () => {
  it('reads the SQLSTATE through Drizzle’s wrapping', () => {
    expect(sqlState(wrapped('23P01'))).toBe('23P01');
    expect(sqlState(new Error('plain'))).toBeUndefined();
  });

  it('runs the work again after a deadlock or a serialisation failure, and returns its result', async () => {
    const failures = [wrapped('40P01'), wrapped('40001')];
    let calls = 0;
    const result = await retryOnConflict(async () => {
      calls += 1;
      const failure = failures.shift();
      if (failure) throw failure;
      return 'booked';
    });
    expect(result).toBe('booked');
    expect(calls).toBe(3);
  });

  it('does not retry other errors, and gives up after the last attempt', async () => {
    let calls = 0;
    await expect(
      retryOnConflict(async () => {
        calls += 1;
        throw wrapped('23P01');
      }),
    ).rejects.toThrow('Failed query');
    expect(calls).toBe(1);
    calls = 0;
    await expect(
      retryOnConflict(async () => {
        calls += 1;
        throw wrapped('40P01');
      }, 3),
    ).rejects.toThrow('Failed query');
    expect(calls).toBe(3);
  });
});
