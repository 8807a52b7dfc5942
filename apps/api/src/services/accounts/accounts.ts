import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { and, eq, gt, isNull, lt, or, sql, type SQL } from 'drizzle-orm';
import type { LoginBody, Me, RegisterBody } from '@sports/contracts';
import { lockSql, schema, sqlState, UNIQUE_VIOLATION, type Db, type Queryable } from '@sports/db';
import { checkPassword, maskPhone, PASSWORD_PROBLEMS } from '@sports/domain';
import { DomainError, fieldProblem } from '../shared/errors.ts';
import { loadGrants } from '../shared/grants.ts';
import { hashPassword, verifyPassword } from './passwords.ts';

export interface AccountSettings {
  refreshTokenTtlDays: number;
  maxFailuresPerPhone: number;
  maxFailuresPerIp: number;
  failureWindowMinutes: number;
}

/** What a successful sign-in yields; the route turns `userId` into an access token. */
export interface SignedIn {
  userId: string;
  /** The refresh-token family of this sign-in: access tokens carry it, so signing out ends them too. */
  sessionId: string;
  refreshToken: string;
  refreshExpiresAt: Date;
  me: Me;
}

const hashToken = (token: string) => createHash('sha256').update(token).digest('base64url');

/** Refuses a new password that is too easy to guess (the rule: packages/domain/src/password.ts). */
export function refuseWeakPassword(password: string, phone: string): void {
  const check = checkPassword(password, { phone });
  if (check.ok) return;
  const why = PASSWORD_PROBLEMS[check.problem!];
  throw new DomainError('WEAK_PASSWORD', {}, [fieldProblem('password', `密码太容易被猜到：${why.zh}`, `too easy to guess: ${why.en}`)]);
}

export async function register(db: Db, settings: AccountSettings, body: RegisterBody): Promise<SignedIn> {
  refuseWeakPassword(body.password, body.phone);
  const passwordHash = await hashPassword(body.password);
  try {
    return await db.transaction(async (tx) => {
      const [user] = await tx
        .insert(schema.users)
        .values({ phone: body.phone, displayName: body.displayName.trim(), passwordHash })
        .returning({ id: schema.users.id });
      return startFamily(tx, settings, user!.id);
    });
  } catch (err) {
    if (sqlState(err) === UNIQUE_VIOLATION) throw new DomainError('PHONE_TAKEN');
    throw err;
  }
}

export async function login(db: Db, settings: AccountSettings, body: LoginBody, ip: string): Promise<SignedIn> {
  // The brakes and the refresh tokens run on the database's clock (`now()`), the one their rows are
  // stamped with, so no instant here is taken from the API process's clock.
  const windowStart = sql`now() - make_interval(mins => ${settings.failureWindowMinutes})`;
  // Counted as a failure before the password is checked, under the phone's and the address's locks:
  // of any number of simultaneous guesses, only as many as the limit allows are ever checked.
  await chargeAttempt(db, settings, body.phone, ip, windowStart);

  const [user] = await db
    .select({ id: schema.users.id, passwordHash: schema.users.passwordHash, disabledAt: schema.users.disabledAt })
    .from(schema.users)
    .where(eq(schema.users.phone, body.phone));
  const ok = await verifyPassword(user?.passwordHash, body.password);
  // A wrong password leaves the attempt counted.
  if (!ok || !user) throw new DomainError('INVALID_CREDENTIALS');
  if (user.disabledAt) throw new DomainError('ACCOUNT_DISABLED');
  return db.transaction(async (tx) => {
    await tx.delete(schema.loginFailures).where(eq(schema.loginFailures.phone, body.phone));
    return startFamily(tx, settings, user.id);
  });
}

/**
 * Failed sign-ins are limited per phone (tight: protects one account) and per address (loose: many
 * residents share one carrier NAT). Each attempt is counted before its password is checked, in one
 * transaction that holds advisory locks on the phone and the address, so the count and the insert
 * cannot interleave with another attempt's; a successful sign-in then clears the phone's count, so
 * successful sign-ins never count.
 */
async function chargeAttempt(db: Db, settings: AccountSettings, phone: string, ip: string, windowStart: SQL): Promise<void> {
  const f = schema.loginFailures;
  const freeInSeconds = await db.transaction(async (tx) => {
    // Always in the same order (phone, then address), so two attempts never wait for each other in a cycle.
    await tx.execute(sql`select ${lockSql('login_phone', phone)}, ${lockSql('login_ip', ip)}`);
    const [counts] = await tx
      .select({
        byPhone: sql<number>`count(*) filter (where ${f.phone} = ${phone})`.mapWith(Number),
        byIp: sql<number>`count(*) filter (where ${f.ip} = ${ip})`.mapWith(Number),
        // seconds until the oldest failure in the window leaves it
        phoneFreeIn: sql<number | null>`extract(epoch from min(${f.failedAt}) filter (where ${f.phone} = ${phone}) + make_interval(mins => ${settings.failureWindowMinutes}) - now())`.mapWith(Number),
        ipFreeIn: sql<number | null>`extract(epoch from min(${f.failedAt}) filter (where ${f.ip} = ${ip}) + make_interval(mins => ${settings.failureWindowMinutes}) - now())`.mapWith(Number),
      })
      .from(f)
      .where(and(gt(f.failedAt, windowStart), or(eq(f.phone, phone), eq(f.ip, ip))));
    const freeIn =
      counts && counts.byPhone >= settings.maxFailuresPerPhone
        ? counts.phoneFreeIn
        : counts && counts.byIp >= settings.maxFailuresPerIp
          ? counts.ipFreeIn
          : null;
    if (freeIn !== null) return freeIn;
    await tx.delete(f).where(and(or(eq(f.phone, phone), eq(f.ip, ip)), lt(f.failedAt, windowStart)));
    await tx.insert(f).values({ phone, ip });
    return null;
  });
  if (freeInSeconds === null) return;
  const minutes = Math.max(1, Math.ceil(freeInSeconds / 60));
  throw new DomainError('LOGIN_THROTTLED', { minutes, retryAfterSeconds: minutes * 60 });
}

