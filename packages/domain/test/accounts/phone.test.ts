import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isMainlandMobile, maskPhone } from '../../src/accounts/phone.ts';

describe('mainland mobile numbers', () => {
  it('accepts 11-digit numbers starting 13–19', () => {
    for (const phone of ['13800000001', '15912345678', '19999999999', '13900000005']) {
      expect(isMainlandMobile(phone)).toBe(true);
    }
  });

  it('refuses landlines, short numbers, 12 prefix, spaces and country codes', () => {
    for (const phone of ['12800000001', '1380000000', '138000000011', '+8613800000001', '138 0000 0001', '']) {
      expect(isMainlandMobile(phone)).toBe(false);
    }
  });

  it('masks the middle four digits of every valid number', () => {
    fc.assert(
      fc.property(fc.integer({ min: 3, max: 9 }), fc.stringMatching(/^\d{9}$/), (second, rest) => {
        const phone = `1${second}${rest}`;
        const masked = maskPhone(phone);
        expect(masked).toBe(`${phone.slice(0, 3)}****${phone.slice(7)}`);
        expect(masked).not.toContain(phone.slice(3, 7) + phone.slice(7));
      }),
    );
  });

  it('masks something that is not a phone number entirely', () => {
    expect(maskPhone('12345')).toBe('*****');
  });
});
