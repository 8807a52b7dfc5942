import { describe, expect, it } from 'vitest';
import { formatDistance } from '@/lib/shared/format-distance.ts';

describe('a distance as residents read it', () => {
  it('is in metres, to the nearest 10, below a kilometre', () => {
    expect(formatDistance(0)).toBe('0 m');
    expect(formatDistance(4)).toBe('0 m');
    expect(formatDistance(811)).toBe('810 m');
    expect(formatDistance(994)).toBe('990 m');
  });

  it('is in kilometres with one decimal from a kilometre, as “1.2 km”', () => {
    expect(formatDistance(996)).toBe('1.0 km');
    expect(formatDistance(1234)).toBe('1.2 km');
    expect(formatDistance(1701)).toBe('1.7 km');
    expect(formatDistance(9940)).toBe('9.9 km');
  });

  it('is in whole kilometres from 10 km', () => {
    expect(formatDistance(9960)).toBe('10 km');
    expect(formatDistance(12_480)).toBe('12 km');
    expect(formatDistance(153_700)).toBe('154 km');
  });

  it('is empty for a distance that is not one', () => {
    expect(formatDistance(Number.NaN)).toBe('');
    expect(formatDistance(-5)).toBe('');
  });
});
