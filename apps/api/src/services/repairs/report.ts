import { randomInt } from 'node:crypto';
import { and, asc, eq, gt, inArray, isNull, or, sql } from 'drizzle-orm';
import type { ReportTicketBody } from '@sports/contracts';
import { schema, sqlState, UNIQUE_VIOLATION, type Db, type Queryable } from '@sports/db';
import { ASSET_CATALOGUE, OPEN_TICKET_STATES, haversineMeters, newTicketCode, normaliseAssetCode, ticketDueAt } from '@sports/domain';
import type { Actor } from '../shared/actor.ts';
import { DomainError, fieldProblem, type FieldProblem } from '../shared/errors.ts';
import { notify } from '../accounts/notifications.ts';
import { slaOf } from './sla.ts';
import {
  a,
  ANONYMOUS_REPORTS_PER_ADDRESS_PER_HOUR,
  ANONYMOUS_REPORTS_PER_PHONE_PER_HOUR,
  DISPATCH_ROLES,
  ev,
  HOUR_MS,
  o,
  r,
  t,
  v,
} from './ticket-rows.ts';

// ——— reporting ———

export interface ReportContext {
  /** The client address, for throttling anonymous reports. */
  ip: string;
  /** Set for a report posted by an Open311 client: no account and no phone needed. */
  open311ClientId?: string;
}

/** The people who dispatch an organisation's tickets. */
async function dispatchersOf(tx: Queryable, organisationId: string): Promise<string[]> {
  const ra = schema.roleAssignments;
  const rows = await tx
    .selectDistinct({ userId: ra.userId })
    .from(ra)
    .where(and(eq(ra.organisationId, organisationId), inArray(ra.role, [...DISPATCH_ROLES])));
  return rows.map((r) => r.userId);
}

/** Everyone who dispatches the owner's tickets hears of a new one. */
export async function tellDispatchers(
  tx: Queryable,
  organisationId: string,
  ticket: { id: string; code: string },
  body: Pick<ReportTicketBody, 'category' | 'fault' | 'description'>,
): Promise<void> {
  const description = body.description?.trim().slice(0, 60);
  const params = { code: ticket.code, category: body.category, fault: body.fault, ...(description ? { description } : {}) };
  await notify(
    tx,
    (await dispatchersOf(tx, organisationId)).map((userId) => ({ userId, kind: 'ticket.new' as const, params, data: { ticketId: ticket.id, code: ticket.code } })),
  );
}

/**
 * The dispatchers of a ticket's owner hear that the Open311 client that filed it added to it (the
 * 12345 hotline passing on a caller's follow-up), in the caller's transaction.
 */
export async function tellDispatchersOfClientUpdate(tx: Queryable, ticket: { id: string; code: string; organisationId: string }, text: string): Promise<void> {
  await notify(
    tx,
    (await dispatchersOf(tx, ticket.organisationId)).map((userId) => ({
      userId,
      kind: 'ticket.update' as const,
      params: { code: ticket.code, text: text.trim().slice(0, 60) },
      data: { ticketId: ticket.id, code: ticket.code },
    })),
  );
}

interface Place {
  organisationId: string;
  assetId: string | null;
  venueId: string | null;
  resourceId: string | null;
  lat: number | null;
  lng: number | null;
}

/** The district bureau of a district, else the city's bureau: who keeps public fitness paths, and who hears of overdue tickets. */
export async function bureauFor(db: Queryable, cityCode: string, districtCode: string | null): Promise<string | undefined> {
  if (districtCode) {
    const [district] = await db
      .select({ id: o.id })
      .from(o)
      .where(and(eq(o.kind, 'bureau'), eq(o.districtCode, districtCode)))
      .orderBy(asc(o.createdAt))
      .limit(1);
    if (district) return district.id;
  }
  const [city] = await db
    .select({ id: o.id })
    .from(o)
    .where(and(eq(o.kind, 'bureau'), eq(o.cityCode, cityCode), isNull(o.districtCode)))
    .limit(1);
  return city?.id;
}

/** Equipment of public fitness paths is kept by the district bureau; everything else by the venue's owner. */
async function venueOwner(db: Queryable, venue: Pick<typeof v.$inferSelect, 'kind' | 'organisationId' | 'cityCode' | 'districtCode'>): Promise<string> {
  if (venue.kind !== 'fitness_path') return venue.organisationId;
  return (await bureauFor(db, venue.cityCode, venue.districtCode)) ?? venue.organisationId;
}

