import { randomUUID } from 'node:crypto';
import { and, asc, count, desc, eq, gte, inArray, ne, sql, type SQL } from 'drizzle-orm';
import type {
  CreateExceptionBody,
  CreateResourceBody,
  CreateVenueBody,
  HoursException,
  Page,
  Resource,
  SetHoursBody,
  UpdateResourceBody,
  UpdateVenueBody,
  VenueDetail,
  VenueFilters,
  VenueListQuery,
  VenueSummary,
} from '@sports/contracts';
import { schema, sqlState, UNIQUE_VIOLATION, type Db, type Queryable } from '@sports/db';
import {
  addDays,
  canActOn,
  chinaHolidayCalendar,
  expandOpeningHours,
  localDate,
  validateTimeRanges,
  type LatLng,
  type StaffRole,
  type TimeRange,
  type WeeklySchedule,
} from '@sports/domain';
import type { Actor } from './actor.ts';
import { recordAudit } from './audit.ts';
import { DomainError, fieldProblem } from './errors.ts';
import { authorize, findOrganisationPlace, organisationsReachedBy } from './grants.ts';
import { cancelForVenue } from './cancellations.ts';
import { rewriteOpenIntervals, venueOpeningRules } from './open-intervals.ts';
import { processPhoto, type UploadStore } from './photos.ts';
import { byDegreeDistance, distanceTo, openAt, openFlag, venueFilters, withinMeters } from './venue-filters.ts';

const v = schema.venues;
const r = schema.venueResources;
const MANAGERS: readonly StaffRole[] = ['bureau_admin', 'operator', 'school_admin'];
export const MAX_PHOTOS_PER_VENUE = 12;
/** Enough for a whole city on the map; beyond it the client should zoom in (bbox). */
const MAP_FEATURE_LIMIT = 20_000;

const firstThumb = sql<string | null>`(select p.thumb_key from ${schema.venuePhotos} p
  where p.venue_id = ${v.id} order by p.sort_order, p.created_at limit 1)`;

function summaryColumns(now: Date) {
  return {
    id: v.id,
    name: v.name,
    kind: v.kind,
    organisationId: v.organisationId,
    cityCode: v.cityCode,
    districtCode: v.districtCode,
    address: v.address,
    lat: v.lat,
    lng: v.lng,
    approximate: v.locationApproximate,
    sports: v.sports,
    priceLevel: v.priceLevel,
    isPublic: v.isPublic,
    isDemo: v.isDemo,
    openNow: openFlag(now),
    thumbKey: firstThumb,
  };
}

export const mediaUrl = (key: string) => `/media/${key}`;

/** Residents see public venues; with `managed`, staff see every venue they may edit. */
function visibility(actor: Actor | null, managed: boolean | undefined) {
  if (!managed) return eq(v.isPublic, true);
  if (!actor || !actor.grants.some((g) => MANAGERS.includes(g.role))) throw new DomainError('FORBIDDEN');
  const managing = actor.grants.filter((g) => MANAGERS.includes(g.role));
  return inArray(v.organisationId, sql`(select id from ${schema.organisations} where ${organisationsReachedBy(managing)})`);
}

export async function listVenues(
  db: Db,
  actor: Actor | null,
  query: VenueListQuery,
  now: Date,
): Promise<Page<VenueSummary>> {
  if (query.managed && !actor) throw new DomainError('UNAUTHENTICATED');
  const { where, near } = venueFilters(query, now);
  const filter = and(visibility(actor, query.managed), where);
  const distance = near ? distanceTo(near) : undefined;
  const pageFilter = near ? and(filter, await nearestBound(db, filter, near, query.page * query.pageSize)) : filter;
  const [rows, [total]] = await Promise.all([
    db
      .select({ ...summaryColumns(now), distance: distance ?? sql<null>`null` })
      .from(v)
      .where(pageFilter)
      .orderBy(...(distance ? [asc(distance), asc(v.id)] : [asc(v.cityCode), asc(v.districtCode), asc(v.name), asc(v.id)]))
      .limit(query.pageSize)
      .offset((query.page - 1) * query.pageSize),
    db.select({ n: count() }).from(v).where(filter),
  ]);
  return {
    items: rows.map(({ thumbKey, distance: meters, ...row }) => ({
      ...row,
      sports: row.sports as VenueSummary['sports'],
      thumbUrl: thumbKey ? mediaUrl(thumbKey) : null,
      ...(meters === null ? {} : { distanceMeters: Math.round(Number(meters)) }),
    })),
    page: query.page,
    pageSize: query.pageSize,
    total: total?.n ?? 0,
  };
}

