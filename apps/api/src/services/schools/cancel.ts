import { eq, sql } from 'drizzle-orm';
import type { SchoolRegistration, SchoolSession } from '@sports/contracts';
import type { Db } from '@sports/db';
import type { Actor } from '../shared/actor.ts';
import { recordAudit } from '../shared/audit.ts';
import { DomainError } from '../shared/errors.ts';
import type { ReservationSecrets } from '../booking/reservation-rows.ts';
import { closeSessionWithin } from './school-plans.ts';
import { loadRegistration, loadSession, managedSession, reg, s, toRegistration, toSession } from './registration-rows.ts';

export async function closeSession(db: Db, actor: Actor, id: string, reason: string, now: Date): Promise<SchoolSession> {
  await db.transaction(async (tx) => {
    const row = await managedSession(tx, actor, id);
    if (row.session.endsAt.getTime() <= now.getTime()) throw new DomainError('SESSION_CLOSED');
    await closeSessionWithin(tx, actor, id, reason, now);
    await recordAudit(tx, actor, { action: 'school.session.close', targetType: 'school_session', targetId: id, organisationId: row.session.organisationId, detail: { reason } });
  });
  return toSession(await loadSession(db, id));
}

/** The resident cancels before the session starts; the places are freed at once. */
export async function cancelRegistration(db: Db, secrets: ReservationSecrets, actor: Actor, id: string, now: Date): Promise<SchoolRegistration> {
  await db.transaction(async (tx) => {
    const [row] = await tx
      .select({ registration: reg, startsAt: s.startsAt })
      .from(reg)
      .innerJoin(s, eq(s.id, reg.sessionId))
      .where(eq(reg.id, id))
      .for('update', { of: reg });
    // Someone else's registration is as good as absent.
    if (!row || row.registration.userId !== actor.userId) throw new DomainError('NOT_FOUND');
    if (row.registration.status !== 'confirmed' || row.startsAt.getTime() <= now.getTime()) throw new DomainError('NOT_CANCELLABLE');
    await tx
      .update(reg)
      .set({ status: 'cancelled', cancelledAt: now, cancelledWithoutPenalty: true, cancelReason: '本人取消 / cancelled by the resident' })
      .where(eq(reg.id, id));
    await tx.update(s).set({ taken: sql`${s.taken} - ${row.registration.partySize}` }).where(eq(s.id, row.registration.sessionId));
  });
  return toRegistration(await loadRegistration(db, id), secrets);
}