/** The district whose seat lies nearest to a point (the regions table keeps each seat's position). */
async function nearestDistrict(db: Queryable, lat: number, lng: number): Promise<{ cityCode: string; code: string } | undefined> {
  const districts = await db
    .select({ code: schema.regions.code, cityCode: schema.regions.cityCode, lat: schema.regions.lat, lng: schema.regions.lng })
    .from(schema.regions)
    .where(eq(schema.regions.level, 'district'));
  let best: { cityCode: string; code: string; meters: number } | undefined;
  for (const d of districts) {
    const meters = haversineMeters({ lat, lng }, d);
    if (!best || meters < best.meters) best = { cityCode: d.cityCode, code: d.code, meters };
  }
  // Farther than this from every district seat is outside the cities we serve.
  return best && best.meters < 100_000 ? best : undefined;
}

/** Where the report is about and who must fix it, or every problem with what was sent. */
async function placeOf(db: Queryable, body: ReportTicketBody): Promise<Place> {
  const problems: FieldProblem[] = [];
  const hasPoint = body.lat !== undefined || body.lng !== undefined;
  const ways = [body.assetCode !== undefined, body.venueId !== undefined, hasPoint].filter(Boolean).length;
  if (ways !== 1) {
    problems.push(fieldProblem('assetCode', '请扫码、选择场馆或在地图上选点（三选一）', 'give one of: an asset code, a venue, or a point on the map'));
  }
  if (body.resourceId !== undefined && body.venueId === undefined) {
    problems.push(fieldProblem('resourceId', '选择场地前请先选择场馆', 'a court needs its venue'));
  }
  if (hasPoint && (body.lat === undefined || body.lng === undefined)) {
    problems.push(fieldProblem(body.lat === undefined ? 'lat' : 'lng', '经纬度须同时填写', 'give both latitude and longitude'));
  }
  if (!ASSET_CATALOGUE[body.category].faults.some((f) => f.key === body.fault)) {
    problems.push(fieldProblem('fault', '请选择该类设施的故障', 'choose one of the faults of this kind of equipment'));
  }
  if (problems.length > 0) throw new DomainError('VALIDATION_FAILED', {}, problems);

  if (body.assetCode !== undefined) {
    const code = normaliseAssetCode(body.assetCode);
    const [row] = code
      ? await db
          .select({ asset: a, venue: v })
          .from(a)
          .innerJoin(v, eq(v.id, a.venueId))
          .where(eq(a.code, code))
      : [];
    if (!row) throw new DomainError('VALIDATION_FAILED', {}, [fieldProblem('assetCode', '未找到该设施编号', 'no equipment has this code')]);
    if (row.asset.type !== body.category) {
      throw new DomainError('VALIDATION_FAILED', {}, [fieldProblem('category', '与该设施的类型不符', 'does not match the equipment’s type')]);
    }
    return {
      organisationId: await venueOwner(db, row.venue),
      assetId: row.asset.id,
      venueId: row.venue.id,
      resourceId: row.asset.resourceId,
      lat: row.asset.lat ?? row.venue.lat,
      lng: row.asset.lng ?? row.venue.lng,
    };
  }
  if (body.venueId !== undefined) {
    const [venue] = await db.select().from(v).where(eq(v.id, body.venueId));
    if (!venue) throw new DomainError('VALIDATION_FAILED', {}, [fieldProblem('venueId', '未找到该场馆', 'no such venue')]);
    if (body.resourceId !== undefined) {
      const [resource] = await db
        .select({ id: r.id })
        .from(r)
        .where(and(eq(r.id, body.resourceId), eq(r.venueId, venue.id)));
      if (!resource) throw new DomainError('VALIDATION_FAILED', {}, [fieldProblem('resourceId', '请选择本场馆的场地', 'choose a court of this venue')]);
    }
    return {
      organisationId: await venueOwner(db, venue),
      assetId: null,
      venueId: venue.id,
      resourceId: body.resourceId ?? null,
      lat: venue.lat,
      lng: venue.lng,
    };
  }
  const lat = body.lat!;
  const lng = body.lng!;
  const district = await nearestDistrict(db, lat, lng);
  const organisationId = district ? await bureauFor(db, district.cityCode, district.code) : undefined;
  if (!organisationId) throw new DomainError('NO_TICKET_OWNER');
  return { organisationId, assetId: null, venueId: null, resourceId: null, lat, lng };
}

