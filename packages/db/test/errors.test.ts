import { describe, expect, it } from 'vitest';
import { isDatabaseUnavailable, retryOnConflict, sqlState } from '../src/errors.ts';

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

describe('database unavailable', () => {
  const wrappedError = (cause: Error) => Object.assign(new Error('Failed query: rollback'), { cause });
  it('is a terminated session, a restart, a refused or reset connection, or no connection in time, wrapped or not', () => {
    for (const code of ['57P01', '57P02', '57P03', '08006', '08001', '57014', '53300', '25P03']) expect(isDatabaseUnavailable(wrapped(code)), code).toBe(true);
    for (const errno of ['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT']) {
      expect(isDatabaseUnavailable(wrappedError(Object.assign(new Error(`connect ${errno}`), { code: errno }))), errno).toBe(true);
    }
    for (const message of [
      'Connection terminated unexpectedly',
      'Connection terminated due to connection timeout',
      'timeout exceeded when trying to connect',
      'Client has encountered a connection error and is not queryable',
    ]) {
      expect(isDatabaseUnavailable(wrappedError(new Error(message))), message).toBe(true);
    }
  });

  it('is not a constraint, a conflict, bad SQL or a plain bug', () => {
    for (const code of ['23505', '23P01', '40P01', '42601', '22P02']) expect(isDatabaseUnavailable(wrapped(code)), code).toBe(false);
    expect(isDatabaseUnavailable(new TypeError('x is undefined'))).toBe(false);
    expect(isDatabaseUnavailable(undefined)).toBe(false);
  });
});
