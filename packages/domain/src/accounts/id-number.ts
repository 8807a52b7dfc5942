/**
 * Resident identity card numbers (居民身份证号码) per GB 11643-1999:
 * 6-digit address code, 8-digit birth date, 3-digit sequence, 1 check character (0–9 or X)
 * computed as ISO 7064 MOD 11-2 over the first 17 digits.
 */

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK_CHARS = '10X98765432';
const SHAPE = /^\d{17}[\dX]$/;

export type IdNumberProblem = 'format' | 'birth_date' | 'checksum';

export interface IdNumberCheck {
  valid: boolean;
  problem?: IdNumberProblem;
  /** Birth date as YYYY-MM-DD when the number is valid. */
  birthDate?: string;
}

/** The check character for the first 17 digits of a number. */
export function idNumberCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i]!;
  return CHECK_CHARS[sum % 11]!;
}

/**
 * Checks shape, birth date (a real calendar date, not before 1900, not after `today`) and checksum.
 * `today` is a parameter so the rule does not read the clock.
 */
export function checkIdNumber(raw: string, today: Date): IdNumberCheck {
  const value = raw.trim().toUpperCase();
  if (!SHAPE.test(value)) return { valid: false, problem: 'format' };
  const year = Number(value.slice(6, 10));
  const month = Number(value.slice(10, 12));
  const day = Number(value.slice(12, 14));
  const birth = new Date(Date.UTC(year, month - 1, day));
  const realDate =
    birth.getUTCFullYear() === year && birth.getUTCMonth() === month - 1 && birth.getUTCDate() === day;
  if (!realDate || year < 1900 || birth.getTime() > today.getTime()) {
    return { valid: false, problem: 'birth_date' };
  }
  if (idNumberCheckChar(value.slice(0, 17)) !== value[17]) return { valid: false, problem: 'checksum' };
  return { valid: true, birthDate: `${value.slice(6, 10)}-${value.slice(10, 12)}-${value.slice(12, 14)}` };
}

/** `410105199001011234` → `4101**********1234`. */
export function maskIdNumber(value: string): string {
  if (value.length < 8) return '*'.repeat(value.length);
  return `${value.slice(0, 4)}${'*'.repeat(value.length - 8)}${value.slice(-4)}`;
}
