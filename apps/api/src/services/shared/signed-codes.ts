import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';
import { newCode } from '@sports/domain';
import { DomainError } from './errors.ts';

/**
 * Every code a QR carries, signed the one way: `<prefix>.<code>.<signature>`, the signature an HMAC
 * of the code bound to its kind, so a booking's QR never opens a school gate and a made-up code is
 * refused. A new kind of entry (events, fitness tests) adds a line here. The purposes are the ones
 * printed QRs were signed with: changing one would void them.
 */
const KINDS = {
  reservation: { prefix: 'SPR1', purpose: 'reservation' },
  school_entry: { prefix: 'SPS1', purpose: 'school' },
} as const;

export type SignedCodeKind = keyof typeof KINDS;

/** A new short code (8 characters of the one alphabet). */
export function newShortCode(): string {
  return newCode(randomInt);
}

function signature(kind: SignedCodeKind, code: string, key: string): string {
  return createHmac('sha256', key).update(`${KINDS[kind].purpose}:${code}`).digest('base64url').slice(0, 22);
}

/** The text of a code's QR. */
export function signedQrText(kind: SignedCodeKind, code: string, key: string): string {
  return `${KINDS[kind].prefix}.${code}.${signature(kind, code, key)}`;
}

/**
 * A scanned QR or a typed short code → the code. A QR of this kind with a bad signature is refused
 * as not found (the same answer as an unknown code, so it tells a forger nothing).
 */
export function codeFromScan(kind: SignedCodeKind, input: string, key: string): string {
  const text = input.trim();
  if (!text.toUpperCase().startsWith(`${KINDS[kind].prefix}.`)) return text.toUpperCase();
  const [, rawCode = '', given = ''] = text.split('.');
  const code = rawCode.toUpperCase();
  const expected = Buffer.from(signature(kind, code, key));
  const offered = Buffer.from(given);
  if (expected.length !== offered.length || !timingSafeEqual(expected, offered)) throw new DomainError('NOT_FOUND');
  return code;
}
