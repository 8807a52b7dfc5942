import { randomUUID } from 'node:crypto';
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { BookingSettings, CreateBlockBody, CreateSeriesBody, DayBooking, DayGrid, ResidentRules, SeriesResult } from '@sports/contracts';
import { EXCLUSION_VIOLATION, retryOnConflict, schema, sqlState, type Db, type Queryable } from '@sports/db';
import { MAX_BLOCK_DAYS, addDays, checkBlockSpan, localTimeToInstant, maskPhone, weekdayOf } from '@sports/domain';
import type { Actor } from '../shared/actor.ts';
import { recordAudit } from '../shared/audit.ts';
import { endOf, lockCourts, rangeText, residentRules, resourceSlots, startOf } from './booking-rules.ts';
import { DomainError, fieldProblem } from '../shared/errors.ts';
import { authorize } from '../shared/grants.ts';
import { ACTIVE, BOOKING_STAFF } from './reservation-rows.ts';
import { cancelForVenue } from './cancellations.ts';
import { newShortCode } from '../shared/signed-codes.ts';

const r = schema.reservations;

async function managedVenue(tx: Queryable, actor: Actor, venueId: string) {
  const [venue] = await tx.select().from(schema.venues).where(eq(schema.venues.id, venueId));
  if (!venue) throw new DomainError('NOT_FOUND');
  await authorize(tx, actor, BOOKING_STAFF, venue.organisationId);
  return venue;
}

const dayBookingColumns = {
  id: r.id,
  code: r.code,
  kind: r.kind,
  resourceId: r.resourceId,
  status: r.status,
  start: startOf(),
  end: endOf(),
  priceFen: r.priceFen,
  note: r.note,
  userId: r.userId,
  displayName: schema.users.displayName,
  phone: schema.users.phone,
};

function toDayBooking(row: {
  id: string;
  code: string;
  kind: DayBooking['kind'];
  resourceId: string;
  status: DayBooking['status'];
  start: Date;
  end: Date;
  priceFen: number;
  note: string;
  displayName: string | null;
  phone: string | null;
}): DayBooking {
  return {
    id: row.id,
    code: row.code,
    kind: row.kind,
    resourceId: row.resourceId,
    status: row.status,
    start: row.start.toISOString(),
    end: row.end.toISOString(),
    priceFen: row.priceFen,
    note: row.note,
    holder: row.displayName && row.phone ? { displayName: row.displayName, phoneMasked: maskPhone(row.phone) } : null,
  };
}

/** Every court of the venue and every booking on one local day, for the operator's day grid. */
export async function dayGrid(db: Db, actor: Actor, venueId: string, date: string): Promise<DayGrid> {
  const venue = await managedVenue(db, actor, venueId);
  const dayStart = localTimeToInstant(date, '00:00', venue.timeZone);
  const dayEnd = localTimeToInstant(addDays(date, 1), '00:00', venue.timeZone);
  const [resources, bookings] = await Promise.all([
    db
      .select({ id: schema.venueResources.id, name: schema.venueResources.name, sport: schema.venueResources.sport, status: schema.venueResources.status })
      .from(schema.venueResources)
      .where(eq(schema.venueResources.venueId, venueId))
      .orderBy(asc(schema.venueResources.sortOrder), asc(schema.venueResources.name)),
    db
      .select(dayBookingColumns)
      .from(r)
      .leftJoin(schema.users, eq(schema.users.id, r.userId))
      .where(
        and(
          eq(r.venueId, venueId),
          inArray(r.status, ['confirmed', 'checked_in', 'completed', 'no_show']),
          sql`${r.during} && tstzrange(${dayStart.toISOString()}::timestamptz, ${dayEnd.toISOString()}::timestamptz)`,
        ),
      )
      .orderBy(asc(sql`lower(${r.during})`)),
  ]);
  return {
    date,
    resources: resources.map((x) => ({ ...x, sport: x.sport as DayGrid['resources'][number]['sport'] })),
    bookings: bookings.map(toDayBooking),
  };
}

/**
 * Blocks courts for maintenance or an event. Residents' bookings in the way are cancelled without
 * penalty and their holders told, in the same transaction that inserts the blocks, under the same
 * exclusion constraint.
 */
export async function blockTime(db: Db, actor: Actor, venueId: string, body: CreateBlockBody, now: Date) {
  const start = new Date(body.start);
  const end = new Date(body.end);
  if (end <= start) throw new DomainError('VALIDATION_FAILED', {}, [fieldProblem('end', '结束时间须晚于开始时间', 'must be after start')]);
  try {
    return await blockWithin(db, actor, venueId, body, start, end, now);
  } catch (err) {
    // A visitor already checked in, or another block, is in the way: the caller must choose other times.
    if (sqlState(err) === EXCLUSION_VIOLATION) throw new DomainError('SLOT_TAKEN');
    throw err;
  }
}

