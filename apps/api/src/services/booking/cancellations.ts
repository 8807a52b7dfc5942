import { and, eq, type SQL } from 'drizzle-orm';
import { schema, type Queryable } from '@sports/db';
import { startOf } from './booking-rules.ts';
import { notify } from '../accounts/notifications.ts';

const r = schema.reservations;

export interface VenueCancellation {
  /** Which of the venue's confirmed reservations must go. */
  where: SQL | undefined;
  venue: { name: string; timeZone: string };
  actorId: string | null;
  /** Kept on each booking. */
  reason: string;
  now: Date;
  /**
   * Why, as facts the holders' messages are rendered from in their language: staff cancelled a
   * booking with a reason, the venue blocked the court, equipment under repair, or a court out of use.
   */
  cause:
    | { kind: 'staff'; reason: string; resource: string }
    | { kind: 'block'; reason: string }
    | { kind: 'repair'; asset: string }
    | { kind: 'resource_closed'; resource: string };
}

/**
 * The venue cancels bookings (staff cancelling one, a block, a court out of service, equipment under
 * repair): never counted
 * against the residents, and each holder told when and why. The one way every such path does it.
 */
export async function cancelForVenue(tx: Queryable, c: VenueCancellation): Promise<{ id: string; userId: string | null; start: Date }[]> {
  const cancelled = await tx
    .update(r)
    .set({ status: 'cancelled', cancelledAt: c.now, cancelledBy: c.actorId, cancelReason: c.reason, cancelledWithoutPenalty: true })
    .where(and(c.where, eq(r.status, 'confirmed')))
    .returning({ id: r.id, userId: r.userId, start: startOf() });
  const { kind, ...facts } = c.cause;
  const cause = { cause: kind, ...facts };
  await notify(
    tx,
    cancelled
      .filter((x) => x.userId)
      .map((x) => ({
        userId: x.userId!,
        kind: 'reservation.cancelled_by_venue' as const,
        params: { venue: c.venue.name, startsAt: x.start.toISOString(), timeZone: c.venue.timeZone, ...cause },
        data: { reservationId: x.id, reason: c.reason },
      })),
  );
  return cancelled;
}
