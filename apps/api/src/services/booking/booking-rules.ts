import { and, eq, gte, lte, sql } from 'drizzle-orm';
import { advisoryLock, schema, type Queryable } from '@sports/db';
import { namedCache } from '../shared/caches.ts';
import {
  DEFAULT_BOOKING_SETTINGS,
  DEFAULT_RESIDENT_RULES,
  addDays,
  chinaHolidayCalendar,
  expandOpeningHours,
  expandSlots,
  type BookingSettings,
  type DatedException,
  type OpeningRules,
  type ResidentRules,
  type Slot,
} from '@sports/domain';

type VenueRow = typeof schema.venues.$inferSelect;
type ResourceRow = typeof schema.venueResources.$inferSelect;
/** What of a venue decides its courts' slots. */
export type VenueRules = Pick<VenueRow, 'id' | 'timeZone' | 'weeklyHours' | 'holidayRule' | 'bookingSettings'>;
/** What of a court decides its slots. */
export type ResourceRules = Pick<ResourceRow, 'id' | 'weeklyHours' | 'bookingSettings'>;

/** Platform defaults, then the venue's settings, then the resource's own. */
export function effectiveSettings(venue: Pick<VenueRow, 'bookingSettings'>, resource: Pick<ResourceRow, 'bookingSettings'>): BookingSettings {
  return { ...DEFAULT_BOOKING_SETTINGS, ...venue.bookingSettings, ...(resource.bookingSettings ?? {}) };
}

export async function residentRules(db: Queryable, cityCode: string): Promise<ResidentRules> {
  const [row] = await db
    .select({ rules: schema.cityBookingRules.rules })
    .from(schema.cityBookingRules)
    .where(eq(schema.cityBookingRules.cityCode, cityCode));
  return withDefaultRules(row?.rules);
}

/** A city's stored rules (or none) over the platform defaults. */
export function withDefaultRules(stored: Partial<ResidentRules> | null | undefined): ResidentRules {
  return { ...DEFAULT_RESIDENT_RULES, ...(stored ?? {}) };
}

export type ExceptionRow = DatedException & { resourceId: string | null };

/**
 * When a resource is open: its own week when it has one (else the venue's), the venue's dated
 * exceptions plus its own (its own win on the same date), the venue's holiday rule.
 */
export function openingRulesOf(venue: VenueRules, resource: ResourceRules, exceptions: readonly ExceptionRow[]): OpeningRules {
  const own = exceptions.filter((e) => e.resourceId === resource.id);
  const ownDates = new Set(own.map((e) => e.date));
  return {
    timeZone: venue.timeZone,
    weekly: resource.weeklyHours ?? venue.weeklyHours,
    holidayRule: venue.holidayRule,
    exceptions: [...own, ...exceptions.filter((e) => e.resourceId === null && !ownDates.has(e.date))],
  };
}

/** The exceptions of a venue (and of its resources) on local dates `from`…`to`. */
export async function venueExceptions(db: Queryable, venueId: string, from: string, to: string): Promise<ExceptionRow[]> {
  const e = schema.venueHoursExceptions;
  const rows = await db
    .select({ date: e.date, kind: e.kind, ranges: e.ranges, reason: e.reason, resourceId: e.resourceId })
    .from(e)
    .where(and(eq(e.venueId, venueId), gte(e.date, from), lte(e.date, to)));
  return rows as ExceptionRow[];
}

/**
 * Expanded slots, remembered by everything they depend on: the zone, the week, the holiday rule,
 * the dated exceptions, the dates and the slot length (the holiday calendar is fixed in the code).
 * Expanding wall-clock hours asks the time-zone database for every boundary, which a booking would
 * otherwise pay on every request for a day whose rules have not changed. Bounded; least recently
 * used goes first. The arrays are shared: callers read them and never change them.
 */
const expansions = namedCache<string, readonly Slot[]>('slot-expansions', { max: 2000 });

function expandedSlots(rules: OpeningRules, from: string, to: string, slotMinutes: number): Slot[] {
  const key = JSON.stringify([rules.timeZone, rules.weekly, rules.holidayRule, rules.exceptions, from, to, slotMinutes]);
  let slots = expansions.get(key);
  if (!slots) {
    slots = expandSlots(expandOpeningHours(rules, from, to, chinaHolidayCalendar), slotMinutes);
    expansions.set(key, slots);
  }
  return slots as Slot[];
}

/**
 * The bookable slots of several resources of one venue over local dates `from`…`from + days - 1`,
 * from the venue's exceptions in that span (see venueExceptions): one expansion per distinct set of
 * rules (most courts share the venue's), remembered across requests, so a 20-court grid costs little
 * more than one court.
 */
export function slotsFromRules(
  venue: VenueRules,
  resources: readonly ResourceRules[],
  exceptions: readonly ExceptionRow[],
  from: string,
  days: number,
): Map<string, Slot[]> {
  const to = addDays(from, days - 1);
  const out = new Map<string, Slot[]>();
  for (const resource of resources) {
    const rules = openingRulesOf(venue, resource, exceptions);
    out.set(resource.id, expandedSlots(rules, from, to, effectiveSettings(venue, resource).slotMinutes));
  }
  return out;
}

/** As slotsFromRules, reading the exceptions first. */
export async function venueSlots(
  db: Queryable,
  venue: VenueRules,
  resources: readonly ResourceRules[],
  from: string,
  days: number,
): Promise<Map<string, Slot[]>> {
  const exceptions = await venueExceptions(db, venue.id, from, addDays(from, days - 1));
  return slotsFromRules(venue, resources, exceptions, from, days);
}

/** The bookable slots of one resource. */
export async function resourceSlots(db: Queryable, venue: VenueRules, resource: ResourceRules, from: string, days: number): Promise<Slot[]> {
  return (await venueSlots(db, venue, [resource], from, days)).get(resource.id)!;
}

/** `[start,end)` as PostgreSQL's tstzrange text. */
export function rangeText(start: Date, end: Date): string {
  return `[${start.toISOString()},${end.toISOString()})`;
}

/** Start and end of a reservation's time, read as timestamps (not range text, whose form depends on the session). */
export const startOf = () => sql<Date>`lower(${schema.reservations.during})`.mapWith(schema.reservations.createdAt);
export const endOf = () => sql<Date>`upper(${schema.reservations.during})`.mapWith(schema.reservations.createdAt);

/**
 * Writers of a court's reservations take turns: a transaction-scoped advisory lock per court (key
 * space `court`, taken in a fixed order). The exclusion constraint stays the guard; the lock only stops
 * concurrent inserts into its index from waiting on each other until PostgreSQL aborts one as a
 * deadlock, which under a rush of attempts at one slot cost a second each. A resident's booking takes
 * the same lock shared, and locks of its own hours exclusively, in reserve_checked (migration 0011):
 * staff writes wait for bookings in progress and bookings for them, bookings of other hours do not.
 */
export async function lockCourts(tx: Queryable, resourceIds: readonly string[]): Promise<void> {
  for (const id of [...new Set(resourceIds)].sort()) {
    await advisoryLock(tx, 'court', id);
  }
}

