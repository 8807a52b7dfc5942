import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { and, eq, gt, inArray, sql } from 'drizzle-orm';
import { IDENTITY_CONSENT, type Identity, type IdentityBody } from '@sports/contracts';
import { schema, sqlState, UNIQUE_VIOLATION, type Db, type Queryable } from '@sports/db';
import { checkIdNumber, maskIdNumber, maskName } from '@sports/domain';
import type { Actor } from '../shared/actor.ts';
import { DomainError, fieldProblem } from '../shared/errors.ts';

/**
 * Keys for personal data, both derived from one 32-byte master key (IDENTITY_KEY): one encrypts
 * (AES-256-GCM), one hashes (HMAC-SHA-256) so a number can be found — and kept unique — without
 * ever being stored readable.
 */
export interface IdentityKeys {
  encryption: Buffer;
  hashing: Buffer;
}

export function identityKeys(masterHex: string): IdentityKeys {
  const master = Buffer.from(masterHex, 'hex');
  if (master.length !== 32) throw new Error('IDENTITY_KEY must be 32 bytes as 64 hex characters');
  const derive = (purpose: string) => Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), `sports-platform identity ${purpose}`, 32));
  return { encryption: derive('encryption'), hashing: derive('hashing') };
}

/**
 * Outside production the embedded database keeps its data in DATA_DIR, and so must the key that
 * makes its identities readable and their hashes stable: made once, readable by this user only.
 */
export function localIdentityKey(dataDir: string): string {
  const file = path.join(dataDir, 'identity.key');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const key = randomBytes(32).toString('hex');
  writeFileSync(file, `${key}\n`, { mode: 0o600 });
  return key;
}

/** AES-256-GCM: `iv.tag.ciphertext`, each base64url. */
export function seal(keys: IdentityKeys, plain: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keys.encryption, iv);
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return [iv, cipher.getAuthTag(), body].map((part) => part.toString('base64url')).join('.');
}

export function unseal(keys: IdentityKeys, sealed: string): string {
  const [iv, tag, body] = sealed.split('.').map((part) => Buffer.from(part, 'base64url')) as [Buffer, Buffer, Buffer];
  const decipher = createDecipheriv('aes-256-gcm', keys.encryption, iv);
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
}

export function idNumberHash(keys: IdentityKeys, idNumber: string): string {
  return createHmac('sha256', keys.hashing).update(idNumber.trim().toUpperCase()).digest('base64url');
}

const ri = schema.residentIdentities;

function toIdentity(row: typeof ri.$inferSelect | undefined): Identity {
  const consent = { version: IDENTITY_CONSENT.version, text: IDENTITY_CONSENT.zh };
  if (!row) {
    return { verified: false, nameMasked: null, idMasked: null, districtCode: null, cityCode: null, consentVersion: null, consentedAt: null, consent };
  }
  return {
    verified: true,
    nameMasked: row.nameMasked,
    idMasked: row.idMasked,
    districtCode: row.districtCode,
    cityCode: row.cityCode,
    consentVersion: row.consentVersion,
    consentedAt: row.consentedAt.toISOString(),
    consent,
  };
}

export async function getIdentity(db: Queryable, userId: string, locale: 'zh' | 'en' = 'zh'): Promise<Identity> {
  const [row] = await db.select().from(ri).where(eq(ri.userId, userId));
  const identity = toIdentity(row);
  return { ...identity, consent: { version: IDENTITY_CONSENT.version, text: IDENTITY_CONSENT[locale] } };
}

const ID_PROBLEMS = {
  format: ['身份证号应为 18 位，最后一位可以是 X', 'must be 18 characters, the last may be X'],
  birth_date: ['身份证号中的出生日期不正确', 'the birth date in the number is not a real date'],
  checksum: ['身份证号校验位不正确，请核对', 'the check character does not match; please check the number'],
} as const;

/** Records or corrects the signed-in resident's real name and ID number. */
export async function setIdentity(db: Db, keys: IdentityKeys, actor: Actor, body: IdentityBody, now: Date): Promise<Identity> {
  const idNumber = body.idNumber.trim().toUpperCase();
  const check = checkIdNumber(idNumber, now);
  if (!check.valid) {
    const [zh, en] = ID_PROBLEMS[check.problem!];
    throw new DomainError('VALIDATION_FAILED', {}, [fieldProblem('idNumber', zh, en)]);
  }
  const name = body.name.trim();
  if (!/^[\p{L}·•. ]{2,30}$/u.test(name)) {
    throw new DomainError('VALIDATION_FAILED', {}, [fieldProblem('name', '请填写身份证上的姓名', 'enter the name as on the ID card')]);
  }
  const [district] = await db
    .select({ code: schema.regions.code, cityCode: schema.regions.cityCode })
    .from(schema.regions)
    .where(and(eq(schema.regions.code, body.districtCode), eq(schema.regions.level, 'district')));
  if (!district) {
    throw new DomainError('VALIDATION_FAILED', {}, [fieldProblem('districtCode', '请选择居住的区县', 'choose the district you live in')]);
  }
  const values = {
    nameCipher: seal(keys, name),
    nameMasked: maskName(name),
    idCipher: seal(keys, idNumber),
    idHash: idNumberHash(keys, idNumber),
    idMasked: maskIdNumber(idNumber),
    birthDate: check.birthDate!,
    districtCode: district.code,
    cityCode: district.cityCode,
    consentVersion: body.consentVersion,
    consentedAt: now,
    updatedAt: now,
  };
  try {
    const [row] = await db
      .insert(ri)
      .values({ userId: actor.userId, ...values })
      .onConflictDoUpdate({ target: ri.userId, set: values })
      .returning();
    return toIdentity(row);
  } catch (err) {
    if (sqlState(err) === UNIQUE_VIOLATION) throw new DomainError('IDENTITY_TAKEN');
    throw err;
  }
}

/**
 * Deletes the resident's identity (PIPL): their school registrations that have not begun are
 * cancelled without penalty and their places freed, in the same transaction.
 */
export async function deleteIdentity(db: Db, actor: Actor, now: Date): Promise<void> {
  await db.transaction(async (tx) => {
    const reg = schema.schoolRegistrations;
    const sessions = schema.schoolSessions;
    const cancelled = await tx
      .update(reg)
      .set({ status: 'cancelled', cancelledAt: now, cancelledWithoutPenalty: true, cancelReason: '实名信息已删除 / identity deleted' })
      .where(
        and(
          eq(reg.userId, actor.userId),
          eq(reg.status, 'confirmed'),
          inArray(reg.sessionId, tx.select({ id: sessions.id }).from(sessions).where(gt(sessions.startsAt, now))),
        ),
      )
      .returning({ sessionId: reg.sessionId, partySize: reg.partySize });
    for (const { sessionId, partySize } of cancelled) {
      await tx.update(sessions).set({ taken: sql`${sessions.taken} - ${partySize}` }).where(eq(sessions.id, sessionId));
    }
    await tx.delete(ri).where(eq(ri.userId, actor.userId));
  });
}

/** What a registration needs of the resident: birth date and home district (never the number). */
export async function identityFacts(db: Queryable, userId: string) {
  const [row] = await db
    .select({ birthDate: ri.birthDate, districtCode: ri.districtCode, cityCode: ri.cityCode, nameMasked: ri.nameMasked, idMasked: ri.idMasked })
    .from(ri)
    .where(eq(ri.userId, userId));
  return row;
}