/**
 * For a distance-sorted page: the `needed` nearest venues by degree distance come from the GiST
 * index (KNN); the farthest of them by true distance bounds a circle that must hold the true
 * `needed` nearest, so the exact haversine sort only runs inside it instead of over the whole city.
 */
async function nearestBound(db: Db, filter: SQL | undefined, point: LatLng, needed: number): Promise<SQL> {
  const knn = db
    .select({ meters: distanceTo(point).as('meters') })
    .from(v)
    .where(filter)
    .orderBy(byDegreeDistance(point))
    .limit(needed)
    .as('knn');
  const [bound] = await db.select({ meters: sql<number | null>`max(${knn.meters})` }).from(knn);
  return bound?.meters === null || bound?.meters === undefined ? sql`false` : withinMeters(point, Number(bound.meters));
}

/**
 * Public venues matching the filters as an RFC 7946 FeatureCollection ([lng, lat] points), written
 * by PostgreSQL as one JSON text: a whole city is thousands of features, and moving them as rows
 * through the driver and serialising them again costs several times the query. The text is
 * assembled by concatenation (2.4× faster than json_build_object, bench/README.md); the only free
 * text, the name, is escaped by to_json, the rest are uuids, enums, numbers and booleans.
 */
export async function venuesGeoJson(db: Db, filters: VenueFilters, now: Date): Promise<string> {
  const { where, near } = venueFilters(filters, now);
  // Within a map view a probe per venue is cheapest; over a whole city, one search of the intervals.
  const open = filters.bbox ? openFlag(now) : openAt(now);
  const feature = sql<string>`'{"type":"Feature","id":"' || ${v.id} || '","geometry":{"type":"Point","coordinates":['
    || ${v.lng} || ',' || ${v.lat} || ']},"properties":{"id":"' || ${v.id} || '","name":' || to_json(${v.name})::text
    || ',"kind":"' || ${v.kind} || '","sports":' || array_to_json(${v.sports})::text
    || ',"priceLevel":"' || ${v.priceLevel} || '","openNow":' || (${open})::text
    || ',"approximate":' || (${v.locationApproximate})::text || '}}'`;
  const features = db
    .select({ feature: feature.as('feature') })
    .from(v)
    .where(and(eq(v.isPublic, true), where))
    .orderBy(...(near ? [asc(distanceTo(near))] : []))
    .limit(MAP_FEATURE_LIMIT)
    .as('f');
  const [row] = await db.select({ json: sql<string | null>`string_agg(${features.feature}, ',')` }).from(features);
  return `{"type":"FeatureCollection","features":[${row?.json ?? ''}]}`;
}

async function loadVenueRow(db: Queryable, id: string) {
  const [row] = await db.select().from(v).where(eq(v.id, id));
  if (!row) throw new DomainError('NOT_FOUND');
  return row;
}

function mayManage(actor: Actor | null, place: Parameters<typeof canActOn>[2] | undefined): boolean {
  return !!actor && !!place && canActOn(actor.grants, MANAGERS, place);
}