function blockWithin(db: Db, actor: Actor, venueId: string, body: CreateBlockBody, start: Date, end: Date, now: Date) {
  return retryOnConflict(() => db.transaction(async (tx) => {
    const venue = await managedVenue(tx, actor, venueId);
    // Not from the past and not for ever: a block cancels every booking it covers.
    const refusal = checkBlockSpan(start, end, now);
    if (refusal) throw new DomainError(refusal, { maxDays: MAX_BLOCK_DAYS });
    const resources = await tx
      .select({ id: schema.venueResources.id, sport: schema.venueResources.sport })
      .from(schema.venueResources)
      .where(and(eq(schema.venueResources.venueId, venueId), inArray(schema.venueResources.id, body.resourceIds)));
    if (resources.length !== body.resourceIds.length) throw new DomainError('NOT_FOUND');
    await lockCourts(tx, body.resourceIds);
    const span = rangeText(start, end);
    const affected = await cancelForVenue(tx, {
      where: and(inArray(r.resourceId, body.resourceIds), sql`${r.during} && ${span}::tstzrange`),
      venue,
      actorId: actor.userId,
      reason: body.reason,
      now,
      cause: { kind: 'block', reason: body.reason },
    });
    const blocks = await tx
      .insert(r)
      .values(
        resources.map((res) => ({
          code: newShortCode(),
          kind: 'block' as const,
          resourceId: res.id,
          venueId,
          userId: null,
          during: span,
          sport: res.sport,
          note: body.reason,
          createdBy: actor.userId,
        })),
      )
      .returning({ id: r.id });
    const read = (ids: string[]) =>
      ids.length === 0
        ? Promise.resolve([])
        : tx.select(dayBookingColumns).from(r).leftJoin(schema.users, eq(schema.users.id, r.userId)).where(inArray(r.id, ids));
    const cancelled = await read(affected.map((a) => a.id));
    await recordAudit(tx, actor, {
      action: 'venue.block',
      targetType: 'venue',
      targetId: venueId,
      organisationId: venue.organisationId,
      detail: { resourceIds: body.resourceIds, start: body.start, end: body.end, reason: body.reason, cancelled: affected.length },
    });
    return { blocks: (await read(blocks.map((b) => b.id))).map(toDayBooking), cancelled: cancelled.map(toDayBooking) };
  }));
}

/**
 * A club's recurring booking: the same court, weekday and time for a term. Each date is inserted in
 * its own savepoint under the exclusion constraint; dates that are taken or closed are listed, never
 * silently skipped. With `dryRun` nothing is written.
 */
export async function createSeries(db: Db, actor: Actor, venueId: string, body: CreateSeriesBody): Promise<SeriesResult> {
  if (body.endTime <= body.startTime) {
    throw new DomainError('VALIDATION_FAILED', {}, [fieldProblem('endTime', '结束时间须晚于开始时间', 'must be after startTime')]);
  }
  if (body.toDate < body.fromDate || addDays(body.fromDate, 200) < body.toDate) {
    throw new DomainError('VALIDATION_FAILED', {}, [fieldProblem('toDate', '结束日期须在开始日期后 200 天内', 'must be on or after fromDate, within 200 days')]);
  }
  return db.transaction(async (tx) => {
    const venue = await managedVenue(tx, actor, venueId);
    const [resource] = await tx
      .select()
      .from(schema.venueResources)
      .where(and(eq(schema.venueResources.id, body.resourceId), eq(schema.venueResources.venueId, venueId)));
    if (!resource) throw new DomainError('NOT_FOUND');
    await lockCourts(tx, [resource.id]);
    const [holder] = await tx.select({ id: schema.users.id }).from(schema.users).where(eq(schema.users.phone, body.holderPhone));
    if (!holder) throw new DomainError('USER_NOT_FOUND');
    const seriesId = body.dryRun ? null : randomUUID();
    const result: SeriesResult = { seriesId, created: [], conflicts: [] };
    for (let date = body.fromDate; date <= body.toDate; date = addDays(date, 1)) {
      if (weekdayOf(date) !== body.weekday) continue;
      const start = localTimeToInstant(date, body.startTime, venue.timeZone);
      const end = localTimeToInstant(date, body.endTime, venue.timeZone);
      const entry = { date, start: start.toISOString(), end: end.toISOString() };
      if (resource.status !== 'active') {
        result.conflicts.push({ ...entry, reason: 'out_of_service' });
        continue;
      }
      const slots = await resourceSlots(tx, venue, resource, date, 1);
      const open = slots.some((s) => s.start <= start) && slots.some((s) => s.end >= end) && coveredByOpenSlots(slots, start, end);
      if (!open) {
        result.conflicts.push({ ...entry, reason: 'closed' });
        continue;
      }
      const clash = await tx
        .select({ id: r.id })
        .from(r)
        .where(and(eq(r.resourceId, resource.id), inArray(r.status, [...ACTIVE]), sql`${r.during} && ${rangeText(start, end)}::tstzrange`))
        .limit(1);
      if (clash.length > 0) {
        result.conflicts.push({ ...entry, reason: 'taken' });
        continue;
      }
      if (!body.dryRun) {
        try {
          await tx.transaction(async (savepoint) => {
            await savepoint.insert(r).values({
              code: newShortCode(),
              kind: 'series',
              resourceId: resource.id,
              venueId,
              userId: holder.id,
              during: rangeText(start, end),
              sport: resource.sport,
              seriesId,
              note: body.note,
              createdBy: actor.userId,
            });
          });
        } catch (err) {
          if (sqlState(err) !== EXCLUSION_VIOLATION) throw err;
          result.conflicts.push({ ...entry, reason: 'taken' });
          continue;
        }
      }
      result.created.push(entry);
    }
    if (!body.dryRun) {
      await recordAudit(tx, actor, {
        action: 'venue.series',
        targetType: 'venue',
        targetId: venueId,
        organisationId: venue.organisationId,
        detail: { seriesId, resourceId: resource.id, weekday: body.weekday, from: body.fromDate, to: body.toDate, created: result.created.length, conflicts: result.conflicts.length },
      });
    }
    return result;
  });
}

