import { createHash } from 'node:crypto';
import { DomainError } from './errors.ts';

/**
 * The one way a write with an Idempotency-Key is replayed. The row it made keeps the key and a hash
 * of the request; the same key with the same request answers that row again, the same key with
 * another request is refused (IDEMPOTENCY_KEY_REUSED), and a key never seen books anew.
 */

/** The hash of a request's canonical form: the values that decide what is written, in order. */
export function requestHash(canonical: readonly unknown[]): string {
  return createHash('sha256').update(JSON.stringify(canonical)).digest('base64url');
}

export interface EarlierWrite {
  id: string;
  requestHash: string | null;
}

/** The earlier answer for this key (loaded by `load`), undefined when there was none. */
export async function replayEarlier<T>(earlier: EarlierWrite | undefined, hash: string, load: (id: string) => Promise<T>): Promise<T | undefined> {
  if (!earlier) return undefined;
  if (earlier.requestHash !== hash) throw new DomainError('IDEMPOTENCY_KEY_REUSED');
  return load(earlier.id);
}