/** Anonymous reports per phone and per address in the last hour, counted in the database. */
async function refuseWhenThrottled(tx: Queryable, phone: string, ip: string, now: Date): Promise<void> {
  const x = schema.anonymousTicketReports;
  const since = new Date(now.getTime() - HOUR_MS);
  await tx.delete(x).where(and(or(eq(x.phone, phone), eq(x.ip, ip)), sql`${x.reportedAt} <= ${since}`));
  const [counts] = await tx
    .select({
      byPhone: sql<number>`count(*) filter (where ${x.phone} = ${phone})`.mapWith(Number),
      byIp: sql<number>`count(*) filter (where ${x.ip} = ${ip})`.mapWith(Number),
      oldestByPhone: sql<string | null>`min(${x.reportedAt}) filter (where ${x.phone} = ${phone})`,
      oldestByIp: sql<string | null>`min(${x.reportedAt}) filter (where ${x.ip} = ${ip})`,
    })
    .from(x)
    .where(and(gt(x.reportedAt, since), or(eq(x.phone, phone), eq(x.ip, ip))));
  const limitedSince =
    counts && counts.byPhone >= ANONYMOUS_REPORTS_PER_PHONE_PER_HOUR
      ? counts.oldestByPhone
      : counts && counts.byIp >= ANONYMOUS_REPORTS_PER_ADDRESS_PER_HOUR
        ? counts.oldestByIp
        : null;
  if (limitedSince !== null) {
    const freeAt = new Date(limitedSince).getTime() + HOUR_MS;
    const minutes = Math.max(1, Math.ceil((freeAt - now.getTime()) / 60_000));
    throw new DomainError('REPORTS_THROTTLED', { minutes, retryAfterSeconds: minutes * 60 });
  }
  await tx.insert(x).values({ phone, ip, reportedAt: now });
}

export async function openTicketOnAsset(db: Queryable, assetId: string): Promise<string | undefined> {
  const [open] = await db
    .select({ id: t.id })
    .from(t)
    .where(and(eq(t.assetId, assetId), inArray(t.state, [...OPEN_TICKET_STATES])));
  return open?.id;
}

const CODE_ATTEMPTS = 5;

/**
 * A resident's report, routed to whoever must fix it, due by the default SLA. A second report on
 * equipment with an open ticket is refused with that ticket's id (the client offers +1 and follow);
 * the database's unique index makes this hold even when two arrive at once.
 */
export async function reportTicket(db: Db, actor: Actor | null, body: ReportTicketBody, context: ReportContext, now: Date): Promise<string> {
  if (!actor && body.phone === undefined && !context.open311ClientId) {
    throw new DomainError('VALIDATION_FAILED', {}, [fieldProblem('phone', '未登录时请留下手机号', 'a phone number is required when not signed in')]);
  }
  const place = await placeOf(db, body);
  if (place.assetId) {
    const existing = await openTicketOnAsset(db, place.assetId);
    if (existing) throw new DomainError('ASSET_TICKET_OPEN', { existingId: existing });
  }
  const sla = await slaOf(db, place.organisationId);
  try {
    return await db.transaction(async (tx) => {
      if (!actor && !context.open311ClientId) await refuseWhenThrottled(tx, body.phone!, context.ip, now);
      for (let attempt = 1; attempt <= CODE_ATTEMPTS; attempt++) {
        const [created] = await tx
          .insert(t)
          .values({
            ...place,
            code: newTicketCode((n) => randomInt(n)),
            category: body.category,
            fault: body.fault,
            description: body.description?.trim() ?? '',
            reporterId: actor?.userId ?? null,
            reporterPhone: actor ? null : (body.phone ?? null),
            priority: 'normal',
            dueAt: ticketDueAt(now, 'normal', sla),
            open311ClientId: context.open311ClientId ?? null,
            source: context.open311ClientId ? 'open311' : 'app',
            createdAt: now,
            updatedAt: now,
          })
          .onConflictDoNothing({ target: t.code })
          .returning({ id: t.id, code: t.code });
        if (!created) continue;
        await tx.insert(ev).values({ ticketId: created.id, at: now, actorId: actor?.userId ?? null, kind: 'report', toState: 'submitted' });
        await tellDispatchers(tx, place.organisationId, created, body);
        return created.id;
      }
      throw new Error(`no free ticket code in ${CODE_ATTEMPTS} attempts`);
    });
  } catch (err) {
    if (place.assetId && sqlState(err) === UNIQUE_VIOLATION) {
      const existing = await openTicketOnAsset(db, place.assetId);
      if (existing) throw new DomainError('ASSET_TICKET_OPEN', { existingId: existing });
    }
    throw err;
  }
}
