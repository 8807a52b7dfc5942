import { and, eq, gte, inArray, isNotNull, lte, or, sql, type SQL } from 'drizzle-orm';
import type { KpiQuery, KpiReport } from '@sports/contracts';
import { schema, type Db } from '@sports/db';
import {
  addDays,
  canActOn,
  GOOD_ORDER_TARGET,
  isCalendarDate,
  KPI_KEYS,
  kpiFigures,
  localTimeToInstant,
  medianHoursToResolve,
  NATIONAL_OPENING_RULES,
  noShowRate,
  OPEN_TICKET_STATES,
  openingCompliance,
  ratio,
  schoolOpenRatio,
  schoolOpenTarget,
  utilisation,
  type KpiKey,
  type WeeklySchedule,
} from '@sports/domain';
import type { Actor } from '../shared/actor.ts';
import { DomainError, fieldProblem } from '../shared/errors.ts';
import { lastRefreshed } from './kpi-rollups.ts';

const MAX_DAYS = 366;
const v = schema.venues;
const r = schema.venueResources;
const k = schema.kpiResourceDays;
const t = schema.tickets;
const o = schema.organisations;

/** Sums one area's figures come from. */
interface Sums {
  venues: number;
  resources: number;
  openMinutes: number;
  bookedMinutes: number;
  due: number;
  noShows: number;
  freeLowMinutes: number;
  schools: number;
  schoolsOpened: number;
  placesOffered: number;
  placesUsed: number;
  ticketsOpen: number;
  ticketsOverdue: number;
  resolveHours: number[];
  resolvedOnTime: number;
  assets: number;
  assetsOk: number;
  publicVenues: number;
  publicCompliant: number;
}

const emptySums = (): Sums => ({
  venues: 0,
  resources: 0,
  openMinutes: 0,
  bookedMinutes: 0,
  due: 0,
  noShows: 0,
  freeLowMinutes: 0,
  schools: 0,
  schoolsOpened: 0,
  placesOffered: 0,
  placesUsed: 0,
  ticketsOpen: 0,
  ticketsOverdue: 0,
  resolveHours: [],
  resolvedOnTime: 0,
  assets: 0,
  assetsOk: 0,
  publicVenues: 0,
  publicCompliant: 0,
});

/** Every figure of an area, by the domain's functions. */
function valuesOf(s: Sums): Record<KpiKey, number | null> {
  return {
    venues: s.venues,
    resources: s.resources,
    utilisation: utilisation(s.bookedMinutes, s.openMinutes),
    no_show_rate: noShowRate(s.noShows, s.due),
    school_open_ratio: schoolOpenRatio(s.schoolsOpened, s.schools),
    school_places_offered: s.placesOffered,
    school_places_used: s.placesUsed,
    tickets_open: s.ticketsOpen,
    tickets_overdue: s.ticketsOverdue,
    median_hours_to_resolve: medianHoursToResolve(s.resolveHours),
    sla_compliance: ratio(s.resolvedOnTime, s.resolveHours.length),
    good_order_rate: ratio(s.assetsOk, s.assets),
    opening_compliance: ratio(s.publicCompliant, s.publicVenues),
    free_low_hours: Math.round((s.freeLowMinutes / 60) * 10) / 10,
  };
}

/** Subsidised public venues (free or low price, not a school): the national opening rules apply to them. */
const isPublicVenue = (venue: { kind: string; priceLevel: string }) => venue.kind !== 'school' && venue.priceLevel !== 'paid';

/**
 * The dashboard's figures for a city (or one district) and a period: each KPI with its target,
 * breakdowns by venue kind, sport and hour × weekday, and per district and venue for drill-down.
 * Bookings come from the daily rollups; everything else from its own (small) tables.
 */
