import { and, desc, eq, gte, inArray, lte, sql } from 'drizzle-orm';
import { advisoryLock, schema, type Db, type Queryable } from '@sports/db';
import { addDays, chinaHolidayCalendar, expandOpeningHours, localDate, type OpenInterval } from '@sports/domain';
import { openingRulesOf, type ExceptionRow } from '../booking/booking-rules.ts';

/**
 * The dashboard's rollups (kpi_resource_days): each court or field's open and booked minutes per
 * local day and hour, bookings due and no-shows. The sweep refreshes a rolling window around today;
 * days further back no longer change, so a year's figures are a sum over ~365 rows per court rather
 * than a pass over every reservation.
 */
export const KPI_WINDOW_DAYS_BEFORE = 2;
/** Covers the longest booking window (30 days), so "this month" counts what is already booked. */
export const KPI_WINDOW_DAYS_AHEAD = 31;
/** A first refresh (an empty table) goes back to the earliest reservation, but no further than this. */
export const KPI_BACKFILL_DAYS = 400;

const k = schema.kpiResourceDays;
const BATCH = 1000;

interface DayFigures {
  openByHour: number[];
  bookedByHour: number[];
  due: number;
  noShows: number;
}

const emptyDay = (): DayFigures => ({ openByHour: new Array<number>(24).fill(0), bookedByHour: new Array<number>(24).fill(0), due: 0, noShows: 0 });

/** Minutes of an interval per local hour, laid into `byHour` (an interval stays within its local day). */
function addByHour(byHour: number[], interval: OpenInterval, timeZone: string, offsets: Map<string, number>): void {
  // The zone's offset at the interval's start, asked once per zone and day (no zone we serve shifts within a day).
  const key = `${timeZone}|${interval.date}`;
  let offset = offsets.get(key);
  if (offset === undefined) {
    const local = new Date(interval.start.toLocaleString('en-US', { timeZone }));
    const utc = new Date(interval.start.toLocaleString('en-US', { timeZone: 'UTC' }));
    offset = Math.round((local.getTime() - utc.getTime()) / 60_000);
    offsets.set(key, offset);
  }
  const dayStartMs = Date.parse(`${interval.date}T00:00:00Z`) - offset * 60_000;
  let from = (interval.start.getTime() - dayStartMs) / 60_000;
  const to = Math.min((interval.end.getTime() - dayStartMs) / 60_000, 24 * 60);
  while (from < to) {
    const hour = Math.floor(from / 60);
    const next = Math.min((hour + 1) * 60, to);
    byHour[hour] = (byHour[hour] ?? 0) + (next - from);
    from = next;
  }
}

/**
 * Recomputes the rollup rows of every active court and field (of `venueIds`, when given) for the
 * local dates `from`…`to`, in one transaction: the days' rows are replaced, so a closure added or a
 * booking cancelled since the last refresh is reflected.
 */
