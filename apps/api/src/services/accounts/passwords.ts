import { hash, verify, type Algorithm } from '@node-rs/argon2';

/** `Algorithm` is a const enum the package does not export at run time. */
const ARGON2ID = 2 as Algorithm.Argon2id;
/** OWASP's argon2id baseline: 19 MiB, 2 passes, 1 lane. */
const OPTIONS = { algorithm: ARGON2ID, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

/** A hash of nothing in particular, verified when the phone is unknown so both paths cost the same. */
let decoyHash: Promise<string> | undefined;

export async function verifyPassword(storedHash: string | undefined, password: string): Promise<boolean> {
  if (storedHash === undefined) {
    decoyHash ??= hash('decoy-password-for-timing', OPTIONS);
    await verify(await decoyHash, password);
    return false;
  }
  return verify(storedHash, password);
}
