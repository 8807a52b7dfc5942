import { and, eq } from 'drizzle-orm';
import type { Reservation } from '@sports/contracts';
import type { Db } from '@sports/db';
import { canCancelFree } from '@sports/domain';
import type { Actor } from '../shared/actor.ts';
import { recordAudit } from '../shared/audit.ts';
import { effectiveSettings } from './booking-rules.ts';
import { DomainError } from '../shared/errors.ts';
import { cancelForVenue } from './cancellations.ts';
import { loadReservation, r, type ReservationSecrets, toReservation, visibleReservation } from './reservation-rows.ts';

// ——— cancelling and checking in ———

/**
 * A resident cancels their own booking, free until the deadline. Staff of the venue cancel any
 * booking there with a reason, without penalty to the resident, who is told.
 */
export async function cancelReservation(
  db: Db,
  secrets: ReservationSecrets,
  actor: Actor,
  id: string,
  reason: string | undefined,
  now: Date,
): Promise<Reservation> {
  await db.transaction(async (tx) => {
    const row = await visibleReservation(tx, actor, id);
    const own = row.userId === actor.userId;
    if (row.status !== 'confirmed') throw new DomainError('NOT_CANCELLABLE');
    if (own) {
      const settings = effectiveSettings({ bookingSettings: row.venueSettings }, { bookingSettings: row.resourceSettings });
      if (!canCancelFree(row.start, settings.cancelHours, now)) {
        throw new DomainError('CANCELLATION_DEADLINE_PASSED', { hours: settings.cancelHours });
      }
    } else if (!reason) {
      throw new DomainError('REASON_REQUIRED');
    }
    if (own) {
      const [updated] = await tx
        .update(r)
        .set({ status: 'cancelled', cancelledAt: now, cancelledBy: actor.userId, cancelReason: null, cancelledWithoutPenalty: false })
        .where(and(eq(r.id, id), eq(r.status, 'confirmed')))
        .returning({ id: r.id });
      if (!updated) throw new DomainError('NOT_CANCELLABLE');
      return;
    }
    // Staff: the venue's one way of cancelling (no penalty, the holder told in their language).
    const cancelled = await cancelForVenue(tx, {
      where: eq(r.id, id),
      venue: { name: row.venueName, timeZone: row.timeZone },
      actorId: actor.userId,
      reason: reason!,
      now,
      cause: { kind: 'staff', reason: reason!, resource: row.resourceName },
    });
    if (cancelled.length === 0) throw new DomainError('NOT_CANCELLABLE');
    await recordAudit(tx, actor, {
      action: 'reservation.cancel',
      targetType: 'reservation',
      targetId: id,
      organisationId: row.organisationId,
      detail: { reason, code: row.code },
    });
  });
  return toReservation(await loadReservation(db, id), secrets);
}
