import { and, eq, ilike, or, sql, type SQL } from 'drizzle-orm';
import type { VenueFilters } from '@sports/contracts';
import { schema } from '@sports/db';
import { EARTH_RADIUS_METERS, type LatLng } from '@sports/domain';
import { DomainError, fieldProblem } from '../shared/errors.ts';

const v = schema.venues;
const NUMBER = /^-?\d{1,3}(\.\d+)?$/;

export interface ParsedFilters {
  where: SQL | undefined;
  near: LatLng | undefined;
}

function parseNumbers(field: string, text: string, count: number): number[] {
  const parts = text.split(',').map((p) => p.trim());
  if (parts.length !== count || !parts.every((p) => NUMBER.test(p))) {
    throw new DomainError('VALIDATION_FAILED', {}, [
      fieldProblem(field, `应为 ${count} 个以逗号分隔的数字`, `must be ${count} comma-separated numbers`),
    ]);
  }
  return parts.map(Number);
}

function inRange(lat: number, lng: number): boolean {
  return lat >= -90 && lat <= 90 && lng >= -180 && lng <= 180;
}

/** bbox=minLng,minLat,maxLng,maxLat (GeoJSON order). */
export function parseBbox(text: string): [number, number, number, number] {
  const [minLng, minLat, maxLng, maxLat] = parseNumbers('bbox', text, 4) as [number, number, number, number];
  if (!inRange(minLat, minLng) || !inRange(maxLat, maxLng)) {
    throw new DomainError('VALIDATION_FAILED', {}, [fieldProblem('bbox', '坐标超出范围', 'coordinates out of range')]);
  }
  if (minLng > maxLng || minLat > maxLat) {
    throw new DomainError('VALIDATION_FAILED', {}, [
      fieldProblem('bbox', '应为 最小经度,最小纬度,最大经度,最大纬度', 'must be minLng,minLat,maxLng,maxLat with min ≤ max'),
    ]);
  }
  return [minLng, minLat, maxLng, maxLat];
}

/** near=lat,lng. */
export function parseNear(text: string): LatLng {
  const [lat, lng] = parseNumbers('near', text, 2) as [number, number];
  if (!inRange(lat, lng)) {
    throw new DomainError('VALIDATION_FAILED', {}, [fieldProblem('near', '坐标超出范围', 'coordinates out of range')]);
  }
  return { lat, lng };
}

/** Great-circle distance from a point to each venue, in metres (haversine, as the domain computes it). */
export function distanceTo(point: LatLng): SQL<number> {
  const lat = sql`${point.lat}::float8`;
  const lng = sql`${point.lng}::float8`;
  return sql<number>`(2 * ${EARTH_RADIUS_METERS}::float8 * asin(least(1, sqrt(
    power(sin(radians(${v.lat} - ${lat}) / 2), 2) +
    cos(radians(${lat})) * cos(radians(${v.lat})) * power(sin(radians(${v.lng} - ${lng}) / 2), 2)))))`;
}

const METERS_PER_DEGREE = (Math.PI * EARTH_RADIUS_METERS) / 180;

/**
 * A circle (in degrees, for the GiST point index) that holds every venue within `meters` of `point`.
 * A degree of longitude shrinks with latitude, so the radius is widened by the cosine of the
 * farthest latitude the circle can reach, plus a small margin for the flat approximation.
 */
export function withinMeters(point: LatLng, meters: number): SQL<boolean> {
  const reach = Math.min(89.9, Math.abs(point.lat) + meters / METERS_PER_DEGREE);
  const radius = (meters / (METERS_PER_DEGREE * Math.cos((reach * Math.PI) / 180))) * 1.01 + 1e-7;
  return sql<boolean>`point(${v.lng}, ${v.lat}) <@ circle(point(${point.lng}::float8, ${point.lat}::float8), ${radius}::float8)`;
}

/** Nearest first by plain degree distance: what the GiST point index answers without a full scan. */
export function byDegreeDistance(point: LatLng): SQL {
  return sql`point(${v.lng}, ${v.lat}) <-> point(${point.lng}::float8, ${point.lat}::float8)`;
}

/**
 * Whether each venue is open at `now`, from the materialised intervals, for a page of rows: one
 * index probe per venue.
 */
export function openFlag(now: Date): SQL<boolean> {
  return sql<boolean>`exists (select 1 from ${schema.venueOpenIntervals} oi
    where oi.venue_id = ${v.id} and oi.during @> ${now.toISOString()}::timestamptz)`;
}

/**
 * The same question for many venues at once (the open-now filter, the whole map): the set of open
 * venues is found by one search of the intervals and hashed.
 */
export function openAt(now: Date): SQL<boolean> {
  return sql<boolean>`${v.id} in (select oi.venue_id from ${schema.venueOpenIntervals} oi
    where oi.during @> ${now.toISOString()}::timestamptz)`;
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** The filters shared by the list and the map, as one WHERE clause over `venues`. */
export function venueFilters(filters: VenueFilters, now: Date): ParsedFilters {
  const where: SQL[] = [];
  if (filters.city) where.push(eq(v.cityCode, filters.city));
  if (filters.district) where.push(eq(v.districtCode, filters.district));
  if (filters.sport) where.push(sql`${v.sports} @> array[${filters.sport}]::text[]`);
  if (filters.kind) where.push(eq(v.kind, filters.kind));
  if (filters.priceLevel) where.push(eq(v.priceLevel, filters.priceLevel));
  if (filters.q) {
    const pattern = `%${escapeLike(filters.q.trim())}%`;
    where.push(or(ilike(v.name, pattern), ilike(v.address, pattern))!);
  }
  if (filters.bbox) {
    const [minLng, minLat, maxLng, maxLat] = parseBbox(filters.bbox);
    where.push(sql`point(${v.lng}, ${v.lat}) <@ box(point(${minLng}, ${minLat}), point(${maxLng}, ${maxLat}))`);
  }
  if (filters.openNow) where.push(openAt(now));
  const near = filters.near ? parseNear(filters.near) : undefined;
  return { where: where.length > 0 ? and(...where) : undefined, near };
}
