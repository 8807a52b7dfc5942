import { and, eq, ne, sql } from 'drizzle-orm';
import type { CreateResourceBody, CreateVenueBody, Resource, UpdateResourceBody, UpdateVenueBody, VenueDetail } from '@sports/contracts';
import { schema, sqlState, UNIQUE_VIOLATION, type Db } from '@sports/db';
import type { Actor } from '../shared/actor.ts';
import { recordAudit } from '../shared/audit.ts';
import { DomainError, fieldProblem } from '../shared/errors.ts';
import { authorize } from '../shared/grants.ts';
import { cancelForVenue } from '../booking/cancellations.ts';
import { rewriteOpenIntervals } from './open-intervals.ts';
import { getVenue } from './venue-reads.ts';
import { assertDistrict, assertWeek, managedVenue, MANAGERS, r, resourceOf, toResource, v } from './venue-rows.ts';

export async function createVenue(db: Db, actor: Actor, body: CreateVenueBody, now: Date): Promise<VenueDetail> {
  const id = await db.transaction(async (tx) => {
    const owner = await authorize(tx, actor, MANAGERS, body.organisationId);
    await assertDistrict(tx, owner.cityCode, body.districtCode);
    if (owner.districtCode !== null && owner.districtCode !== body.districtCode && owner.kind !== 'operator') {
      throw new DomainError('REGION_NOT_IN_CITY');
    }
    const [created] = await tx
      .insert(v)
      .values({
        organisationId: body.organisationId,
        name: body.name.trim(),
        kind: body.kind,
        cityCode: owner.cityCode,
        districtCode: body.districtCode,
        address: body.address ?? '',
        lat: body.lat,
        lng: body.lng,
        locationApproximate: body.approximate ?? false,
        sports: body.sports,
        facilities: body.facilities ?? [],
        phone: body.phone ?? null,
        description: body.description ?? '',
        priceLevel: body.priceLevel,
        isPublic: body.isPublic ?? true,
      })
      .returning();
    await rewriteOpenIntervals(tx, created!, now);
    await recordAudit(tx, actor, {
      action: 'venue.create',
      targetType: 'venue',
      targetId: created!.id,
      organisationId: created!.organisationId,
      detail: { name: created!.name },
    });
    return created!.id;
  });
  return getVenue(db, actor, id, now);
}

export async function updateVenue(db: Db, actor: Actor, id: string, body: UpdateVenueBody, now: Date): Promise<VenueDetail> {
  await db.transaction(async (tx) => {
    const venue = await managedVenue(tx, actor, id);
    let cityCode = venue.cityCode;
    if (body.organisationId && body.organisationId !== venue.organisationId) {
      // Only a bureau admin reassigns ownership, and only to an organisation it reaches.
      const newOwner = await authorize(tx, actor, ['bureau_admin'], body.organisationId);
      await authorize(tx, actor, ['bureau_admin'], venue.organisationId);
      cityCode = newOwner.cityCode;
    }
    if (body.districtCode || cityCode !== venue.cityCode) await assertDistrict(tx, cityCode, body.districtCode ?? venue.districtCode);
    const { approximate, ...rest } = body;
    await tx
      .update(v)
      .set({
        ...rest,
        ...(rest.name ? { name: rest.name.trim() } : {}),
        ...(approximate === undefined ? {} : { locationApproximate: approximate }),
        cityCode,
        updatedAt: now,
      })
      .where(eq(v.id, id));
    await recordAudit(tx, actor, {
      action: 'venue.update',
      targetType: 'venue',
      targetId: id,
      organisationId: body.organisationId ?? venue.organisationId,
      detail: { changed: Object.keys(body) },
    });
  });
  return getVenue(db, actor, id, now);
}


function capacityFor(mode: 'exclusive' | 'shared', capacity: number | undefined): number {
  if (mode === 'exclusive') {
    if (capacity !== undefined && capacity !== 1) {
      throw new DomainError('VALIDATION_FAILED', {}, [fieldProblem('capacity', '独占场地容量为 1', 'an exclusive resource holds one party')]);
    }
    return 1;
  }
  if (capacity === undefined) {
    throw new DomainError('VALIDATION_FAILED', {}, [fieldProblem('capacity', '共享场地须填写容量', 'a shared resource needs a capacity')]);
  }
  return capacity;
}

export async function createResource(db: Db, actor: Actor, venueId: string, body: CreateResourceBody): Promise<Resource> {
  const capacity = capacityFor(body.mode, body.capacity);
  if (body.weeklyHours) assertWeek('weeklyHours', body.weeklyHours);
  try {
    return await db.transaction(async (tx) => {
      const venue = await managedVenue(tx, actor, venueId);
      const [created] = await tx
        .insert(r)
        .values({
          venueId,
          name: body.name.trim(),
          sport: body.sport,
          indoor: body.indoor ?? false,
          mode: body.mode,
          capacity,
          weeklyHours: body.weeklyHours ?? null,
          sortOrder: body.sortOrder ?? 0,
        })
        .returning();
      await recordAudit(tx, actor, {
        action: 'resource.create',
        targetType: 'resource',
        targetId: created!.id,
        organisationId: venue.organisationId,
        detail: { venueId, name: created!.name, sport: created!.sport, mode: created!.mode },
      });
      return toResource(created!);
    });
  } catch (err) {
    if (sqlState(err) === UNIQUE_VIOLATION) throw new DomainError('RESOURCE_NAME_TAKEN');
    throw err;
  }
}

export async function updateResource(
  db: Db,
  actor: Actor,
  venueId: string,
  resourceId: string,
  body: UpdateResourceBody,
  now: Date,
): Promise<Resource> {
  if (body.weeklyHours) assertWeek('weeklyHours', body.weeklyHours);
  try {
    return await db.transaction(async (tx) => {
      const venue = await managedVenue(tx, actor, venueId);
      const current = await resourceOf(tx, venueId, resourceId);
      const mode = body.mode ?? current.mode;
      const capacity = capacityFor(mode, body.capacity ?? (mode === current.mode ? current.capacity : undefined));
      const [updated] = await tx
        .update(r)
        .set({ ...body, ...(body.name ? { name: body.name.trim() } : {}), mode, capacity, updatedAt: now })
        .where(eq(r.id, resourceId))
        .returning();
      // A court taken out of use (out of service, retired): its bookings still to come cannot be kept.
      const cancelled =
        current.status === 'active' && updated!.status !== 'active'
          ? (
              await cancelForVenue(tx, {
                where: and(eq(schema.reservations.resourceId, resourceId), ne(schema.reservations.kind, 'block'), sql`lower(${schema.reservations.during}) > ${now.toISOString()}::timestamptz`),
                venue,
                actorId: actor.userId,
                reason: `${updated!.name}停用`,
                now,
                cause: { kind: 'resource_closed', resource: updated!.name },
              })
            ).length
          : 0;
      await recordAudit(tx, actor, {
        action: 'resource.update',
        targetType: 'resource',
        targetId: resourceId,
        organisationId: venue.organisationId,
        detail: { venueId, changed: Object.keys(body), statusBefore: current.status, statusAfter: updated!.status, cancelledBookings: cancelled },
      });
      return toResource(updated!);
    });
  } catch (err) {
    if (sqlState(err) === UNIQUE_VIOLATION) throw new DomainError('RESOURCE_NAME_TAKEN');
    throw err;
  }
}
