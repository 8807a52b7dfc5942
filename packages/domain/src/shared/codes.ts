/**
 * The one alphabet of every short code people read, type or scan — bookings, school entries, asset
 * labels, repair tickets: digits and capitals without look-alikes (no 0/O, 1/I/L), 8 of them, so
 * 32^8 ≈ 10^12 codes.
 */
export const CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
export const CODE_LENGTH = 8;

/**
 * A new code. `pick(n)` returns a uniformly random whole number in [0, n) — pass `crypto.randomInt`,
 * so codes cannot be guessed from one another.
 */
export function newCode(pick: (n: number) => number, length = CODE_LENGTH): string {
  return Array.from({ length }, () => CODE_ALPHABET[pick(CODE_ALPHABET.length)]).join('');
}
