import { and, eq, or, sql } from 'drizzle-orm';
import { schema, type Queryable } from '@sports/db';
import { ASSET_TYPES, haversineMeters, normaliseAssetCode, type AssetType } from '@sports/domain';
import type { RequestFilter } from './open311.ts';

/**
 * What the Open311 routes ask before they answer: which jurisdiction a request is about, what a GET
 * requests query means, and where a posted report lies. No Fastify types here; a refusal is an
 * `Open311Refusal` carrying the HTTP status the spec's error list names.
 *
 * Jurisdictions are the cities served, named by their national adcode (`410100` Zhengzhou, `150600`
 * Ordos: the city rows of the regions table). A key belongs to the city of the bureau it was issued
 * by, and reads and files only there.
 */
export class Open311Refusal extends Error {
  constructor(
    readonly status: number,
    readonly description: string,
  ) {
    super(description);
  }
}

const DAY_MS = 86_400_000;
/** The spec: the default query, and any range asked for, spans at most 90 days. */
export const WINDOW_DAYS = 90;
/** The spec: at most 1 000 requests in one answer (also the largest page). */
export const MAX_ROWS = 1000;
const DEFAULT_ZONE = 'Asia/Shanghai';

export interface Jurisdiction {
  code: string;
  name: string;
  timeZone: string;
}

export async function jurisdiction(db: Queryable, code: string): Promise<Jurisdiction | undefined> {
  const r = schema.regions;
  const [row] = await db
    .select({ code: r.code, name: r.name, timeZone: r.timeZone })
    .from(r)
    .where(and(eq(r.code, code), eq(r.level, 'city')));
  return row;
}

/**
 * The jurisdiction a call is about: the key's city, else `jurisdiction_id`, else none (every city,
 * for a reader without a key). An unknown id is 404, a key used for another city 403.
 */
export async function jurisdictionOf(db: Queryable, keyCity: string | undefined, jurisdictionId: string | undefined): Promise<Jurisdiction | undefined> {
  if (jurisdictionId !== undefined) {
    const found = await jurisdiction(db, jurisdictionId);
    if (!found) throw new Open311Refusal(404, `jurisdiction_id ${jurisdictionId} not found`);
    if (keyCity !== undefined && keyCity !== found.code) throw new Open311Refusal(403, `api_key does not belong to jurisdiction_id ${jurisdictionId}`);
    return found;
  }
  if (keyCity === undefined) return undefined;
  return (await jurisdiction(db, keyCity)) ?? { code: keyCity, name: keyCity, timeZone: DEFAULT_ZONE };
}

/** An empty parameter is one not sent; blanks around it are no part of it. */
export const given = (value: string | undefined): string | undefined => (value === undefined || value.trim() === '' ? undefined : value.trim());

const list = (value: string | undefined) =>
  value
    ?.split(',')
    .map((part) => part.trim())
    .filter(Boolean);

const DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?)?(Z|[+-]\d{2}:?\d{2})?$/i;

/** The offset of `zone` from UTC at `instant`, in milliseconds. */
function zoneOffset(zone: string, instant: number): number {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' })
      .formatToParts(new Date(instant))
      .map((p) => [p.type, p.value]),
  );
  const asUtc = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
  return asUtc - Math.floor(instant / 1000) * 1000;
}

/**
 * A date-time as the spec writes it (ISO 8601 with an offset), or without an offset (some clients
 * send them so), which is then read as a wall-clock time in the jurisdiction's zone. A date alone is
 * its midnight. Undefined when it is no such date.
 */
export function parseOpen311Date(text: string, zone: string): Date | undefined {
  const m = DATE.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h = '00', mi = '00', s = '00', frac = '', offset] = m;
  const wall = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), Math.floor(Number(`0${frac || '.0'}`) * 1000));
  const check = new Date(wall);
  if (check.getUTCMonth() !== Number(mo) - 1 || check.getUTCDate() !== Number(d) || Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) return undefined;
  if (offset !== undefined) {
    if (offset.toUpperCase() === 'Z') return check;
    const sign = offset.startsWith('-') ? -1 : 1;
    const digits = offset.slice(1).replace(':', '');
    const hours = Number(digits.slice(0, 2));
    const minutes = Number(digits.slice(2));
    if (hours > 14 || minutes > 59) return undefined;
    return new Date(wall - sign * (hours * 60 + minutes) * 60_000);
  }
  // Twice, so that a wall time next to a change of offset lands on the right side of it.
  const first = wall - zoneOffset(zone, wall);
  return new Date(wall - zoneOffset(zone, first));
}

export interface RequestsQueryInput {
  service_request_id?: string;
  service_code?: string;
  start_date?: string;
  end_date?: string;
  status?: string;
  page?: string;
  page_size?: string;
}

/**
 * What a GET requests query asks for, per the spec: comma lists of codes and statuses, of which an
 * unknown value matches nothing; `service_request_id` overrides every other filter; without dates
 * the last 90 days, and a range of at most 90 days; at most 1 000 rows (`page`/`page_size` page on
 * from there, our extension). `matchesNothing` when no value given can match.
 */
