import { and, asc, eq, gte, inArray, isNotNull, or, sql } from 'drizzle-orm';
import type { TicketMeasures, TicketMeasuresQuery } from '@sports/contracts';
import { schema, type Db } from '@sports/db';
import { addDays, canActOn, localDate, localTimeToInstant, OPEN_TICKET_STATES, repairMeasures, type MeasuredTicket } from '@sports/domain';
import type { Actor } from './actor.ts';
import { DomainError, fieldProblem } from './errors.ts';

/** The bureau's standard for equipment in good order (完好率). */
export const GOOD_ORDER_TARGET = 0.95;
const PERIOD_DAYS = 30;

const a = schema.assets;
const v = schema.venues;
const t = schema.tickets;
const o = schema.organisations;

/**
 * Repair measures of a city, or of one district, for a bureau admin whose scope covers it: 完好率 per
 * venue, district and city (assets as they stand), median time to resolve and SLA compliance over the
 * period's resolutions, and what is open and overdue now. A district's bureau sees only its district.
 */
export async function ticketMeasures(db: Db, actor: Actor, query: TicketMeasuresQuery, now: Date): Promise<TicketMeasures> {
  const districtCode = query.districtCode ?? null;
  if (!canActOn(actor.grants, ['bureau_admin'], { id: '', kind: 'bureau', cityCode: query.cityCode, districtCode })) {
    throw new DomainError('FORBIDDEN');
  }
  const [city] = await db.select({ timeZone: schema.regions.timeZone }).from(schema.regions).where(eq(schema.regions.code, query.cityCode));
  if (!city) throw new DomainError('NOT_FOUND');
  const zone = city.timeZone;
  const to = query.to ?? localDate(now, zone);
  const from = query.from ?? addDays(to, -(PERIOD_DAYS - 1));
  if (from > to) throw new DomainError('VALIDATION_FAILED', {}, [fieldProblem('from', '开始日期不能晚于结束日期', 'must not be after to')]);
  const period = { from: localTimeToInstant(from, '00:00', zone), to: localTimeToInstant(addDays(to, 1), '00:00', zone) };

  const [districts, assets, tickets] = await Promise.all([
    db
      .select({ code: schema.regions.code, name: schema.regions.name })
      .from(schema.regions)
      .where(and(eq(schema.regions.level, 'district'), eq(schema.regions.cityCode, query.cityCode), districtCode ? eq(schema.regions.code, districtCode) : undefined))
      .orderBy(asc(schema.regions.code)),
    db
      .select({ status: a.status, venueId: v.id, venueName: v.name, districtCode: v.districtCode })
      .from(a)
      .innerJoin(v, eq(v.id, a.venueId))
      .where(and(eq(v.cityCode, query.cityCode), districtCode ? eq(v.districtCode, districtCode) : undefined)),
    // Only what counts: tickets open now, or resolved in the period.
    db
      .select({
        state: t.state,
        createdAt: t.createdAt,
        dueAt: t.dueAt,
        resolvedAt: t.resolvedAt,
        venueId: t.venueId,
        districtCode: sql<string | null>`coalesce(${v.districtCode}, ${o.districtCode})`,
      })
      .from(t)
      .innerJoin(o, eq(o.id, t.organisationId))
      .leftJoin(v, eq(v.id, t.venueId))
      .where(
        and(
          eq(o.cityCode, query.cityCode),
          districtCode ? sql`coalesce(${v.districtCode}, ${o.districtCode}) = ${districtCode}` : undefined,
          or(inArray(t.state, [...OPEN_TICKET_STATES]), and(isNotNull(t.resolvedAt), gte(t.resolvedAt, period.from))),
        ),
      ),
  ]);

  const measure = (statuses: string[], measured: MeasuredTicket[]) => repairMeasures(statuses, measured, period, now);
  const venues = new Map<string, { name: string; districtCode: string | null }>();
  for (const asset of assets) venues.set(asset.venueId, { name: asset.venueName, districtCode: asset.districtCode });
  return {
    city: measure(
      assets.map((x) => x.status),
      tickets,
    ),
    goodOrderTarget: GOOD_ORDER_TARGET,
    districts: districts.map((d) => ({
      code: d.code,
      name: d.name,
      ...measure(
        assets.filter((x) => x.districtCode === d.code).map((x) => x.status),
        tickets.filter((x) => x.districtCode === d.code),
      ),
    })),
    venues: [...venues]
      .map(([id, venue]) => ({
        id,
        name: venue.name,
        districtCode: venue.districtCode,
        ...measure(
          assets.filter((x) => x.venueId === id).map((x) => x.status),
          tickets.filter((x) => x.venueId === id),
        ),
      }))
      .sort((x, y) => (x.goodOrderRate ?? 1) - (y.goodOrderRate ?? 1) || x.name.localeCompare(y.name, 'zh-CN')),
  };
}
