import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { and, eq, gt, isNull, lt, or, sql } from 'drizzle-orm';
import type { LoginBody, Me, RegisterBody } from '@sports/contracts';
import { schema, sqlState, UNIQUE_VIOLATION, type Db, type Queryable } from '@sports/db';
import { maskPhone } from '@sports/domain';
import { DomainError } from './errors.ts';
import { loadGrants } from './grants.ts';
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
  refreshToken: string;
  refreshExpiresAt: Date;
  me: Me;
}

const hashToken = (token: string) => createHash('sha256').update(token).digest('base64url');

export async function register(db: Db, settings: AccountSettings, body: RegisterBody): Promise<SignedIn> {
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
  const windowStart = new Date(Date.now() - settings.failureWindowMinutes * 60_000);
  await refuseWhenThrottled(db, settings, body.phone, ip, windowStart);

  const [user] = await db
    .select({ id: schema.users.id, passwordHash: schema.users.passwordHash, disabledAt: schema.users.disabledAt })
    .from(schema.users)
    .where(eq(schema.users.phone, body.phone));
  const ok = await verifyPassword(user?.passwordHash, body.password);
  if (!ok || !user) {
    await db.transaction(async (tx) => {
      await tx
        .delete(schema.loginFailures)
        .where(
          and(
            or(eq(schema.loginFailures.phone, body.phone), eq(schema.loginFailures.ip, ip)),
            lt(schema.loginFailures.failedAt, windowStart),
          ),
        );
      await tx.insert(schema.loginFailures).values({ phone: body.phone, ip });
    });
    throw new DomainError('INVALID_CREDENTIALS');
  }
  if (user.disabledAt) throw new DomainError('ACCOUNT_DISABLED');
  return db.transaction(async (tx) => {
    await tx.delete(schema.loginFailures).where(eq(schema.loginFailures.phone, body.phone));
    return startFamily(tx, settings, user.id);
  });
}

/**
 * Failed sign-ins are limited per phone (tight: protects one account) and per address (loose: many
 * residents share one carrier NAT). Successful sign-ins never count.
 */
async function refuseWhenThrottled(
  db: Db,
  settings: AccountSettings,
  phone: string,
  ip: string,
  windowStart: Date,
): Promise<void> {
  const f = schema.loginFailures;
  const [counts] = await db
    .select({
      byPhone: sql<number>`count(*) filter (where ${f.phone} = ${phone})`.mapWith(Number),
      byIp: sql<number>`count(*) filter (where ${f.ip} = ${ip})`.mapWith(Number),
      oldestByPhone: sql<string | null>`min(${f.failedAt}) filter (where ${f.phone} = ${phone})`,
      oldestByIp: sql<string | null>`min(${f.failedAt}) filter (where ${f.ip} = ${ip})`,
    })
    .from(f)
    .where(and(gt(f.failedAt, windowStart), or(eq(f.phone, phone), eq(f.ip, ip))));
  if (!counts) return;
  const limitedSince =
    counts.byPhone >= settings.maxFailuresPerPhone
      ? counts.oldestByPhone
      : counts.byIp >= settings.maxFailuresPerIp
        ? counts.oldestByIp
        : null;
  if (limitedSince === null) return;
  const freeAt = new Date(limitedSince).getTime() + settings.failureWindowMinutes * 60_000;
  const minutes = Math.max(1, Math.ceil((freeAt - Date.now()) / 60_000));
  throw new DomainError('LOGIN_THROTTLED', { minutes, retryAfterSeconds: minutes * 60 });
}

/** A new refresh-token family: one per sign-in, so signing out one device leaves the others. */
async function startFamily(tx: Queryable, settings: AccountSettings, userId: string): Promise<SignedIn> {
  const { token, expiresAt } = await issueRefreshToken(tx, settings, userId, randomUUID());
  return { userId, refreshToken: token, refreshExpiresAt: expiresAt, me: await getMe(tx, userId) };
}

async function issueRefreshToken(tx: Queryable, settings: AccountSettings, userId: string, familyId: string) {
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(Date.now() + settings.refreshTokenTtlDays * 86_400_000);
  await tx.insert(schema.refreshTokens).values({ userId, familyId, tokenHash: hashToken(token), expiresAt });
  return { token, expiresAt };
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