export async function kpiReport(db: Db, actor: Actor, query: KpiQuery, now: Date): Promise<KpiReport> {
  const districtCode = query.district ? query.district : null;
  if (!canActOn(actor.grants, ['bureau_admin'], { id: '', kind: 'bureau', cityCode: query.city, districtCode })) throw new DomainError('FORBIDDEN');
  const problems = [];
  const fromOk = isCalendarDate(query.from);
  const toOk = isCalendarDate(query.to);
  if (!fromOk) problems.push(fieldProblem('from', '不是有效日期', 'is not a calendar date'));
  if (!toOk) problems.push(fieldProblem('to', '不是有效日期', 'is not a calendar date'));
  if (fromOk && toOk && query.from > query.to) problems.push(fieldProblem('to', '结束日期不能早于开始日期', 'must not be before from'));
  else if (fromOk && toOk && addDays(query.from, MAX_DAYS - 1) < query.to) {
    problems.push(fieldProblem('to', `时间段最长 ${MAX_DAYS} 天`, `the period is at most ${MAX_DAYS} days`));
  }
  if (problems.length > 0) throw new DomainError('VALIDATION_FAILED', {}, problems);

  const regions = await db
    .select({ code: schema.regions.code, name: schema.regions.name, level: schema.regions.level, timeZone: schema.regions.timeZone })
    .from(schema.regions)
    .where(eq(schema.regions.cityCode, query.city));
  const city = regions.find((x) => x.code === query.city);
  const district = districtCode ? regions.find((x) => x.code === districtCode && x.level === 'district') : null;
  if (!city || district === undefined) throw new DomainError('NOT_FOUND');
  const zone = city.timeZone;
  const periodStart = localTimeToInstant(query.from, '00:00', zone);
  const periodEnd = localTimeToInstant(addDays(query.to, 1), '00:00', zone);
  const inScope = and(eq(v.cityCode, query.city), districtCode ? eq(v.districtCode, districtCode) : undefined);
  const split = splitPeriod(query.from, query.to);
  const isOpen = sql`${t.state} in ${sql.raw(`(${OPEN_TICKET_STATES.map((state) => `'${state}'`).join(', ')})`)}`;
  const resolvedInPeriod = sql`${t.resolvedAt} >= ${periodStart.toISOString()}::timestamptz and ${t.resolvedAt} < ${periodEnd.toISOString()}::timestamptz and ${t.state} not in ('rejected', 'duplicate')`;

  const [venues, resources, booked, heat, sessions, assets, tickets, closures] = await Promise.all([
    db
      .select({ id: v.id, name: v.name, kind: v.kind, districtCode: v.districtCode, priceLevel: v.priceLevel, lat: v.lat, lng: v.lng, weeklyHours: v.weeklyHours, holidayRule: v.holidayRule })
      .from(v)
      .where(inScope),
    db
      .select({ venueId: r.venueId, sport: r.sport })
      .from(r)
      .innerJoin(v, eq(v.id, r.venueId))
      .where(and(inScope, eq(r.status, 'active'))),
    bookedSums(db, inScope, split),
    heatSums(db, query.city, districtCode, query.from, query.to),
    db
      .select({
        venueId: schema.schoolSessions.venueId,
        offered: sql<number>`coalesce(sum(${schema.schoolSessions.capacity}), 0)`.mapWith(Number),
        used: sql<number>`coalesce((select sum(reg.party_size) from ${schema.schoolRegistrations} reg join ${schema.schoolSessions} s2 on s2.id = reg.session_id
               where s2.venue_id = ${schema.schoolSessions.venueId} and s2.date between ${query.from}::date and ${query.to}::date
                 and reg.status in ('checked_in', 'checked_out')), 0)`.mapWith(Number),
      })
      .from(schema.schoolSessions)
      .innerJoin(v, eq(v.id, schema.schoolSessions.venueId))
      .where(and(inScope, gte(schema.schoolSessions.date, query.from), lte(schema.schoolSessions.date, query.to), eq(schema.schoolSessions.status, 'open')))
      .groupBy(schema.schoolSessions.venueId),
    db
      .select({ venueId: schema.assets.venueId, total: sql<number>`count(*)`.mapWith(Number), ok: sql<number>`count(*) filter (where ${schema.assets.status} = 'ok')`.mapWith(Number) })
      .from(schema.assets)
      .innerJoin(v, eq(v.id, schema.assets.venueId))
      .where(inScope)
      .groupBy(schema.assets.venueId),
    // Per venue (and per district for tickets at a bare point): counts, and the resolution times for the medians.
    db
      .select({
        venueId: t.venueId,
        districtCode: sql<string | null>`coalesce(${v.districtCode}, ${o.districtCode})`,
        open: sql<number>`count(*) filter (where ${isOpen})`.mapWith(Number),
        overdue: sql<number>`count(*) filter (where ${isOpen} and ${t.dueAt} < ${now.toISOString()}::timestamptz)`.mapWith(Number),
        hours: sql<unknown>`coalesce(array_agg(extract(epoch from ${t.resolvedAt} - ${t.createdAt}) / 3600) filter (where ${resolvedInPeriod}), '{}')`,
        onTime: sql<number>`count(*) filter (where ${resolvedInPeriod} and ${t.resolvedAt} <= ${t.dueAt})`.mapWith(Number),
      })
      .from(t)
      .innerJoin(o, eq(o.id, t.organisationId))
      .leftJoin(v, eq(v.id, t.venueId))
      .where(
        and(
          eq(o.cityCode, query.city),
          districtCode ? sql`coalesce(${v.districtCode}, ${o.districtCode}) = ${districtCode}` : undefined,
          or(inArray(t.state, [...OPEN_TICKET_STATES]), and(isNotNull(t.resolvedAt), gte(t.resolvedAt, periodStart), sql`${t.resolvedAt} < ${periodEnd.toISOString()}::timestamptz`)),
        ),
      )
      .groupBy(t.venueId, sql`2`),
    db
      .select({ venueId: schema.venueHoursExceptions.venueId, date: schema.venueHoursExceptions.date, announcedAt: schema.venueHoursExceptions.createdAt })
      .from(schema.venueHoursExceptions)
      .innerJoin(v, eq(v.id, schema.venueHoursExceptions.venueId))
      .where(and(inScope, eq(schema.venueHoursExceptions.kind, 'closed'), gte(schema.venueHoursExceptions.date, query.from), lte(schema.venueHoursExceptions.date, query.to))),
  ]);

  // ——— sums per venue, then up to districts and the city ———
  const venueSums = new Map<string, Sums>(venues.map((x) => [x.id, emptySums()]));
  const venueOf = new Map(venues.map((x) => [x.id, x]));
  const byKind = new Map<string, { venues: number; resources: number; open: number; booked: number }>();
  const bySport = new Map<string, { resources: number; open: number; booked: number }>();
  const kindOf = (kind: string) => byKind.get(kind) ?? byKind.set(kind, { venues: 0, resources: 0, open: 0, booked: 0 }).get(kind)!;
  const sportOf = (sport: string) => bySport.get(sport) ?? bySport.set(sport, { resources: 0, open: 0, booked: 0 }).get(sport)!;
  const closuresOf = new Map<string, { date: string; announcedOn: string }[]>();
  for (const c of closures) {
    const announcedOn = new Intl.DateTimeFormat('en-CA', { timeZone: zone }).format(c.announcedAt);
    closuresOf.set(c.venueId, [...(closuresOf.get(c.venueId) ?? []), { date: c.date, announcedOn }]);
  }
  for (const venue of venues) {
    const s = venueSums.get(venue.id)!;
    s.venues = 1;
    kindOf(venue.kind).venues += 1;
    if (venue.kind === 'school') s.schools = 1;
    if (isPublicVenue(venue)) {
      s.publicVenues = 1;
      const compliance = openingCompliance({ weekly: venue.weeklyHours as WeeklySchedule, holidayRule: venue.holidayRule, closures: closuresOf.get(venue.id) ?? [] });
      s.publicCompliant = compliance.compliant ? 1 : 0;
    }
  }
  for (const res of resources) {
    venueSums.get(res.venueId)!.resources += 1;
    kindOf(venueOf.get(res.venueId)!.kind).resources += 1;
    sportOf(res.sport).resources += 1;
  }
  for (const row of booked) {
    const s = venueSums.get(row.venueId);
    const venue = venueOf.get(row.venueId);
    if (!s || !venue) continue;
    s.openMinutes += row.open;
    s.bookedMinutes += row.booked;
    s.due += row.due;
    s.noShows += row.noShows;
    if (venue.priceLevel !== 'paid') s.freeLowMinutes += row.allOpen;
    const kind = kindOf(venue.kind);
    kind.open += row.open;
    kind.booked += row.booked;
    const sport = sportOf(row.sport);
    sport.open += row.open;
    sport.booked += row.booked;
  }
  for (const row of sessions) {
    const s = venueSums.get(row.venueId);
    if (!s) continue;
    s.placesOffered += row.offered;
    s.placesUsed += row.used;
    if (row.offered > 0 && s.schools > 0) s.schoolsOpened = 1;
  }
  for (const row of assets) {
    const s = venueSums.get(row.venueId);
    if (!s) continue;
    s.assets += row.total;
    s.assetsOk += row.ok;
  }
  // Tickets without a venue (a point on the map) count towards their district and the city only.
  const looseTickets = new Map<string, Sums>();
  const cityTickets = emptySums();
  for (const row of tickets) {
    const targets = [cityTickets, row.venueId && venueSums.has(row.venueId) ? venueSums.get(row.venueId)! : undefined];
    if (!row.venueId || !venueSums.has(row.venueId)) {
      const key = row.districtCode ?? '';
      targets.push(looseTickets.get(key) ?? looseTickets.set(key, emptySums()).get(key)!);
    }
    const hours = numbers(row.hours);
    for (const s of targets) {
      if (!s) continue;
      s.ticketsOpen += row.open;
      s.ticketsOverdue += row.overdue;
      s.resolvedOnTime += row.onTime;
      for (const h of hours) s.resolveHours.push(h);
    }
  }

  const add = (into: Sums, from: Sums, withTickets = true) => {
    for (const key of Object.keys(into) as (keyof Sums)[]) {
      if (key === 'resolveHours') continue;
      if (!withTickets && ['ticketsOpen', 'ticketsOverdue', 'resolvedOnTime'].includes(key)) continue;
      (into[key] as number) += from[key] as number;
    }
    if (withTickets) into.resolveHours.push(...from.resolveHours);
  };
  const districtRows = regions.filter((x) => x.level === 'district' && (!districtCode || x.code === districtCode));
  const districtSums = new Map(districtRows.map((d) => [d.code, emptySums()]));
  for (const venue of venues) {
    const s = venueSums.get(venue.id)!;
    if (venue.districtCode && districtSums.has(venue.districtCode)) add(districtSums.get(venue.districtCode)!, s);
  }
  for (const [code, s] of looseTickets) if (districtSums.has(code)) add(districtSums.get(code)!, s);
  const total = emptySums();
  for (const s of venueSums.values()) add(total, s, false);
  add(total, { ...cityTickets, resolveHours: cityTickets.resolveHours }, true);

  const targets: Parameters<typeof kpiFigures>[1] = {
    school_open_ratio: schoolOpenTarget(query.city),
    good_order_rate: { value: GOOD_ORDER_TARGET, source: { zh: '设施完好率工作目标', en: 'Working target for equipment in good order' } },
    opening_compliance: { value: 1, source: NATIONAL_OPENING_RULES.source },
  };
  const cell = (booked: number, open: number) => ({ bookedHours: round1(booked / 60), openHours: round1(open / 60), value: utilisation(booked, open) });
  const heatmap = [];
  for (let weekday = 1; weekday <= 7; weekday++) {
    const sums = heat.get(weekday);
    for (let hour = 0; hour < 24; hour++) heatmap.push({ weekday, hour, ...cell(sums?.booked[hour] ?? 0, sums?.open[hour] ?? 0) });
  }
  const compact = (s: Sums) => Object.fromEntries(KPI_KEYS.map((key) => [key, valuesOf(s)[key]]));
  return {
    city: { code: city.code, name: city.name },
    district: district ? { code: district.code, name: district.name } : null,
    from: query.from,
    to: query.to,
    computedAt: ((await lastRefreshed(db)) ?? now).toISOString(),
    kpis: kpiFigures(valuesOf(total), targets),
    venuesByKind: [...byKind].map(([kind, x]) => ({ kind, venues: x.venues, resources: x.resources })).sort((a, b) => b.venues - a.venues),
    resourcesBySport: [...bySport].map(([sport, x]) => ({ sport, resources: x.resources })).sort((a, b) => b.resources - a.resources),
    utilisationByKind: [...byKind].filter(([, x]) => x.open > 0).map(([kind, x]) => ({ kind, ...cell(x.booked, x.open) })),
    utilisationBySport: [...bySport].filter(([, x]) => x.open > 0).map(([sport, x]) => ({ sport, ...cell(x.booked, x.open) })),
    heatmap,
    districts: districtRows.map((d) => ({ code: d.code, name: d.name, kpis: compact(districtSums.get(d.code)!) })),
    venues: venues
      .map((venue) => ({ id: venue.id, name: venue.name, kind: venue.kind, districtCode: venue.districtCode, lat: venue.lat, lng: venue.lng, kpis: compact(venueSums.get(venue.id)!) }))
      .sort((a, b) => a.name.localeCompare(b.name, 'zh-CN')),
  };
}