export async function refreshKpiDays(db: Db, from: string, to: string, now: Date, venueIds?: readonly string[]): Promise<{ rows: number }> {
  const v = schema.venues;
  const r = schema.venueResources;
  const resources = await db
    .select({
      id: r.id,
      mode: r.mode,
      weeklyHours: r.weeklyHours,
      bookingSettings: r.bookingSettings,
      venue: { id: v.id, timeZone: v.timeZone, weeklyHours: v.weeklyHours, holidayRule: v.holidayRule, bookingSettings: v.bookingSettings },
    })
    .from(r)
    .innerJoin(v, eq(v.id, r.venueId))
    .where(and(eq(r.status, 'active'), venueIds ? inArray(v.id, [...venueIds]) : undefined));
  if (resources.length === 0) return { rows: 0 };
  const e = schema.venueHoursExceptions;
  const exceptions = (await db
    .select({ venueId: e.venueId, date: e.date, kind: e.kind, ranges: e.ranges, reason: e.reason, resourceId: e.resourceId })
    .from(e)
    .where(and(gte(e.date, from), lte(e.date, to), venueIds ? inArray(e.venueId, [...venueIds]) : undefined))) as (ExceptionRow & { venueId: string })[];
  const exceptionsOf = new Map<string, ExceptionRow[]>();
  for (const row of exceptions) exceptionsOf.set(row.venueId, [...(exceptionsOf.get(row.venueId) ?? []), row]);

  const days = new Map<string, DayFigures>();
  const figures = (resourceId: string, day: string) => {
    const key = `${resourceId}|${day}`;
    let found = days.get(key);
    if (!found) days.set(key, (found = emptyDay()));
    return found;
  };

  // Open hours: one expansion per distinct set of rules (most courts share their venue's).
  const expansions = new Map<string, OpenInterval[]>();
  const offsets = new Map<string, number>();
  for (const resource of resources) {
    const rules = openingRulesOf(resource.venue, resource, exceptionsOf.get(resource.venue.id) ?? []);
    const key = JSON.stringify(rules);
    let intervals = expansions.get(key);
    if (!intervals) expansions.set(key, (intervals = expandOpeningHours(rules, from, to, chinaHolidayCalendar)));
    for (const interval of intervals) addByHour(figures(resource.id, interval.date).openByHour, interval, rules.timeZone, offsets);
  }

  // Booked minutes per local hour, and bookings due, summed by the database.
  const ids = resources.map((x) => x.id);
  const venueFilter = venueIds ? sql` and res.venue_id in (${sql.join(venueIds.map((id) => sql`${id}::uuid`), sql`, `)})` : sql``;
  const span = sql`tstzrange((${from}::date - 1)::timestamp at time zone 'UTC', (${to}::date + 2)::timestamp at time zone 'UTC')`;
  const booked = await db.execute(sql`
    with held as (
      select res.resource_id, v.time_zone as tz, lower(res.during) as s, upper(res.during) as e
      from ${schema.reservations} res join ${v} v on v.id = res.venue_id
      where res.kind <> 'block' and res.status in ('confirmed', 'checked_in', 'completed', 'no_show')
        and res.during && ${span}${venueFilter}
    ), hours as (
      select resource_id, tz, s, e, h as local_hour
      from held, generate_series(date_trunc('hour', s at time zone tz), (e at time zone tz) - interval '1 microsecond', interval '1 hour') h
    )
    select resource_id, to_char(local_hour, 'YYYY-MM-DD') as day, extract(hour from local_hour)::int as hour,
           sum(extract(epoch from least(e, (local_hour + interval '1 hour') at time zone tz) - greatest(s, local_hour at time zone tz)) / 60)::float8 as minutes
    from hours
    where local_hour >= ${from}::date and local_hour < ${to}::date + 1
    group by 1, 2, 3`);
  for (const row of rowsOf<{ resource_id: string; day: string; hour: number; minutes: number }>(booked)) figures(row.resource_id, row.day).bookedByHour[row.hour]! += Number(row.minutes);

  const dueRows = await db.execute(sql`
    select res.resource_id, to_char(lower(res.during) at time zone v.time_zone, 'YYYY-MM-DD') as day,
           count(*)::int as due, count(*) filter (where res.status = 'no_show')::int as no_shows
    from ${schema.reservations} res join ${v} v on v.id = res.venue_id
    where res.kind <> 'block' and res.status in ('checked_in', 'completed', 'no_show')
      and res.during && ${span}${venueFilter}
    group by 1, 2`);
  for (const row of rowsOf<{ resource_id: string; day: string; due: number; no_shows: number }>(dueRows)) {
    if (row.day < from || row.day > to) continue;
    const day = figures(row.resource_id, row.day);
    day.due += row.due;
    day.noShows += row.no_shows;
  }

  const bookable = new Map(resources.map((x) => [x.id, x.mode === 'exclusive']));
  const venueOf = new Map(resources.map((x) => [x.id, x.venue.id]));
  const rows = [...days].map(([key, day]) => {
    const [resourceId, date] = key.split('|') as [string, string];
    const round = (values: number[]) => values.map((m) => Math.round(m));
    const openByHour = round(day.openByHour);
    const bookedByHour = round(day.bookedByHour);
    return {
      resourceId,
      day: date,
      venueId: venueOf.get(resourceId)!,
      bookable: bookable.get(resourceId)!,
      openMinutes: openByHour.reduce((a, b) => a + b, 0),
      bookedMinutes: bookedByHour.reduce((a, b) => a + b, 0),
      openByHour,
      bookedByHour,
      due: day.due,
      noShows: day.noShows,
      refreshedAt: now,
    };
  });
  await db.transaction(async (tx) => {
    // Instances refreshing at once take turns rather than trip over each other's rows.
    await advisoryLock(tx, 'kpi_rollup', 'refresh');
    await tx.delete(k).where(and(gte(k.day, from), lte(k.day, to), inArray(k.resourceId, ids)));
    for (let i = 0; i < rows.length; i += BATCH) await tx.insert(k).values(rows.slice(i, i + BATCH));
    await rebuildMonths(tx, from, to);
  });
  return { rows: rows.length };
}

