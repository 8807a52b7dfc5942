import { and, eq, inArray, ne, sql } from 'drizzle-orm';
import { schema, type Queryable } from '@sports/db';
import { ACTIVE_RESERVATION_STATUSES as ACTIVE, addDays, localTimeToInstant } from '@sports/domain';
import { endOf, lockCourts, rangeText, startOf } from './booking-rules.ts';
import { cancelForVenue } from './cancellations.ts';
import { newShortCode } from '../shared/signed-codes.ts';

/**
 * Repair-aware booking: equipment out of service on a court takes the court's slots out of booking
 * until the day it should be back (or, without a day, for REPAIR_HORIZON_DAYS, past any booking
 * window) by a block under the same exclusion constraint as every booking. Bookings in the way are
 * cancelled without penalty and their holders told; putting the equipment back in order ends the
 * block, so the slots after that moment are free again.
 */
export const REPAIR_HORIZON_DAYS = 400;

const r = schema.reservations;

export interface RepairSpan {
  venue: { id: string; name: string; timeZone: string };
  assetId: string;
  resourceId: string;
  /** Where the fault is, for the holders' message, e.g. 1号场东侧篮球架. */
  assetName: string;
  reason: string;
  /** The last day out of use (venue-local), or null for "until it is back in order". */
  expectedFixDate: string | null;
  actorId: string | null;
}

/** The end of the span out of booking: the end of the expected fix day, or the horizon. */
export function repairSpanEnd(now: Date, timeZone: string, expectedFixDate: string | null): Date {
  if (expectedFixDate) return localTimeToInstant(addDays(expectedFixDate, 1), '00:00', timeZone);
  return new Date(now.getTime() + REPAIR_HORIZON_DAYS * 86_400_000);
}

/** The parts of [start, end) that none of the (time-ordered) holds covers. */
export function gapsBetween(start: number, end: number, holds: readonly { start: number; end: number }[]): { start: number; end: number }[] {
  const gaps: { start: number; end: number }[] = [];
  let from = start;
  for (const hold of holds) {
    if (hold.end <= from) continue;
    if (hold.start >= end) break;
    if (hold.start > from) gaps.push({ start: from, end: hold.start });
    from = Math.max(from, hold.end);
    if (from >= end) break;
  }
  if (from < end) gaps.push({ start: from, end });
  return gaps;
}

/**
 * Takes the court out of booking from now to the span's end: residents' and clubs' confirmed bookings
 * in the way are cancelled without penalty and their holders told; blocks the venue already made, and
 * a visit already checked in, stay as they are, and the repair blocks fill the time around them.
 * The caller holds the asset's row lock. Returns how many bookings were cancelled.
 */
export async function takeOutOfBooking(tx: Queryable, span: RepairSpan, now: Date): Promise<number> {
  const [resource] = await tx
    .select({ sport: schema.venueResources.sport, mode: schema.venueResources.mode })
    .from(schema.venueResources)
    .where(eq(schema.venueResources.id, span.resourceId));
  // Only courts booked by the hour: one broken machine does not close a shared track or a whole path.
  if (resource?.mode !== 'exclusive') return 0;
  await lockCourts(tx, [span.resourceId]);
  const end = repairSpanEnd(now, span.venue.timeZone, span.expectedFixDate);
  if (end <= now) return 0;
  const during = rangeText(now, end);
  const reason = `设施维修停用：${span.assetName}（${span.reason}）`;
  const cancelled = await cancelForVenue(tx, {
    where: and(eq(r.resourceId, span.resourceId), ne(r.kind, 'block'), sql`${r.during} && ${during}::tstzrange`),
    venue: span.venue,
    actorId: span.actorId,
    reason,
    now,
    cause: { kind: 'repair', asset: span.assetName },
  });
  const staying = await tx
    .select({ start: startOf(), end: endOf() })
    .from(r)
    .where(and(eq(r.resourceId, span.resourceId), inArray(r.status, [...ACTIVE]), sql`${r.during} && ${during}::tstzrange`))
    .orderBy(sql`lower(${r.during})`);
  const gaps = gapsBetween(
    now.getTime(),
    end.getTime(),
    staying.map((hold) => ({ start: hold.start.getTime(), end: hold.end.getTime() })),
  );
  if (gaps.length > 0) {
    await tx.insert(r).values(
      gaps.map((gap) => ({
        code: newShortCode(),
        kind: 'block' as const,
        resourceId: span.resourceId,
        venueId: span.venue.id,
        userId: null,
        during: rangeText(new Date(gap.start), new Date(gap.end)),
        sport: resource.sport,
        note: reason,
        repairAssetId: span.assetId,
        createdBy: span.actorId,
      })),
    );
  }
  return cancelled.length;
}

/**
 * Puts the court back in booking from `now`: the equipment's repair blocks not yet begun are
 * cancelled, one under way is cut short.
 */
export async function putBackInBooking(tx: Queryable, assetId: string, now: Date): Promise<void> {
  const at = sql`${now.toISOString()}::timestamptz`;
  const mine = and(eq(r.repairAssetId, assetId), eq(r.status, 'confirmed'));
  await tx.update(r).set({ status: 'cancelled', cancelledAt: now, cancelReason: '设施已修复' }).where(and(mine, sql`lower(${r.during}) >= ${at}`));
  await tx
    .update(r)
    .set({ during: sql`tstzrange(lower(${r.during}), ${at}, '[)')` })
    .where(and(mine, sql`upper(${r.during}) > ${at}`));
}
