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
  /** What the holders read: a title, and the body after "<venue> <when> 的预约已取消：". */
  title: string;
  why: string;
}

/**
 * The venue cancels bookings (a block, a court out of service, equipment under repair): never counted
 * against the residents, and each holder told when and why. The one way every such path does it.
 */
export async function cancelForVenue(tx: Queryable, c: VenueCancellation): Promise<{ id: string; userId: string | null; start: Date }[]> {
  const cancelled = await tx
    .update(r)
    .set({ status: 'cancelled', cancelledAt: c.now, cancelledBy: c.actorId, cancelReason: c.reason, cancelledWithoutPenalty: true })
    .where(and(c.where, eq(r.status, 'confirmed')))
    .returning({ id: r.id, userId: r.userId, start: startOf() });
  const when = new Intl.DateTimeFormat('zh-CN', { timeZone: c.venue.timeZone, dateStyle: 'medium', timeStyle: 'short' });
  await notify(
    tx,
    cancelled
      .filter((x) => x.userId)
      .map((x) => ({
        userId: x.userId!,
        kind: 'reservation.cancelled_by_venue',
        title: c.title,
        body: `${c.venue.name} ${when.format(x.start)} 的预约已取消：${c.why}。不计违约。`,
        data: { reservationId: x.id, reason: c.reason },
      })),
  );
  return cancelled;
}