const round1 = (x: number) => Math.round(x * 10) / 10;

/** A bigint[] read back: an array of numbers or strings, or its text form (the drivers differ). */
function numbers(value: unknown): number[] {
  if (Array.isArray(value)) return value.map(Number);
  const text = String(value).replace(/[{}]/g, '');
  return text === '' ? [] : text.split(',').map(Number);
}

// ——— reading the rollups: whole months from the month rows, the days at either edge from the day rows ———

interface PeriodSplit {
  /** First days of the months wholly inside the period. */
  months: string[];
  /** Inclusive day ranges outside those months. */
  edges: [string, string][];
}

/** The first day of the month after the one `month` (a first day) begins. */
function nextMonth(month: string): string {
  const [year, m] = month.split('-').map(Number) as [number, number];
  return m === 12 ? `${year + 1}-01-01` : `${year}-${String(m + 1).padStart(2, '0')}-01`;
}

export function splitPeriod(from: string, to: string): PeriodSplit {
  const months: string[] = [];
  for (let month = from.endsWith('-01') ? from : nextMonth(`${from.slice(0, 7)}-01`); addDays(nextMonth(month), -1) <= to; month = nextMonth(month)) {
    months.push(month);
  }
  if (months.length === 0) return { months, edges: [[from, to]] };
  const edges: [string, string][] = [];
  if (from < months[0]!) edges.push([from, addDays(months[0]!, -1)]);
  const after = nextMonth(months.at(-1)!);
  if (after <= to) edges.push([after, to]);
  return { months, edges };
}

