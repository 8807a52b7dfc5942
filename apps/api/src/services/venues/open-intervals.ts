import { and, eq, lt, sql } from 'drizzle-orm';
import { schema, tryAdvisoryLock, type Db, type Queryable } from '@sports/db';
import {
  addDays,
  chinaHolidayCalendar,
  expandOpeningHours,
  localDate,
  type DatedException,
  type OpeningRules,
} from '@sports/domain';

/** How far back and ahead the open intervals are kept expanded. */
export const OPEN_WINDOW_DAYS_BEFORE = 1;
export const OPEN_WINDOW_DAYS_AHEAD = 14;

export interface VenueRules {
  id: string;
  timeZone: string;
  holidayRule: OpeningRules['holidayRule'];
  weeklyHours: OpeningRules['weekly'];
}

/** The venue-level rules (not a resource's own week) with its venue-wide exceptions. */
export async function venueOpeningRules(db: Queryable, venue: VenueRules): Promise<OpeningRules> {
  const e = schema.venueHoursExceptions;
  const exceptions = await db
    .select({ date: e.date, kind: e.kind, ranges: e.ranges, reason: e.reason })
    .from(e)
    .where(and(eq(e.venueId, venue.id), sql`${e.resourceId} is null`));
  return {
    timeZone: venue.timeZone,
    weekly: venue.weeklyHours,
    holidayRule: venue.holidayRule,
    exceptions: exceptions as DatedException[],
  };
}

/**
 * Rewrites the venue's materialised open intervals for the rolling window around `now`, from the
 * single expansion function. Call it in the same transaction as any change to the venue's hours.
 */
export async function rewriteOpenIntervals(tx: Queryable, venue: VenueRules, now: Date): Promise<void> {
  const rules = await venueOpeningRules(tx, venue);
  const today = localDate(now, venue.timeZone);
  const intervals = expandOpeningHours(
    rules,
    addDays(today, -OPEN_WINDOW_DAYS_BEFORE),
    addDays(today, OPEN_WINDOW_DAYS_AHEAD),
    chinaHolidayCalendar,
  );
  const t = schema.venueOpenIntervals;
  await tx.delete(t).where(eq(t.venueId, venue.id));
  if (intervals.length > 0) {
    await tx.insert(t).values(
      intervals.map((i) => ({ venueId: venue.id, during: `[${i.start.toISOString()},${i.end.toISOString()})` })),
    );
  }
}

/**
 * The sweep: re-expands every venue whose window no longer reaches far enough ahead, and drops
 * intervals that have passed. Safe with several API instances: one advisory lock, one runner.
 */
export async function extendOpenIntervals(db: Db, now: Date): Promise<number> {
  return db.transaction(async (tx) => {
    if (!(await tryAdvisoryLock(tx, 'sweep', 'venue_open_intervals'))) return 0;
    return extendWhileLocked(tx, now);
  });
}

async function extendWhileLocked(db: Queryable, now: Date): Promise<number> {
  const horizon = new Date(now.getTime() + (OPEN_WINDOW_DAYS_AHEAD - 1) * 86_400_000).toISOString();
  const v = schema.venues;
  const stale = await db
    .select({ id: v.id, timeZone: v.timeZone, holidayRule: v.holidayRule, weeklyHours: v.weeklyHours })
    .from(v)
    .where(
      sql`not exists (select 1 from ${schema.venueOpenIntervals} oi where oi.venue_id = ${v.id} and upper(oi.during) >= ${horizon}::timestamptz)`,
    );
  for (const venue of stale) await rewriteOpenIntervals(db, venue, now);
  const cutoff = new Date(now.getTime() - 2 * 86_400_000).toISOString();
  await db.delete(schema.venueOpenIntervals).where(lt(sql`upper(${schema.venueOpenIntervals.during})`, sql`${cutoff}::timestamptz`));
  return stale.length;
}