/** The first day of the month of a local date. */
export const monthOf = (date: string) => `${date.slice(0, 7)}-01`;

/** 24 sums of an int[24] expression, as an array. */
const hourSums = (column: string, filter = '') =>
  sql.raw(`array[${Array.from({ length: 24 }, (_, h) => `coalesce(sum(${column}[${h + 1}])${filter}, 0)`).join(', ')}]`);

/** Rebuilds the month rows (per venue and sport) of every month that `from`…`to` touches, and the area rows of its days. */
async function rebuildMonths(tx: Queryable, from: string, to: string): Promise<void> {
  const first = monthOf(from);
  const last = monthOf(to);
  const months = sql`${first}::date and (${last}::date + interval '1 month' - interval '1 day')::date`;
  await tx.delete(schema.kpiVenueMonths).where(and(gte(schema.kpiVenueMonths.month, first), lte(schema.kpiVenueMonths.month, last)));
  await tx.execute(sql`
    insert into ${schema.kpiVenueMonths} (venue_id, sport, month, open_minutes, all_open_minutes, booked_minutes, due, no_shows)
    select k.venue_id, r.sport, date_trunc('month', k.day)::date,
           coalesce(sum(k.open_minutes) filter (where k.bookable), 0), sum(k.open_minutes), sum(k.booked_minutes), sum(k.due), sum(k.no_shows)
    from ${k} k join ${schema.venueResources} r on r.id = k.resource_id
    where k.day between ${months}
    group by 1, 2, 3`);
  await tx.delete(schema.kpiAreaDays).where(and(gte(schema.kpiAreaDays.day, from), lte(schema.kpiAreaDays.day, to)));
  await tx.execute(sql`
    insert into ${schema.kpiAreaDays} (city_code, district_code, day, open_by_hour, booked_by_hour)
    select v.city_code, coalesce(v.district_code, ''), k.day,
           ${hourSums('k.open_by_hour', ' filter (where k.bookable)')}, ${hourSums('k.booked_by_hour')}
    from ${k} k join ${schema.venues} v on v.id = k.venue_id
    where k.day between ${from}::date and ${to}::date
    group by 1, 2, 3`);
}

/** Both drivers answer a raw query with `{ rows }`. */
const rowsOf = <T>(result: unknown): T[] => (result as { rows: T[] }).rows;

/** Days refreshed in one go: bounds the memory a backfill holds and keeps each write short. */
const CHUNK_DAYS = 62;

/** Refreshes `from`…`to` a chunk of days at a time. */
export async function refreshKpiRange(db: Db, from: string, to: string, now: Date, venueIds?: readonly string[]): Promise<{ rows: number }> {
  let rows = 0;
  for (let start = from; start <= to; start = addDays(start, CHUNK_DAYS)) {
    const end = addDays(start, CHUNK_DAYS - 1) < to ? addDays(start, CHUNK_DAYS - 1) : to;
    rows += (await refreshKpiDays(db, start, end, now, venueIds)).rows;
  }
  return { rows };
}

/**
 * The sweep's part: the rolling window around today; the first time, a backfill from the earliest
 * reservation (at most KPI_BACKFILL_DAYS back), a chunk at a time so other queries get through.
 */
export async function runKpiSweep(db: Db, now: Date, timeZone = 'Asia/Shanghai'): Promise<{ rows: number }> {
  const today = localDate(now, timeZone);
  const [any] = await db.select({ day: k.day }).from(k).limit(1);
  let from = addDays(today, -KPI_WINDOW_DAYS_BEFORE);
  if (!any) {
    const [earliest] = await db.select({ start: sql<Date | null>`min(lower(${schema.reservations.during}))`.mapWith(schema.reservations.createdAt) }).from(schema.reservations);
    const first = earliest?.start ? localDate(earliest.start, timeZone) : from;
    const limit = addDays(today, -KPI_BACKFILL_DAYS);
    from = first < limit ? limit : first < from ? first : from;
  }
  return refreshKpiRange(db, from, addDays(today, KPI_WINDOW_DAYS_AHEAD), now);
}

/** When the figures were last brought up to date (for the dashboard's footnote). */
export async function lastRefreshed(db: Queryable): Promise<Date | null> {
  // The furthest day ahead is rewritten by every refresh: read it by the day index, not a scan.
  const [row] = await db.select({ at: k.refreshedAt }).from(k).orderBy(desc(k.day)).limit(1);
  return row?.at ?? null;
}