interface Booked {
  venueId: string;
  sport: string;
  open: number;
  allOpen: number;
  booked: number;
  due: number;
  noShows: number;
}

async function bookedSums(db: Db, inScope: SQL | undefined, split: PeriodSplit): Promise<Booked[]> {
  const m = schema.kpiVenueMonths;
  const [months, days] = await Promise.all([
    split.months.length === 0
      ? []
      : db
          .select({ venueId: m.venueId, sport: m.sport, open: m.openMinutes, allOpen: m.allOpenMinutes, booked: m.bookedMinutes, due: m.due, noShows: m.noShows })
          .from(m)
          .innerJoin(v, eq(v.id, m.venueId))
          .where(and(inScope, inArray(m.month, split.months))),
    split.edges.length === 0
      ? []
      : db
          .select({
            venueId: k.venueId,
            sport: r.sport,
            open: sql<number>`coalesce(sum(${k.openMinutes}) filter (where ${k.bookable}), 0)`.mapWith(Number),
            allOpen: sql<number>`coalesce(sum(${k.openMinutes}), 0)`.mapWith(Number),
            booked: sql<number>`coalesce(sum(${k.bookedMinutes}), 0)`.mapWith(Number),
            due: sql<number>`coalesce(sum(${k.due}), 0)`.mapWith(Number),
            noShows: sql<number>`coalesce(sum(${k.noShows}), 0)`.mapWith(Number),
          })
          .from(k)
          .innerJoin(r, eq(r.id, k.resourceId))
          .innerJoin(v, eq(v.id, k.venueId))
          .where(and(inScope, or(...split.edges.map(([a, b]) => and(gte(k.day, a), lte(k.day, b))))))
          .groupBy(k.venueId, r.sport),
  ]);
  return [...months, ...days].map((row) => ({ ...row, open: Number(row.open), allOpen: Number(row.allOpen), booked: Number(row.booked) }));
}

