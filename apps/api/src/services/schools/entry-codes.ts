import { createHmac, timingSafeEqual } from 'node:crypto';
import { DomainError } from '../shared/errors.ts';

// ——— entry codes ———

function entrySignature(code: string, key: string): string {
  return createHmac('sha256', key).update(`school:${code}`).digest('base64url').slice(0, 22);
}

/** The text in an entry QR (入校码): the code and a signature, so a made-up code is refused at the gate. */
export function entryQrText(code: string, key: string): string {
  return `SPS1.${code}.${entrySignature(code, key)}`;
}

export function codeFromEntryScan(input: string, key: string): string {
  const text = input.trim();
  if (!text.toUpperCase().startsWith('SPS1.')) return text.toUpperCase();
  const [, code = '', signature = ''] = text.split('.');
  const expected = Buffer.from(entrySignature(code.toUpperCase(), key));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) throw new DomainError('NOT_FOUND');
  return code.toUpperCase();
}
