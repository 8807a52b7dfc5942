import { createHash } from 'node:crypto';
import { and, count, desc, eq, gt, gte, inArray, lte, sql } from 'drizzle-orm';
import type { SchoolRegistration, SessionRegisterBody } from '@sports/contracts';
import { schema, sqlState, UNIQUE_VIOLATION, violatedConstraint, type Db, type Queryable } from '@sports/db';
import { addDays, checkEligibility, checkSchoolQuota, weekStartOf, type EligibilityRefusal } from '@sports/domain';
import type { Actor } from '../shared/actor.ts';
import { residentRules } from '../booking/booking-rules.ts';
import { DomainError, fieldProblem } from '../shared/errors.ts';
import { identityFacts } from '../accounts/identity.ts';
import { newReservationCode } from '../booking/qr-codes.ts';
import type { ReservationSecrets } from '../booking/reservation-rows.ts';
import { currentPledge } from './school-plans.ts';
import { ACTIVE, loadRegistration, loadSession, reg, s, toRegistration } from './registration-rows.ts';

// ——— registering ———

const ELIGIBILITY_TEXT: Record<EligibilityRefusal, string> = {
  no_region: '请在实名信息中填写居住区县 / add your home district to your identity',
  other_city: '仅限本市居民 / residents of this city only',
  other_district: '仅限本区县居民 / residents of this district only',
  minor_alone: '未满 14 周岁须由已登记的监护人陪同报名 / under 14s come with a registered guardian',
  minors_not_allowed: '该场次不接待未成年人 / this session does not admit children',
  too_many_minors: '每位监护人最多带 3 名儿童 / at most 3 children per guardian',
  minor_too_old: '年满 14 周岁须本人实名报名 / anyone 14 or over registers in their own name',
};

function requestHash(sessionId: string, body: SessionRegisterBody): string {
  return createHash('sha256').update(JSON.stringify([sessionId, body.partySize, body.minors.map((m) => [m.name.trim(), m.age])])).digest('base64url');
}

async function replay(db: Queryable, secrets: ReservationSecrets, userId: string, key: string, hash: string) {
  const [existing] = await db
    .select({ id: reg.id, requestHash: reg.requestHash })
    .from(reg)
    .where(and(eq(reg.userId, userId), eq(reg.idempotencyKey, key)));
  if (!existing) return undefined;
  if (existing.requestHash !== hash) throw new DomainError('IDEMPOTENCY_KEY_REUSED');
  return toRegistration(await loadRegistration(db, existing.id), secrets);
}

/**
 * Registers the resident (and the children they bring) for a session. Every rule is checked with a
 * friendly code first; the places are then taken by one conditional UPDATE — `taken + n <= capacity`
 * — which the database applies one row-lock at a time, and a check constraint forbids going over
 * whatever the application does.
 */
