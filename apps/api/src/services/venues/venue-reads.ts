import { and, asc, count, eq, gte, inArray, sql, type SQL } from 'drizzle-orm';
import type { Page, VenueDetail, VenueFilters, VenueListQuery, VenueSummary } from '@sports/contracts';
import { schema, type Db } from '@sports/db';
import { addDays, chinaHolidayCalendar, expandOpeningHours, localDate, type LatLng } from '@sports/domain';
import type { Actor } from '../shared/actor.ts';
import { DomainError } from '../shared/errors.ts';
import { findOrganisationPlace, organisationsReachedBy } from '../shared/grants.ts';
import { venueOpeningRules } from './open-intervals.ts';
import { byDegreeDistance, distanceTo, openAt, openFlag, venueFilters, withinMeters } from './venue-filters.ts';
import { firstThumb, loadVenueRow, MANAGERS, MAP_FEATURE_LIMIT, mayManage, mediaUrl, r, toException, toResource, v } from './venue-rows.ts';

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