/** A new refresh-token family: one per sign-in, so signing out one device leaves the others. */
async function startFamily(tx: Queryable, settings: AccountSettings, userId: string): Promise<SignedIn> {
  const sessionId = randomUUID();
  const { token, expiresAt } = await issueRefreshToken(tx, settings, userId, sessionId);
  return { userId, sessionId, refreshToken: token, refreshExpiresAt: expiresAt, me: await getMe(tx, userId) };
}

async function issueRefreshToken(tx: Queryable, settings: AccountSettings, userId: string, familyId: string) {
  const token = randomBytes(32).toString('base64url');
  const [row] = await tx
    .insert(schema.refreshTokens)
    .values({ userId, familyId, tokenHash: hashToken(token), expiresAt: sql`now() + make_interval(days => ${settings.refreshTokenTtlDays})` })
    .returning({ expiresAt: schema.refreshTokens.expiresAt });
  return { token, expiresAt: row!.expiresAt };
}

/**
 * Exchanges a refresh token for the next one in its family. The exchange is one conditional UPDATE,
 * so two concurrent refreshes with the same token cannot both win; presenting a token that was
 * already used revokes its whole family (someone else has a copy).
 */
export async function refresh(db: Db, settings: AccountSettings, presented: string | undefined): Promise<SignedIn> {
  if (!presented) throw new DomainError('REFRESH_TOKEN_INVALID');
  const t = schema.refreshTokens;
  const tokenHash = hashToken(presented);
  const outcome = await db.transaction(async (tx) => {
    const [current] = await tx
      .update(t)
      .set({ usedAt: sql`now()` })
      .where(and(eq(t.tokenHash, tokenHash), isNull(t.usedAt), isNull(t.revokedAt), gt(t.expiresAt, sql`now()`)))
      .returning({ userId: t.userId, familyId: t.familyId });
    if (!current) {
      const [known] = await tx
        .select({ familyId: t.familyId, usedAt: t.usedAt })
        .from(t)
        .where(eq(t.tokenHash, tokenHash));
      if (known?.usedAt) {
        await tx.update(t).set({ revokedAt: sql`now()` }).where(and(eq(t.familyId, known.familyId), isNull(t.revokedAt)));
        return 'reused' as const;
      }
      return 'invalid' as const;
    }
    const [user] = await tx
      .select({ disabledAt: schema.users.disabledAt })
      .from(schema.users)
      .where(eq(schema.users.id, current.userId));
    if (!user || user.disabledAt) return 'disabled' as const;
    const next = await issueRefreshToken(tx, settings, current.userId, current.familyId);
    return {
      userId: current.userId,
      sessionId: current.familyId,
      refreshToken: next.token,
      refreshExpiresAt: next.expiresAt,
      me: await getMe(tx, current.userId),
    };
  });
  if (outcome === 'reused') throw new DomainError('REFRESH_TOKEN_REUSED');
  if (outcome === 'invalid') throw new DomainError('REFRESH_TOKEN_INVALID');
  if (outcome === 'disabled') throw new DomainError('ACCOUNT_DISABLED');
  return outcome;
}

/** Signs out the device that holds this refresh token: its family is revoked. Unknown tokens are ignored. */
export async function logout(db: Db, presented: string | undefined): Promise<void> {
  if (!presented) return;
  const t = schema.refreshTokens;
  const [known] = await db.select({ familyId: t.familyId }).from(t).where(eq(t.tokenHash, hashToken(presented)));
  if (!known) return;
  await db.update(t).set({ revokedAt: sql`now()` }).where(and(eq(t.familyId, known.familyId), isNull(t.revokedAt)));
}

export async function getMe(db: Queryable, userId: string): Promise<Me> {
  const [user] = await db
    .select({
      id: schema.users.id,
      phone: schema.users.phone,
      displayName: schema.users.displayName,
      locale: schema.users.locale,
      createdAt: schema.users.createdAt,
    })
    .from(schema.users)
    .where(eq(schema.users.id, userId));
  if (!user) throw new DomainError('UNAUTHENTICATED');
  const grants = await loadGrants(db, userId);
  return {
    id: user.id,
    displayName: user.displayName,
    phoneMasked: maskPhone(user.phone),
    locale: user.locale,
    createdAt: user.createdAt.toISOString(),
    roles: grants.map((g) => ({
      role: g.role,
      organisation: {
        id: g.organisation.id,
        name: g.organisation.name,
        kind: g.organisation.kind,
        cityCode: g.organisation.cityCode,
        districtCode: g.organisation.districtCode,
      },
    })),
  };
}