export async function getVenue(db: Db, actor: Actor | null, id: string, now: Date): Promise<VenueDetail> {
  const venue = await loadVenueRow(db, id);
  const place = await findOrganisationPlace(db, venue.organisationId);
  const canManage = mayManage(actor, place);
  // A venue that is not public does not exist for anyone who cannot manage it.
  if (!venue.isPublic && !canManage) throw new DomainError('NOT_FOUND');
  const today = localDate(now, venue.timeZone);
  const e = schema.venueHoursExceptions;
  const [resources, photos, exceptions, [organisation], [open]] = await Promise.all([
    db.select().from(r).where(eq(r.venueId, id)).orderBy(asc(r.sortOrder), asc(r.name)),
    db
      .select()
      .from(schema.venuePhotos)
      .where(eq(schema.venuePhotos.venueId, id))
      .orderBy(asc(schema.venuePhotos.sortOrder), asc(schema.venuePhotos.createdAt)),
    db.select().from(e).where(and(eq(e.venueId, id), gte(e.date, today))).orderBy(asc(e.date)),
    db.select({ name: schema.organisations.name }).from(schema.organisations).where(eq(schema.organisations.id, venue.organisationId)),
    db.select({ openNow: openFlag(now) }).from(v).where(eq(v.id, id)),
  ]);
  const rules = await venueOpeningRules(db, venue);
  const intervals = expandOpeningHours(rules, today, addDays(today, 6), chinaHolidayCalendar);
  return {
    id: venue.id,
    name: venue.name,
    kind: venue.kind,
    organisationId: venue.organisationId,
    organisationName: organisation?.name ?? '',
    cityCode: venue.cityCode,
    districtCode: venue.districtCode,
    address: venue.address,
    lat: venue.lat,
    lng: venue.lng,
    approximate: venue.locationApproximate,
    sports: venue.sports as VenueDetail['sports'],
    facilities: venue.facilities as VenueDetail['facilities'],
    phone: venue.phone,
    description: venue.description,
    priceLevel: venue.priceLevel,
    isPublic: venue.isPublic,
    isDemo: venue.isDemo,
    openNow: open?.openNow ?? false,
    thumbUrl: photos[0] ? mediaUrl(photos[0].thumbKey) : null,
    timeZone: venue.timeZone,
    holidayRule: venue.holidayRule,
    weeklyHours: venue.weeklyHours as VenueDetail['weeklyHours'],
    exceptions: exceptions.map(toException),
    resources: resources.map(toResource),
    photos: photos.map((p) => ({ id: p.id, url: mediaUrl(p.key), thumbUrl: mediaUrl(p.thumbKey), width: p.width, height: p.height })),
    openingIntervals: intervals.map((i) => ({
      date: i.date,
      start: i.start.toISOString(),
      end: i.end.toISOString(),
      ...(i.note ? { note: i.note } : {}),
    })),
    canManage,
    updatedAt: venue.updatedAt.toISOString(),
  };
}

function toResource(row: typeof r.$inferSelect): Resource {
  return {
    id: row.id,
    name: row.name,
    sport: row.sport as Resource['sport'],
    indoor: row.indoor,
    mode: row.mode,
    capacity: row.capacity,
    status: row.status,
    weeklyHours: (row.weeklyHours as Resource['weeklyHours']) ?? null,
    sortOrder: row.sortOrder,
  };
}

function toException(row: typeof schema.venueHoursExceptions.$inferSelect): HoursException {
  return { id: row.id, resourceId: row.resourceId, date: row.date, kind: row.kind, ranges: row.ranges, reason: row.reason };
}

/** Every day's ranges must be well-formed and not overlap; the field names the day at fault. */
function assertWeek(field: string, weekly: WeeklySchedule): void {
  for (const [day, ranges] of Object.entries(weekly)) assertRanges(`${field}.${day}`, ranges ?? []);
}

function assertRanges(field: string, ranges: TimeRange[]): void {
  const problem = validateTimeRanges(ranges);
  if (problem) throw new DomainError('VALIDATION_FAILED', {}, [fieldProblem(field, `时间段有误：${problem}`, problem)]);
}

function assertTimeZone(zone: string): void {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
  } catch {
    throw new DomainError('VALIDATION_FAILED', {}, [fieldProblem('timeZone', '不是有效的时区', 'is not an IANA time zone')]);
  }
}

async function assertDistrict(db: Queryable, cityCode: string, districtCode: string): Promise<void> {
  const [region] = await db
    .select({ cityCode: schema.regions.cityCode, level: schema.regions.level })
    .from(schema.regions)
    .where(eq(schema.regions.code, districtCode));
  if (!region || region.level !== 'district' || region.cityCode !== cityCode) throw new DomainError('REGION_NOT_IN_CITY');
}

