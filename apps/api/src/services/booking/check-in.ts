import { eq } from 'drizzle-orm';
import type { Reservation } from '@sports/contracts';
import type { Db } from '@sports/db';
import { withinCheckInWindow } from '@sports/domain';
import type { Actor } from '../shared/actor.ts';
import { recordAudit } from '../shared/audit.ts';
import { DomainError } from '../shared/errors.ts';
import { authorize } from '../shared/grants.ts';
import { BOOKING_STAFF, loadReservation, r, reservationQuery, type ReservationSecrets, toReservation } from './reservation-rows.ts';
import { codeFromScan } from '../shared/signed-codes.ts';

/**
 * Staff at the gate scan the resident's QR (or type the short code) and check them in, from 30
 * minutes before the start to 15 minutes after.
 */
export async function checkIn(db: Db, secrets: ReservationSecrets, actor: Actor, scanned: string, now: Date): Promise<Reservation> {
  const code = codeFromScan('reservation', scanned, secrets.qrKey);
  const id = await db.transaction(async (tx) => {
    const [row] = await reservationQuery(tx).where(eq(r.code, code));
    if (!row) throw new DomainError('NOT_FOUND');
    await authorize(tx, actor, BOOKING_STAFF, row.organisationId);
    if (row.status === 'checked_in') throw new DomainError('ALREADY_CHECKED_IN');
    if (row.status !== 'confirmed') throw new DomainError('NOT_FOUND');
    if (!withinCheckInWindow(row.start, now)) throw new DomainError('CHECK_IN_WINDOW');
    await tx.update(r).set({ status: 'checked_in', checkedInAt: now, checkedInBy: actor.userId }).where(eq(r.id, row.id));
    await recordAudit(tx, actor, {
      action: 'reservation.check_in',
      targetType: 'reservation',
      targetId: row.id,
      organisationId: row.organisationId,
      detail: { code },
    });
    return row.id;
  });
  return toReservation(await loadReservation(db, id), secrets);
}
