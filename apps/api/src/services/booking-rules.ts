import { and, eq, or, sql } from 'drizzle-orm';
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

/**
 * When a resource is open: its own week when it has one (else the venue's), the venue's dated
 * exceptions plus its own (its own win on the same date), the venue's holiday rule.
 */
export async function resourceOpeningRules(db: Queryable, venue: VenueRow, resource: ResourceRow): Promise<OpeningRules> {
  const e = schema.venueHoursExceptions;
  const rows = await db
    .select({ date: e.date, kind: e.kind, ranges: e.ranges, reason: e.reason, resourceId: e.resourceId })
    .from(e)
    .where(and(eq(e.venueId, venue.id), or(sql`${e.resourceId} is null`, eq(e.resourceId, resource.id))));
  const own = new Set(rows.filter((r) => r.resourceId !== null).map((r) => r.date));
  const exceptions = rows.filter((r) => r.resourceId !== null || !own.has(r.date)) as DatedException[];
  return {
    timeZone: venue.timeZone,
    weekly: resource.weeklyHours ?? venue.weeklyHours,
    holidayRule: venue.holidayRule,
    exceptions,
  };
}

/** The bookable slots of a resource over local dates `from`…`from + days - 1`. */
export async function resourceSlots(
  db: Queryable,
  venue: VenueRow,
  resource: ResourceRow,
  settings: BookingSettings,
  from: string,
  days: number,
): Promise<Slot[]> {
  const rules = await resourceOpeningRules(db, venue, resource);
  return expandSlots(expandOpeningHours(rules, from, addDays(from, days - 1), chinaHolidayCalendar), settings.slotMinutes);
}

/** `[start,end)` as PostgreSQL's tstzrange text. */
export function rangeText(start: Date, end: Date): string {
  return `[${start.toISOString()},${end.toISOString()})`;
}

/** Start and end of a reservation's time, read as timestamps (not range text, whose form depends on the session). */
export const startOf = () => sql<Date>`lower(${schema.reservations.during})`.mapWith(schema.reservations.createdAt);
export const endOf = () => sql<Date>`upper(${schema.reservations.during})`.mapWith(schema.reservations.createdAt);