function coveredByOpenSlots(slots: { start: Date; end: Date }[], start: Date, end: Date): boolean {
  let cursor = start.getTime();
  for (const slot of [...slots].sort((a, b) => a.start.getTime() - b.start.getTime())) {
    if (slot.start.getTime() <= cursor && slot.end.getTime() > cursor) cursor = slot.end.getTime();
    if (cursor >= end.getTime()) return true;
  }
  return cursor >= end.getTime();
}

/** Venue-wide booking defaults (a resource may override them). */
export async function setVenueBookingSettings(db: Db, actor: Actor, venueId: string, settings: BookingSettings, now: Date): Promise<BookingSettings> {
  assertSettings(settings);
  return db.transaction(async (tx) => {
    const venue = await managedVenue(tx, actor, venueId);
    await tx.update(schema.venues).set({ bookingSettings: settings, updatedAt: now }).where(eq(schema.venues.id, venueId));
    await recordAudit(tx, actor, {
      action: 'venue.booking_settings',
      targetType: 'venue',
      targetId: venueId,
      organisationId: venue.organisationId,
      detail: { before: venue.bookingSettings, after: settings },
    });
    return settings;
  });
}

export async function setResourceBookingSettings(
  db: Db,
  actor: Actor,
  venueId: string,
  resourceId: string,
  settings: BookingSettings | null,
  now: Date,
): Promise<void> {
  if (settings) assertSettings(settings);
  await db.transaction(async (tx) => {
    const venue = await managedVenue(tx, actor, venueId);
    const [updated] = await tx
      .update(schema.venueResources)
      .set({ bookingSettings: settings, updatedAt: now })
      .where(and(eq(schema.venueResources.id, resourceId), eq(schema.venueResources.venueId, venueId)))
      .returning({ id: schema.venueResources.id });
    if (!updated) throw new DomainError('NOT_FOUND');
    await recordAudit(tx, actor, {
      action: 'resource.booking_settings',
      targetType: 'resource',
      targetId: resourceId,
      organisationId: venue.organisationId,
      detail: { after: settings },
    });
  });
}

function assertSettings(settings: BookingSettings): void {
  if (settings.minSlots > settings.maxSlots) {
    throw new DomainError('VALIDATION_FAILED', {}, [fieldProblem('minSlots', '最少时段数不能大于最多时段数', 'must not exceed maxSlots')]);
  }
  settings.bands.forEach((band, i) => {
    if (band.start >= band.end && band.end !== '24:00') {
      throw new DomainError('VALIDATION_FAILED', {}, [fieldProblem(`bands.${i}`, '时段开始须早于结束', 'start must be before end')]);
    }
  });
}

/** The bureau sets the resident rules of its city. */
export async function setResidentRules(db: Db, actor: Actor, cityCode: string, given: ResidentRules, now: Date): Promise<ResidentRules> {
  return db.transaction(async (tx) => {
    const [bureau] = await tx
      .select({ id: schema.organisations.id })
      .from(schema.organisations)
      .where(and(eq(schema.organisations.kind, 'bureau'), eq(schema.organisations.cityCode, cityCode), sql`${schema.organisations.districtCode} is null`));
    if (!bureau) throw new DomainError('NOT_FOUND');
    await authorize(tx, actor, ['bureau_admin'], bureau.id);
    // Rules a client leaves out (older consoles know no school quotas) keep their current values.
    const rules = { ...(await residentRules(tx, cityCode)), ...given };
    await tx
      .insert(schema.cityBookingRules)
      .values({ cityCode, rules, updatedBy: actor.userId })
      .onConflictDoUpdate({ target: schema.cityBookingRules.cityCode, set: { rules, updatedBy: actor.userId, updatedAt: now } });
    await recordAudit(tx, actor, { action: 'city.booking_rules', targetType: 'city', targetId: cityCode, organisationId: bureau.id, detail: { rules } });
    return rules;
  });
}
