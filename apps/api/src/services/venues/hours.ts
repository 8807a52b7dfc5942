import { and, eq } from 'drizzle-orm';
import type { CreateExceptionBody, HoursException, SetHoursBody, VenueDetail } from '@sports/contracts';
import { schema, sqlState, UNIQUE_VIOLATION, type Db } from '@sports/db';
import type { Actor } from '../shared/actor.ts';
import { recordAudit } from '../shared/audit.ts';
import { DomainError, fieldProblem } from '../shared/errors.ts';
import { rewriteOpenIntervals } from './open-intervals.ts';
import { getVenue } from './venue-reads.ts';
import { assertRanges, assertTimeZone, assertWeek, managedVenue, resourceOf, toException, v } from './venue-rows.ts';

export async function setVenueHours(db: Db, actor: Actor, id: string, body: SetHoursBody, now: Date): Promise<VenueDetail> {
  assertWeek('weeklyHours', body.weeklyHours);
  if (body.timeZone) assertTimeZone(body.timeZone);
  await db.transaction(async (tx) => {
    const venue = await managedVenue(tx, actor, id);
    const [updated] = await tx
      .update(v)
      .set({
        weeklyHours: body.weeklyHours,
        holidayRule: body.holidayRule,
        timeZone: body.timeZone ?? venue.timeZone,
        updatedAt: now,
      })
      .where(eq(v.id, id))
      .returning();
    await rewriteOpenIntervals(tx, updated!, now);
    await recordAudit(tx, actor, {
      action: 'venue.hours.set',
      targetType: 'venue',
      targetId: id,
      organisationId: venue.organisationId,
      detail: { before: { weeklyHours: venue.weeklyHours, holidayRule: venue.holidayRule }, after: body },
    });
  });
  return getVenue(db, actor, id, now);
}

export async function addHoursException(
  db: Db,
  actor: Actor,
  id: string,
  body: CreateExceptionBody,
  now: Date,
): Promise<HoursException> {
  const ranges = body.kind === 'special' ? (body.ranges ?? []) : [];
  if (body.kind === 'special') {
    if (ranges.length === 0) {
      throw new DomainError('VALIDATION_FAILED', {}, [fieldProblem('ranges', '特殊开放须填写时间段', 'special hours need at least one range')]);
    }
    assertRanges('ranges', ranges);
  }
  try {
    return await db.transaction(async (tx) => {
      const venue = await managedVenue(tx, actor, id);
      if (body.resourceId) await resourceOf(tx, id, body.resourceId);
      const [created] = await tx
        .insert(schema.venueHoursExceptions)
        .values({
          venueId: id,
          resourceId: body.resourceId ?? null,
          date: body.date,
          kind: body.kind,
          ranges,
          reason: body.reason.trim(),
          createdBy: actor.userId,
        })
        .returning();
      await rewriteOpenIntervals(tx, venue, now);
      await recordAudit(tx, actor, {
        action: 'venue.exception.add',
        targetType: 'venue',
        targetId: id,
        organisationId: venue.organisationId,
        detail: { date: body.date, kind: body.kind, reason: body.reason, resourceId: body.resourceId ?? null },
      });
      return toException(created!);
    });
  } catch (err) {
    if (sqlState(err) === UNIQUE_VIOLATION) throw new DomainError('EXCEPTION_EXISTS');
    throw err;
  }
}

export async function deleteHoursException(db: Db, actor: Actor, id: string, exceptionId: string, now: Date): Promise<void> {
  await db.transaction(async (tx) => {
    const venue = await managedVenue(tx, actor, id);
    const e = schema.venueHoursExceptions;
    const [removed] = await tx.delete(e).where(and(eq(e.id, exceptionId), eq(e.venueId, id))).returning();
    if (!removed) throw new DomainError('NOT_FOUND');
    await rewriteOpenIntervals(tx, venue, now);
    await recordAudit(tx, actor, {
      action: 'venue.exception.delete',
      targetType: 'venue',
      targetId: id,
      organisationId: venue.organisationId,
      detail: { date: removed.date, kind: removed.kind, reason: removed.reason },
    });
  });
}
