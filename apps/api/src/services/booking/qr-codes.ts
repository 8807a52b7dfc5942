import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';
import { DomainError } from '../shared/errors.ts';

// ——— codes and QR ———

/** 8 characters from an alphabet without look-alikes (no 0/O, 1/I/L): 32^8 ≈ 10^12 codes. */
const CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
export function newReservationCode(): string {
  return Array.from({ length: 8 }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join('');
}

function qrSignature(code: string, key: string): string {
  return createHmac('sha256', key).update(`reservation:${code}`).digest('base64url').slice(0, 22);
}

/** The text in a reservation's QR: its code and a signature, so a forged code is refused at the gate. */
export function qrText(code: string, key: string): string {
  return `SPR1.${code}.${qrSignature(code, key)}`;
}

/** A scanned QR or a typed short code → the reservation code; a QR with a bad signature is refused. */
export function codeFromScan(input: string, key: string): string {
  const text = input.trim().toUpperCase();
  if (!input.trim().startsWith('SPR1.')) return text;
  const [, code = '', signature = ''] = input.trim().split('.');
  const expected = Buffer.from(qrSignature(code, key));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) throw new DomainError('NOT_FOUND');
  return code;
}
