import { and, eq, sql } from 'drizzle-orm';
import type { HoursException, Resource } from '@sports/contracts';
import { schema, type Queryable } from '@sports/db';
import { canActOn, validateTimeRanges, type StaffRole, type TimeRange, type WeeklySchedule } from '@sports/domain';
import type { Actor } from '../shared/actor.ts';
import { DomainError, fieldProblem } from '../shared/errors.ts';
import { authorize } from '../shared/grants.ts';

export const v = schema.venues;
export const r = schema.venueResources;
export const MANAGERS: readonly StaffRole[] = ['bureau_admin', 'operator', 'school_admin'];
export const MAX_PHOTOS_PER_VENUE = 12;
/** Enough for a whole city on the map; beyond it the client should zoom in (bbox). */
export const MAP_FEATURE_LIMIT = 20_000;

export const firstThumb = sql<string | null>`(select p.thumb_key from ${schema.venuePhotos} p
  where p.venue_id = ${v.id} order by p.sort_order, p.created_at limit 1)`;

export const mediaUrl = (key: string) => `/media/${key}`;

/** Residents see public venues; with `managed`, staff see every venue they may edit. */
export async function loadVenueRow(db: Queryable, id: string) {
  const [row] = await db.select().from(v).where(eq(v.id, id));
  if (!row) throw new DomainError('NOT_FOUND');
  return row;
}

export function mayManage(actor: Actor | null, place: Parameters<typeof canActOn>[2] | undefined): boolean {
  return !!actor && !!place && canActOn(actor.grants, MANAGERS, place);
}

export function toResource(row: typeof r.$inferSelect): Resource {
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

export function toException(row: typeof schema.venueHoursExceptions.$inferSelect): HoursException {
  return { id: row.id, resourceId: row.resourceId, date: row.date, kind: row.kind, ranges: row.ranges, reason: row.reason };
}

/** Every day's ranges must be well-formed and not overlap; the field names the day at fault. */
export function assertWeek(field: string, weekly: WeeklySchedule): void {
  for (const [day, ranges] of Object.entries(weekly)) assertRanges(`${field}.${day}`, ranges ?? []);
}

export function assertRanges(field: string, ranges: TimeRange[]): void {
  const problem = validateTimeRanges(ranges);
  if (problem) throw new DomainError('VALIDATION_FAILED', {}, [fieldProblem(field, `时间段有误：${problem}`, problem)]);
}

export function assertTimeZone(zone: string): void {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
  } catch {
    throw new DomainError('VALIDATION_FAILED', {}, [fieldProblem('timeZone', '不是有效的时区', 'is not an IANA time zone')]);
  }
}

export async function assertDistrict(db: Queryable, cityCode: string, districtCode: string): Promise<void> {
  const [region] = await db
    .select({ cityCode: schema.regions.cityCode, level: schema.regions.level })
    .from(schema.regions)
    .where(eq(schema.regions.code, districtCode));
  if (!region || region.level !== 'district' || region.cityCode !== cityCode) throw new DomainError('REGION_NOT_IN_CITY');
}

/** The venue, after checking the actor may manage it (bureau admin in scope, or its own operator/school). */
export async function managedVenue(tx: Queryable, actor: Actor, id: string) {
  const venue = await loadVenueRow(tx, id);
  await authorize(tx, actor, MANAGERS, venue.organisationId);
  return venue;
}

export async function resourceOf(tx: Queryable, venueId: string, resourceId: string) {
  const [row] = await tx.select().from(r).where(and(eq(r.id, resourceId), eq(r.venueId, venueId)));
  if (!row) throw new DomainError('NOT_FOUND');
  return row;
}
