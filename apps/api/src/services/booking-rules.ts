import { and, eq, gte, lte, sql } from 'drizzle-orm';
import { schema, type Queryable } from '@sports/db';
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

/** Platform defaults, then the venue's settings, then the resource's own. */
export function effectiveSettings(venue: Pick<VenueRow, 'bookingSettings'>, resource: Pick<ResourceRow, 'bookingSettings'>): BookingSettings {
  return { ...DEFAULT_BOOKING_SETTINGS, ...venue.bookingSettings, ...(resource.bookingSettings ?? {}) };
}

export async function residentRules(db: Queryable, cityCode: string): Promise<ResidentRules> {
  const [row] = await db
    .select({ rules: schema.cityBookingRules.rules })
    .from(schema.cityBookingRules)
    .where(eq(schema.cityBookingRules.cityCode, cityCode));
  return { ...DEFAULT_RESIDENT_RULES, ...(row?.rules ?? {}) };
}

type ExceptionRow = DatedException & { resourceId: string | null };

/**
 * When a resource is open: its own week when it has one (else the venue's), the venue's dated
 * exceptions plus its own (its own win on the same date), the venue's holiday rule.
 */
function openingRulesOf(venue: VenueRow, resource: ResourceRow, exceptions: ExceptionRow[]): OpeningRules {
  const own = exceptions.filter((e) => e.resourceId === resource.id);
  const ownDates = new Set(own.map((e) => e.date));
  return {
    timeZone: venue.timeZone,
    weekly: resource.weeklyHours ?? venue.weeklyHours,
    holidayRule: venue.holidayRule,
    exceptions: [...own, ...exceptions.filter((e) => e.resourceId === null && !ownDates.has(e.date))],
  };
}

async function venueExceptions(db: Queryable, venueId: string, from: string, to: string): Promise<ExceptionRow[]> {
  const e = schema.venueHoursExceptions;
  const rows = await db
    .select({ date: e.date, kind: e.kind, ranges: e.ranges, reason: e.reason, resourceId: e.resourceId })
    .from(e)
    .where(and(eq(e.venueId, venueId), gte(e.date, from), lte(e.date, to)));
  return rows as ExceptionRow[];
}

/**
 * The bookable slots of several resources of one venue over local dates `from`…`from + days - 1`:
 * one query for the exceptions, and one expansion per distinct set of rules (most courts share the
 * venue's), so a 20-court grid costs little more than one court.
 */
export async function venueSlots(
  db: Queryable,
  venue: VenueRow,
  resources: readonly ResourceRow[],
  from: string,
  days: number,
): Promise<Map<string, Slot[]>> {
  const to = addDays(from, days - 1);
  const exceptions = await venueExceptions(db, venue.id, from, to);
  const byRules = new Map<string, Slot[]>();
  const out = new Map<string, Slot[]>();
  for (const resource of resources) {
    const rules = openingRulesOf(venue, resource, exceptions);
    const slotMinutes = effectiveSettings(venue, resource).slotMinutes;
    const key = JSON.stringify([rules.weekly, rules.exceptions, slotMinutes]);
    let slots = byRules.get(key);
    if (!slots) {
      slots = expandSlots(expandOpeningHours(rules, from, to, chinaHolidayCalendar), slotMinutes);
      byRules.set(key, slots);
    }
    out.set(resource.id, slots);
  }
  return out;
}

/** The bookable slots of one resource. */
export async function resourceSlots(db: Queryable, venue: VenueRow, resource: ResourceRow, from: string, days: number): Promise<Slot[]> {
  return (await venueSlots(db, venue, [resource], from, days)).get(resource.id)!;
}

/** `[start,end)` as PostgreSQL's tstzrange text. */
export function rangeText(start: Date, end: Date): string {
  return `[${start.toISOString()},${end.toISOString()})`;
}

/** Start and end of a reservation's time, read as timestamps (not range text, whose form depends on the session). */
export const startOf = () => sql<Date>`lower(${schema.reservations.during})`.mapWith(schema.reservations.createdAt);
export const endOf = () => sql<Date>`upper(${schema.reservations.during})`.mapWith(schema.reservations.createdAt);
