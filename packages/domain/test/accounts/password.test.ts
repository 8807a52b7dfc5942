import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { checkPassword, PASSWORD_PROBLEMS } from '../../src/accounts/password.ts';

const phone = '13812345678';

describe('passwords too easy to guess', () => {
  it.each([
    ['12345678', 'common'],
    ['password', 'common'],
    ['Password1!', 'common'],
    ['iloveyou', 'common'],
    ['woaini1314', 'common'],
    ['1qaz2wsx', 'common'],
    ['        ', 'repeated'],
    ['aaaaaaaa', 'repeated'],
    ['abababab', 'repeated'],
    ['88888888', 'repeated'],
    ['77777777', 'repeated'],
    ['23456789', 'sequence'],
    ['98765432', 'sequence'],
    ['abcdefghij', 'sequence'],
    ['lkjhgfdsa', 'sequence'],
    ['QWERTYUIOP', 'common'],
    ['wertyuio', 'sequence'],
    [phone, 'contains_phone'],
    [`my${phone}`, 'contains_phone'],
    ['x12345678x', 'contains_phone'],
  ] as const)('%j is refused as %s', (password, problem) => {
    expect(checkPassword(password, { phone })).toEqual({ ok: false, problem });
  });

  it.each(['correct-horse-battery', 'Zq7-lantern-orbit', 'a-good-password', '我的密码很长很长', 'tiger-lily-42'])('%j is accepted', (password) => {
    expect(checkPassword(password, { phone })).toEqual({ ok: true });
  });

  it('the phone rule applies only when the phone is known', () => {
    expect(checkPassword(phone)).toEqual({ ok: true });
  });

  it('every problem has a message in both languages', () => {
    for (const message of Object.values(PASSWORD_PROBLEMS)) {
      expect(message.zh.length).toBeGreaterThan(2);
      expect(message.en.length).toBeGreaterThan(2);
    }
  });

  it('one character repeated is refused at any length and for any character', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 1 }), fc.integer({ min: 8, max: 128 }), (c, n) => {
        expect(checkPassword(c.repeat(n)).ok).toBe(false);
      }),
    );
  });

  it('a password holding the phone number is refused wherever the number sits', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 20 }), fc.string({ maxLength: 20 }), (before, after) => {
        expect(checkPassword(`${before}${phone}${after}`, { phone })).toMatchObject({ ok: false });
      }),
    );
  });
});