/** The venue, after checking the actor may manage it (bureau admin in scope, or its own operator/school). */
async function managedVenue(tx: Queryable, actor: Actor, id: string) {
  const venue = await loadVenueRow(tx, id);
  await authorize(tx, actor, MANAGERS, venue.organisationId);
  return venue;
}

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
        updatedAt: new Date(),
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
        updatedAt: new Date(),
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

async function resourceOf(tx: Queryable, venueId: string, resourceId: string) {
  const [row] = await tx.select().from(r).where(and(eq(r.id, resourceId), eq(r.venueId, venueId)));
  if (!row) throw new DomainError('NOT_FOUND');
  return row;
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
  now: Date = new Date(),
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
        .set({ ...body, ...(body.name ? { name: body.name.trim() } : {}), mode, capacity, updatedAt: new Date() })
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
                title: '您的预约因场地停用被取消',
                why: `${updated!.name}停用`,
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

/** Re-encodes the upload (metadata stripped), stores it with a thumbnail, and records it. */
export async function addVenuePhoto(
  db: Db,
  store: UploadStore,
  actor: Actor,
  venueId: string,
  upload: Buffer,
): Promise<VenueDetail['photos'][number]> {
  const venue = await managedVenue(db, actor, venueId);
  const image = await processPhoto(upload);
  const base = `venues/${venueId}/${randomUUID()}`;
  const key = `${base}.webp`;
  const thumbKey = `${base}-thumb.webp`;
  await store.put(key, image.full);
  await store.put(thumbKey, image.thumb);
  try {
    return await db.transaction(async (tx) => {
      // Counted under the venue's row lock, so simultaneous uploads cannot pass the limit together.
      await tx.select({ id: schema.venues.id }).from(schema.venues).where(eq(schema.venues.id, venueId)).for('update');
      const [photos] = await tx.select({ n: count() }).from(schema.venuePhotos).where(eq(schema.venuePhotos.venueId, venueId));
      if ((photos?.n ?? 0) >= MAX_PHOTOS_PER_VENUE) throw new DomainError('TOO_MANY_PHOTOS', { max: MAX_PHOTOS_PER_VENUE });
      const [last] = await tx
        .select({ sortOrder: schema.venuePhotos.sortOrder })
        .from(schema.venuePhotos)
        .where(eq(schema.venuePhotos.venueId, venueId))
        .orderBy(desc(schema.venuePhotos.sortOrder))
        .limit(1);
      const [created] = await tx
        .insert(schema.venuePhotos)
        .values({
          venueId,
          key,
          thumbKey,
          width: image.width,
          height: image.height,
          bytes: image.full.length,
          sortOrder: (last?.sortOrder ?? -1) + 1,
          createdBy: actor.userId,
        })
        .returning();
      await recordAudit(tx, actor, {
        action: 'venue.photo.add',
        targetType: 'venue',
        targetId: venueId,
        organisationId: venue.organisationId,
        detail: { photoId: created!.id },
      });
      return { id: created!.id, url: mediaUrl(key), thumbUrl: mediaUrl(thumbKey), width: image.width, height: image.height };
    });
  } catch (err) {
    await Promise.all([store.remove(key), store.remove(thumbKey)]);
    throw err;
  }
}

export async function deleteVenuePhoto(db: Db, store: UploadStore, actor: Actor, venueId: string, photoId: string): Promise<void> {
  const removed = await db.transaction(async (tx) => {
    const venue = await managedVenue(tx, actor, venueId);
    const p = schema.venuePhotos;
    const [row] = await tx.delete(p).where(and(eq(p.id, photoId), eq(p.venueId, venueId))).returning();
    if (!row) throw new DomainError('NOT_FOUND');
    await recordAudit(tx, actor, {
      action: 'venue.photo.delete',
      targetType: 'venue',
      targetId: venueId,
      organisationId: venue.organisationId,
      detail: { photoId },
    });
    return row;
  });
  await Promise.all([store.remove(removed.key), store.remove(removed.thumbKey)]);
}