export function requestFilter(q: RequestsQueryInput, zone: string, now: Date, cityCode: string | undefined): RequestFilter & { matchesNothing: boolean } {
  const page = given(q.page) === undefined ? 1 : Number(q.page);
  const pageSize = given(q.page_size) === undefined ? MAX_ROWS : Number(q.page_size);
  if (!Number.isInteger(page) || page < 1 || page > 10_000) throw new Open311Refusal(400, 'page must be a whole number from 1 to 10000');
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > MAX_ROWS) throw new Open311Refusal(400, `page_size must be a whole number from 1 to ${MAX_ROWS}`);
  const filter: RequestFilter & { matchesNothing: boolean } = { page, pageSize, matchesNothing: false, ...(cityCode ? { cityCode } : {}) };

  const ids = list(given(q.service_request_id));
  if (ids && ids.length > 0) {
    filter.ids = ids.map((id) => id.toUpperCase());
    return filter;
  }

  const codes = list(given(q.service_code));
  if (codes && codes.length > 0) {
    filter.serviceCodes = codes.filter((code): code is AssetType => (ASSET_TYPES as readonly string[]).includes(code));
    if (filter.serviceCodes.length === 0) filter.matchesNothing = true;
  }
  const statuses = list(given(q.status));
  if (statuses && statuses.length > 0) {
    const known = (['open', 'closed'] as const).filter((s) => statuses.includes(s));
    if (known.length === 0) filter.matchesNothing = true;
    else if (known.length === 1) filter.status = known[0];
  }

  const date = (name: 'start_date' | 'end_date') => {
    const text = given(q[name]);
    if (text === undefined) return undefined;
    const parsed = parseOpen311Date(text, zone);
    if (!parsed) throw new Open311Refusal(400, `${name} must be an ISO 8601 date-time, e.g. 2026-11-24T08:00:00+08:00`);
    return parsed;
  };
  let start = date('start_date');
  let end = date('end_date');
  if (start && end && start > end) throw new Open311Refusal(400, 'start_date must not be after end_date');
  if (start && end && end.getTime() - start.getTime() > WINDOW_DAYS * DAY_MS) throw new Open311Refusal(400, `start_date to end_date may not span more than ${WINDOW_DAYS} days`);
  if (!start && !end) end = now;
  if (!start) start = new Date(end!.getTime() - WINDOW_DAYS * DAY_MS);
  if (!end) end = new Date(start.getTime() + WINDOW_DAYS * DAY_MS);
  filter.start = start;
  filter.end = end;
  return filter;
}

// ——— where a posted report lies ———

/** The city of the district whose seat is nearest a point, within 100 km (as the ticket routing reads it); else undefined. */
export async function cityOfPoint(db: Queryable, lat: number, lng: number): Promise<string | undefined> {
  const r = schema.regions;
  const districts = await db.select({ cityCode: r.cityCode, lat: r.lat, lng: r.lng }).from(r).where(eq(r.level, 'district'));
  let best: { cityCode: string; meters: number } | undefined;
  for (const d of districts) {
    const meters = haversineMeters({ lat, lng }, d);
    if (!best || meters < best.meters) best = { cityCode: d.cityCode, meters };
  }
  return best && best.meters < 100_000 ? best.cityCode : undefined;
}

/** The city of the equipment with this label code, if there is such equipment. */
export async function cityOfAsset(db: Queryable, code: string): Promise<string | undefined> {
  const normalised = normaliseAssetCode(code);
  if (!normalised) return undefined;
  const [row] = await db
    .select({ cityCode: schema.venues.cityCode })
    .from(schema.assets)
    .innerJoin(schema.venues, eq(schema.venues.id, schema.assets.venueId))
    .where(eq(schema.assets.code, normalised));
  return row?.cityCode;
}

/** The city of a venue of the registry (an `address_id` is a venue's id), if there is one. */
export async function cityOfVenue(db: Queryable, id: string): Promise<string | undefined> {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) return undefined;
  const [row] = await db.select({ cityCode: schema.venues.cityCode }).from(schema.venues).where(eq(schema.venues.id, id));
  return row?.cityCode;
}

/**
 * The one venue of the city whose name or address is the given address (exactly, else as a part of
 * it). None, or several, is a 400 that asks for a point: a ticket needs a place staff can find.
 */
export async function venueForAddress(db: Queryable, cityCode: string, address: string): Promise<string> {
  const v = schema.venues;
  const exact = await db
    .select({ id: v.id })
    .from(v)
    .where(and(eq(v.cityCode, cityCode), or(eq(v.name, address), eq(v.address, address))))
    .limit(2);
  const found =
    exact.length > 0
      ? exact
      : await db
          .select({ id: v.id })
          .from(v)
          .where(and(eq(v.cityCode, cityCode), or(sql`strpos(${v.name}, ${address}) > 0`, sql`strpos(${v.address}, ${address}) > 0`)))
          .limit(2);
  if (found.length === 1) return found[0]!.id;
  if (found.length === 0) throw new Open311Refusal(400, 'address_string matches no venue of this jurisdiction; give lat and long');
  throw new Open311Refusal(400, 'address_string matches several venues; give lat and long, or the venue’s full name or address');
}
