import { and, count, eq, gte, inArray, lte, sql } from 'drizzle-orm';
import type { SchoolRegistration, SessionRegisterBody } from '@sports/contracts';
import { advisoryLock, schema, sqlState, UNIQUE_VIOLATION, violatedConstraint, type Db, type Queryable } from '@sports/db';
import { addDays, checkEligibility, checkSchoolQuota, standingRefusal, weekStartOf } from '@sports/domain';
import type { Actor } from '../shared/actor.ts';
import { residentRules } from '../booking/booking-rules.ts';
import { readStanding, standingError } from '../booking/standing.ts';
import { DomainError, fieldProblem } from '../shared/errors.ts';
import { replayEarlier, requestHash } from '../shared/idempotency.ts';
import { identityFacts } from '../accounts/identity.ts';
import type { ReservationSecrets } from '../booking/reservation-rows.ts';
import { currentPledge } from './school-plans.ts';
import { ACTIVE, loadRegistration, loadSession, reg, s, toRegistration } from './registration-rows.ts';
import { newShortCode } from '../shared/signed-codes.ts';

// ——— registering ———


function hashOf(sessionId: string, body: SessionRegisterBody): string {
  return requestHash([sessionId, body.partySize, body.minors.map((m) => [m.name.trim(), m.age])]);
}

async function replay(db: Queryable, secrets: ReservationSecrets, userId: string, key: string, hash: string) {
  const [existing] = await db
    .select({ id: reg.id, requestHash: reg.requestHash })
    .from(reg)
    .where(and(eq(reg.userId, userId), eq(reg.idempotencyKey, key)));
  return replayEarlier(existing, hash, async (id) => toRegistration(await loadRegistration(db, id), secrets));
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
  const hash = hashOf(sessionId, body);
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
      if (refusal) throw new DomainError('NOT_ELIGIBLE', { reason: refusal });

      // One resident's requests take turns (the same lock as their court bookings), so two at once
      // cannot both slip under a quota.
      await advisoryLock(tx, 'resident', actor.userId);
      const rules = await residentRules(tx, row.cityCode);
      const standing = standingRefusal(await readStanding(tx, actor.userId, row.cityCode, now), rules, { kind: 'school' });
      if (standing) throw standingError(standing, row.timeZone);
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
        throw new DomainError('QUOTA_EXCEEDED', { rule: 'school_per_school_per_day', max: rules.schoolPerSchoolPerDay });
      }
      if (quota === 'per_week') {
        throw new DomainError('QUOTA_EXCEEDED', { rule: 'school_per_week', max: rules.schoolPerWeek });
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
          code: newShortCode(),
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