/** Open and booked minutes per weekday and local hour, for the heatmap, from the areas' day rows. */
async function heatSums(db: Db, city: string, districtCode: string | null, from: string, to: string) {
  const h = schema.kpiAreaDays;
  const sums = (column: string) => sql.raw(Array.from({ length: 24 }, (_, hour) => `coalesce(sum(${column}[${hour + 1}]), 0)`).join(', '));
  const rows = await db
    .select({
      weekday: sql<number>`extract(isodow from ${h.day})::int`.mapWith(Number),
      open: sql<unknown>`array[${sums('open_by_hour')}]`,
      booked: sql<unknown>`array[${sums('booked_by_hour')}]`,
    })
    .from(h)
    .where(and(eq(h.cityCode, city), districtCode ? eq(h.districtCode, districtCode) : undefined, gte(h.day, from), lte(h.day, to)))
    .groupBy(sql`1`);
  const byWeekday = new Map<number, { open: number[]; booked: number[] }>();
  for (const row of rows) {
    const into = byWeekday.get(row.weekday) ?? byWeekday.set(row.weekday, { open: new Array<number>(24).fill(0), booked: new Array<number>(24).fill(0) }).get(row.weekday)!;
    numbers(row.open).forEach((x, i) => (into.open[i]! += x));
    numbers(row.booked).forEach((x, i) => (into.booked[i]! += x));
  }
  return byWeekday;
}
