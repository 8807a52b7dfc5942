import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { checkIdNumber, idNumberCheckChar, maskIdNumber } from '../../src/accounts/id-number.ts';

const today = new Date('2026-11-23T00:00:00Z');

/** Builds a valid number from an address code, a birth date and a sequence. */
const validIdNumber = fc
  .record({
    area: fc.integer({ min: 110000, max: 659999 }),
    birth: fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: today, noInvalidDate: true }),
    seq: fc.integer({ min: 0, max: 999 }),
  })
  .map(({ area, birth, seq }) => {
    const ymd = birth.toISOString().slice(0, 10).replaceAll('-', '');
    const first17 = `${area}${ymd}${String(seq).padStart(3, '0')}`;
    return first17 + idNumberCheckChar(first17);
  });

describe('GB 11643-1999 identity numbers', () => {
  it('accepts a published example number', () => {
    // The worked example of the standard's check-character computation.
    expect(checkIdNumber('11010519491231002X', today)).toEqual({ valid: true, birthDate: '1949-12-31' });
  });

  it('accepts every well-formed number and reads its birth date', () => {
    fc.assert(
      fc.property(validIdNumber, (id) => {
        const result = checkIdNumber(id, today);
        expect(result.valid).toBe(true);
        expect(result.birthDate).toBe(`${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`);
      }),
    );
  });

  it('refuses any number with one character changed', () => {
    fc.assert(
      fc.property(validIdNumber, fc.nat(17), fc.constantFrom(...'0123456789X'), (id, at, char) => {
        fc.pre(id[at] !== char && (at === 17 || char !== 'X'));
        const changed = id.slice(0, at) + char + id.slice(at + 1);
        expect(checkIdNumber(changed, today).valid).toBe(false);
      }),
    );
  });

  it('accepts a lower-case x as check character', () => {
    expect(checkIdNumber('11010519491231002x', today).valid).toBe(true);
  });

  it('names the problem: shape, impossible birth date, future birth date, checksum', () => {
    expect(checkIdNumber('1101051949123100', today).problem).toBe('format');
    expect(checkIdNumber('11010519491231002Y', today).problem).toBe('format');
    const feb30 = '11010519490230002';
    expect(checkIdNumber(feb30 + idNumberCheckChar(feb30), today).problem).toBe('birth_date');
    const future = '11010520271231002';
    expect(checkIdNumber(future + idNumberCheckChar(future), today).problem).toBe('birth_date');
    expect(checkIdNumber('110105194912310021', today).problem).toBe('checksum');
  });

  it('masks all but the first four and last four characters', () => {
    expect(maskIdNumber('410105199001011234')).toBe('4101**********1234');
  });
});