export async function register(
  db: Db,
  secrets: ReservationSecrets,
  actor: Actor,
  sessionId: string,
  body: SessionRegisterBody,
  idempotencyKey: string,
  now: Date,
): Promise<{ registration: SchoolRegistration; created: boolean }> {
  const hash = requestHash(sessionId, body);
  const earlier = await replay(db, secrets, actor.userId, idempotencyKey, hash);
  if (earlier) return { registration: earlier, created: false };
  if (body.partySize !== 1 + body.minors.length) {
    throw new DomainError('VALIDATION_FAILED', {}, [
      fieldProblem('partySize', '人数应为本人加随行儿童人数', 'must be you plus the children you bring'),
    ]);
  }
  try {
    const id = await db.transaction(async (tx) => {
      const row = await loadSession(tx, sessionId);
      const session = row.session;
      if (row.planStatus === 'draft') throw new DomainError('NOT_FOUND');
      if (session.status !== 'open' || row.planStatus !== 'published' || session.startsAt.getTime() <= now.getTime()) {
        throw new DomainError('SESSION_CLOSED');
      }
      const identity = await identityFacts(tx, actor.userId);
      if (!identity) throw new DomainError('REAL_NAME_REQUIRED');
      const pledge = await currentPledge(tx, session.organisationId);
      if (pledge) {
        const [accepted] = await tx
          .select({ n: count() })
          .from(schema.pledgeAcceptances)
          .where(and(eq(schema.pledgeAcceptances.userId, actor.userId), eq(schema.pledgeAcceptances.pledgeId, pledge.id)));
        if ((accepted?.n ?? 0) === 0) throw new DomainError('PLEDGE_REQUIRED', { version: pledge.version });
      }
      const refusal = checkEligibility({
        eligibility: row.eligibility,
        school: { cityCode: row.cityCode, districtCode: row.districtCode },
        resident: identity,
        date: session.date,
        allowMinors: row.allowMinors,
        minorAges: body.minors.map((m) => m.age),
      });
      if (refusal) throw new DomainError('NOT_ELIGIBLE', { reason: ELIGIBILITY_TEXT[refusal], refusal });

      // One resident's requests take turns (the same lock as their court bookings), so two at once
      // cannot both slip under a quota.
      await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`reservations:${actor.userId}`}))`);
      await assertNotSuspended(tx, actor.userId, row.cityCode, row.timeZone, now);
      const rules = await residentRules(tx, row.cityCode);
      const held = await tx
        .select({ schoolId: s.organisationId, date: s.date, sessionId: s.id })
        .from(reg)
        .innerJoin(s, eq(s.id, reg.sessionId))
        .where(and(eq(reg.userId, actor.userId), inArray(reg.status, [...ACTIVE]), gte(s.date, weekStartOf(session.date)), lte(s.date, addDays(weekStartOf(session.date), 6))));
      if (held.some((h) => h.sessionId === sessionId)) throw new DomainError('ALREADY_REGISTERED');
      const quota = checkSchoolQuota(
        { perSchoolPerDay: rules.schoolPerSchoolPerDay, perWeek: rules.schoolPerWeek },
        held,
        { schoolId: session.organisationId, date: session.date },
      );
      if (quota === 'per_school_per_day') {
        throw new DomainError('QUOTA_EXCEEDED', { rule: `同一学校每天最多 ${rules.schoolPerSchoolPerDay} 场 / at most ${rules.schoolPerSchoolPerDay} session a day at one school` });
      }
      if (quota === 'per_week') {
        throw new DomainError('QUOTA_EXCEEDED', { rule: `每周最多 ${rules.schoolPerWeek} 场校园开放 / at most ${rules.schoolPerWeek} school sessions a week` });
      }

      const [seat] = await tx
        .update(s)
        .set({ taken: sql`${s.taken} + ${body.partySize}` })
        .where(and(eq(s.id, sessionId), eq(s.status, 'open'), sql`${s.taken} + ${body.partySize} <= ${s.capacity}`))
        .returning({ id: s.id });
      if (!seat) throw new DomainError('SESSION_FULL');
      const [created] = await tx
        .insert(reg)
        .values({
          sessionId,
          userId: actor.userId,
          code: newReservationCode(),
          partySize: body.partySize,
          minors: body.minors.map((m) => ({ name: m.name.trim(), age: m.age })),
          idempotencyKey,
          requestHash: hash,
        })
        .returning({ id: reg.id });
      return created!.id;
    });
    return { registration: toRegistration(await loadRegistration(db, id), secrets), created: true };
  } catch (err) {
    if (sqlState(err) === UNIQUE_VIOLATION) {
      if (violatedConstraint(err) === 'school_registrations_one_per_session_uq') throw new DomainError('ALREADY_REGISTERED');
      const again = await replay(db, secrets, actor.userId, idempotencyKey, hash);
      if (again) return { registration: again, created: false };
    }
    throw err;
  }
}

async function assertNotSuspended(tx: Queryable, userId: string, cityCode: string, timeZone: string, now: Date) {
  const b = schema.bookingSuspensions;
  const [suspension] = await tx
    .select({ until: b.until })
    .from(b)
    .where(and(eq(b.userId, userId), eq(b.cityCode, cityCode), gt(b.until, now)))
    .orderBy(desc(b.until))
    .limit(1);
  if (suspension) {
    const until = new Intl.DateTimeFormat('zh-CN', { timeZone, dateStyle: 'medium', timeStyle: 'short' }).format(suspension.until);
    throw new DomainError('SUSPENDED', { until, untilIso: suspension.until.toISOString() });
  }
}
