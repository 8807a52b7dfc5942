import { createHmac, randomInt, randomUUID, timingSafeEqual } from 'node:crypto';
import { and, asc, count, desc, eq, gt, inArray, isNull, like, or, sql, type SQL } from 'drizzle-orm';
import type {
  MyTicketsQuery,
  Page,
  ReportTicketBody,
  TicketDetail,
  TicketFollowing,
  TicketListQuery,
  TicketMoveBody,
  TicketNoteBody,
  TicketPhoto,
  TicketSuggestion,
  TicketSuggestionsQuery,
  TicketSummary,
  TicketTechnician,
  TicketTransferTarget,
} from '@sports/contracts';
import { schema, sqlState, UNIQUE_VIOLATION, type Db, type Queryable } from '@sports/db';
import {
  ASSET_CATALOGUE,
  DEFAULT_SLA_HOURS,
  DUPLICATE_RADIUS_METERS,
  MAX_REPORT_PHOTOS,
  OPEN_TICKET_STATES,
  TICKET_ACTORS,
  TICKET_MOVES,
  checkMove,
  checkSla,
  grantReaches,
  haversineMeters,
  isOverdue,
  maskPhone,
  movesFor,
  newTicketCode,
  normaliseAssetCode,
  normaliseTicketCodeSearch,
  ticketDueAt,
  type AssetType,
  type MoveRequirement,
  type StaffRole,
  type TicketActor,
  type TicketMove,
  type TicketPhotoKind,
  type TicketSlaHours,
  type TicketState,
} from '@sports/domain';
import type { Actor } from './actor.ts';
import { restoreRepairedAsset } from './assets.ts';
import { recordAudit } from './audit.ts';
import { DomainError, fieldProblem, type FieldProblem } from './errors.ts';
import { authorize, findOrganisationPlace, organisationsReachedBy } from './grants.ts';
import { notify } from './notifications.ts';
import { processPhoto, type UploadStore } from './photos.ts';
import { mediaUrl } from './venues.ts';

const t = schema.tickets;
const ev = schema.ticketEvents;
const ph = schema.ticketPhotos;
const fo = schema.ticketFollowers;
const v = schema.venues;
const a = schema.assets;
const r = schema.venueResources;
const o = schema.organisations;

type TicketRow = typeof t.$inferSelect;

/** Who dispatches an organisation's tickets: its operator, school admin, or its own bureau admin. */
const DISPATCH_ROLES: readonly StaffRole[] = ['operator', 'school_admin', 'bureau_admin'];
/** Staff parts in the workflow: they see internal notes and the reporter's masked number. */
const STAFF_PARTS: readonly TicketActor[] = ['dispatcher', 'technician', 'bureau'];

/**
 * Timeline entries whose note is written for the reporter and the public (the console says so when
 * staff write them): a staff note not marked internal, why a report was turned down, why work is on
 * hold, what the repair did, why it was closed or reopened. Other reasons — a transfer's, above all —
 * are between the people working the ticket: only staff see them on the timeline, watchers are not
 * sent them, and Open311's status_notes never shows them.
 */
export const PUBLIC_NOTE_KINDS: readonly string[] = ['note', 'reject', 'hold', 'resolve', 'close', 'reopen', 'asset_restored'];
/** Timeline entries whose note is data the client shows (the stars, a merged duplicate's code), not anyone's words. */
const DATA_NOTE_KINDS: readonly string[] = ['rating', 'merged'];

/** Anonymous reports allowed per hour, per phone number and per client address (a carrier NAT is shared). */
export const ANONYMOUS_REPORTS_PER_PHONE_PER_HOUR = 3;
export const ANONYMOUS_REPORTS_PER_ADDRESS_PER_HOUR = 10;
const HOUR_MS = 3_600_000;

// ——— the owner's promise ———

/** The organisation's repair promise in hours per priority: its own, or the defaults. */
export async function slaOf(db: Queryable, organisationId: string): Promise<TicketSlaHours> {
  const [row] = await db.select({ sla: o.ticketSla }).from(o).where(eq(o.id, organisationId));
  return row?.sla ?? DEFAULT_SLA_HOURS;
}

// ——— who is asking ———

/** The caller's parts in this ticket's workflow (a person may hold several). */
export function workflowRoles(actor: Actor | null, ticket: Pick<TicketRow, 'organisationId' | 'assigneeId' | 'reporterId'>, owner: Parameters<typeof grantReaches>[1]): TicketActor[] {
  if (!actor) return [];
  const roles: TicketActor[] = [];
  if (actor.grants.some((g) => DISPATCH_ROLES.includes(g.role) && g.organisation.id === ticket.organisationId)) roles.push('dispatcher');
  if (actor.grants.some((g) => g.role === 'bureau_admin' && g.organisation.id !== ticket.organisationId && grantReaches(g, owner))) roles.push('bureau');
  if (ticket.assigneeId !== null && ticket.assigneeId === actor.userId) roles.push('technician');
  if (ticket.reporterId !== null && ticket.reporterId === actor.userId) roles.push('reporter');
  return roles;
}

async function rolesOn(db: Queryable, actor: Actor | null, ticket: TicketRow): Promise<TicketActor[]> {
  const owner = await findOrganisationPlace(db, ticket.organisationId);
  return owner ? workflowRoles(actor, ticket, owner) : [];
}

const isStaff = (roles: readonly TicketActor[]) => roles.some((role) => STAFF_PARTS.includes(role));

/** The moves any of the caller's parts allows from the state, in the workflow's order. */
function movesOf(state: TicketState, roles: readonly TicketActor[]): TicketMove[] {
  const allowed = new Set(roles.flatMap((role) => movesFor(state, role)));
  return TICKET_MOVES.filter((move) => allowed.has(move));
}

// ——— reading ———

const summaryColumns = {
  ticket: t,
  organisationName: o.name,
  venueName: v.name,
  assetCode: a.code,
  assetName: a.name,
  resourceName: r.name,
  meTooCount: sql<number>`(select count(*) from ${fo} where ${fo.ticketId} = ${t.id} and ${fo.meToo})`.mapWith(Number),
};

function summaryQuery(db: Queryable) {
  return db
    .select(summaryColumns)
    .from(t)
    .innerJoin(o, eq(o.id, t.organisationId))
    .leftJoin(v, eq(v.id, t.venueId))
    .leftJoin(a, eq(a.id, t.assetId))
    .leftJoin(r, eq(r.id, t.resourceId));
}

type SummaryRow = {
  ticket: TicketRow;
  organisationName: string;
  venueName: string | null;
  assetCode: string | null;
  assetName: string | null;
  resourceName: string | null;
  meTooCount: number;
};

function faultName(category: AssetType, fault: string): { zh: string; en: string } {
  const choice = ASSET_CATALOGUE[category].faults.find((f) => f.key === fault);
  return choice ? { zh: choice.zh, en: choice.en } : { zh: fault, en: fault };
}

function toSummary(row: SummaryRow, now: Date): TicketSummary {
  const { ticket } = row;
  return {
    id: ticket.id,
    code: ticket.code,
    state: ticket.state,
    priority: ticket.priority,
    category: ticket.category,
    fault: ticket.fault,
    faultName: faultName(ticket.category, ticket.fault),
    description: ticket.description,
    organisationId: ticket.organisationId,
    organisationName: row.organisationName,
    venue: ticket.venueId && row.venueName !== null ? { id: ticket.venueId, name: row.venueName } : null,
    asset: row.assetCode !== null && row.assetName !== null ? { code: row.assetCode, name: row.assetName } : null,
    resourceName: row.resourceName,
    lat: ticket.lat,
    lng: ticket.lng,
    dueAt: ticket.dueAt.toISOString(),
    overdue: isOverdue(ticket.state, ticket.dueAt, now),
    assigneeId: ticket.assigneeId,
    meTooCount: row.meTooCount,
    createdAt: ticket.createdAt.toISOString(),
    updatedAt: ticket.updatedAt.toISOString(),
  };
}

function toPhoto(row: typeof ph.$inferSelect): TicketPhoto {
  return { id: row.id, kind: row.kind, url: mediaUrl(row.key), thumbUrl: mediaUrl(row.thumbKey), width: row.width, height: row.height };
}

/** One ticket as the caller may see it: internal notes and the reporter's number only for staff. */
export async function getTicket(db: Queryable, actor: Actor | null, id: string, now: Date): Promise<TicketDetail> {
  const [row] = await summaryQuery(db).where(eq(t.id, id));
  if (!row) throw new DomainError('NOT_FOUND');
  const { ticket } = row;
  const roles = await rolesOn(db, actor, ticket);
  const staff = isStaff(roles);
  const [events, photos, [myFollow]] = await Promise.all([
    db
      .select({ event: ev, byStaff: sql<boolean>`${ev.actorId} is not null and ${ev.actorId} is distinct from ${ticket.reporterId}` })
      .from(ev)
      .where(and(eq(ev.ticketId, id), staff ? undefined : eq(ev.internal, false)))
      .orderBy(asc(ev.at), asc(ev.id)),
    db.select().from(ph).where(eq(ph.ticketId, id)).orderBy(asc(ph.createdAt), asc(ph.id)),
    actor ? db.select({ meToo: fo.meToo }).from(fo).where(and(eq(fo.ticketId, id), eq(fo.userId, actor.userId))) : Promise.resolve([]),
  ]);
  return {
    ...toSummary(row, now),
    source: ticket.source,
    duplicateOf: ticket.duplicateOf,
    resolvedAt: ticket.resolvedAt?.toISOString() ?? null,
    closedAt: ticket.closedAt?.toISOString() ?? null,
    rating: ticket.rating,
    escalatedAt: ticket.escalatedAt?.toISOString() ?? null,
    reporterPhone: staff && ticket.reporterPhone ? maskPhone(ticket.reporterPhone) : null,
    mine: roles.includes('reporter'),
    following: myFollow !== undefined,
    meTooByMe: myFollow?.meToo ?? false,
    roles: TICKET_ACTORS.filter((role) => roles.includes(role)),
    moves: movesOf(ticket.state, roles),
    photos: photos.map(toPhoto),
    timeline: events.map(({ event, byStaff }) => ({
      id: event.id,
      at: event.at.toISOString(),
      kind: event.kind,
      fromState: event.fromState,
      toState: event.toState,
      note: staff || PUBLIC_NOTE_KINDS.includes(event.kind) || DATA_NOTE_KINDS.includes(event.kind) ? event.note : '',
      internal: event.internal,
      byStaff: Boolean(byStaff),
    })),
  };
}

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
async function tellDispatchers(
  tx: Queryable,
  organisationId: string,
  ticket: { id: string; code: string },
  body: Pick<ReportTicketBody, 'category' | 'fault' | 'description'>,
): Promise<void> {
  const what = faultName(body.category, body.fault).zh;
  await notify(
    tx,
    (await dispatchersOf(tx, organisationId)).map((userId) => ({
      userId,
      kind: 'ticket.new',
      title: '新报修待受理',
      body: `报修单 ${ticket.code}：${what}${body.description?.trim() ? `，${body.description.trim().slice(0, 60)}` : ''}`,
      data: { ticketId: ticket.id, code: ticket.code },
    })),
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
      kind: 'ticket.update',
      title: '报修单有新的补充',
      body: `报修单 ${ticket.code}（Open311 接入方补充）：${text.trim().slice(0, 60)}`,
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

async function openTicketOnAsset(db: Queryable, assetId: string): Promise<string | undefined> {
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

// ——— photos ———

/** A reporter's photo (up to MAX_REPORT_PHOTOS, while the ticket is open) or staff's after-photo; re-encoded without metadata. */
export async function addTicketPhoto(
  db: Db,
  store: UploadStore,
  actor: Actor | null,
  id: string,
  kind: TicketPhotoKind,
  upload: Buffer,
  /** The anonymous reporter showed this ticket's upload token. */
  anonymousReporter = false,
): Promise<TicketPhoto> {
  const [ticket] = await db.select().from(t).where(eq(t.id, id));
  if (!ticket) throw new DomainError('NOT_FOUND');
  const roles = await rolesOn(db, actor, ticket);
  if (anonymousReporter && ticket.reporterId === null) roles.push('reporter');
  if (kind === 'report' ? !roles.includes('reporter') : !isStaff(roles)) throw new DomainError('FORBIDDEN');
  if (!OPEN_TICKET_STATES.includes(ticket.state)) throw new DomainError('TICKET_NOT_OPEN');
  const image = await processPhoto(upload);
  const base = `tickets/${id}/${randomUUID()}`;
  const key = `${base}.webp`;
  const thumbKey = `${base}-thumb.webp`;
  await store.put(key, image.full);
  await store.put(thumbKey, image.thumb);
  try {
    return await db.transaction(async (tx) => {
      // Counted under the ticket's row lock, so simultaneous uploads cannot pass the limit together.
      await tx.select({ id: t.id }).from(t).where(eq(t.id, id)).for('update');
      if (kind === 'report') {
        const [photos] = await tx.select({ n: count() }).from(ph).where(and(eq(ph.ticketId, id), eq(ph.kind, 'report')));
        if ((photos?.n ?? 0) >= MAX_REPORT_PHOTOS) throw new DomainError('TOO_MANY_TICKET_PHOTOS', { max: MAX_REPORT_PHOTOS });
      }
      const [created] = await tx
        .insert(ph)
        .values({ ticketId: id, kind, key, thumbKey, width: image.width, height: image.height, bytes: image.full.length, createdBy: actor?.userId ?? null })
        .returning();
      if (kind === 'after' && actor) {
        await recordAudit(tx, actor, { action: 'ticket.photo.after', targetType: 'ticket', targetId: id, organisationId: ticket.organisationId, detail: { photoId: created!.id } });
      }
      return toPhoto(created!);
    });
  } catch (err) {
    await Promise.all([store.remove(key), store.remove(thumbKey)]);
    throw err;
  }
}

// ——— duplicates ———

/** Open tickets on the same asset, or within DUPLICATE_RADIUS_METERS in the same category: shown before sending. */
export async function suggestDuplicates(db: Db, query: TicketSuggestionsQuery, now: Date): Promise<TicketSuggestion[]> {
  const problems: FieldProblem[] = [];
  const hasPoint = query.lat !== undefined || query.lng !== undefined;
  if ((query.assetCode === undefined) === !hasPoint) {
    problems.push(fieldProblem('assetCode', '请给出设施编号或位置（二选一）', 'give an asset code or a point, not both'));
  } else if (hasPoint) {
    if (query.lat === undefined || query.lng === undefined) problems.push(fieldProblem(query.lat === undefined ? 'lat' : 'lng', '经纬度须同时填写', 'give both latitude and longitude'));
    if (query.category === undefined) problems.push(fieldProblem('category', '按位置查找时请给出类别', 'a category is required with a point'));
  }
  if (problems.length > 0) throw new DomainError('VALIDATION_FAILED', {}, problems);
  const open = inArray(t.state, [...OPEN_TICKET_STATES]);
  if (query.assetCode !== undefined) {
    const code = normaliseAssetCode(query.assetCode);
    if (!code) return [];
    const rows = await summaryQuery(db).where(and(open, eq(a.code, code)));
    return rows.map((row) => ({ ...toSummary(row, now), distanceMeters: null }));
  }
  const point = { lat: query.lat!, lng: query.lng! };
  // A box a little larger than the circle narrows the search; the haversine decides.
  const dLat = (DUPLICATE_RADIUS_METERS * 1.1) / 111_000;
  const dLng = dLat / Math.max(0.01, Math.cos((point.lat * Math.PI) / 180));
  const rows = await summaryQuery(db).where(
    and(
      open,
      eq(t.category, query.category!),
      sql`${t.lat} between ${point.lat - dLat} and ${point.lat + dLat}`,
      sql`${t.lng} between ${point.lng - dLng} and ${point.lng + dLng}`,
    ),
  );
  return rows
    .map((row) => ({ row, meters: haversineMeters(point, { lat: row.ticket.lat!, lng: row.ticket.lng! }) }))
    .filter(({ meters }) => meters <= DUPLICATE_RADIUS_METERS)
    .sort((x, y) => x.meters - y.meters)
    .map(({ row, meters }) => ({ ...toSummary(row, now), distanceMeters: Math.round(meters * 10) / 10 }));
}

/** Follow a ticket, and with `meToo` say "I have this problem too" (+1). Both idempotent. */
export async function followTicket(db: Db, actor: Actor, id: string, meToo: boolean): Promise<TicketFollowing> {
  return db.transaction(async (tx) => {
    const [ticket] = await tx.select({ state: t.state }).from(t).where(eq(t.id, id));
    if (!ticket) throw new DomainError('NOT_FOUND');
    if (meToo && !OPEN_TICKET_STATES.includes(ticket.state)) throw new DomainError('TICKET_NOT_OPEN');
    const insert = tx.insert(fo).values({ ticketId: id, userId: actor.userId, meToo });
    await (meToo ? insert.onConflictDoUpdate({ target: [fo.ticketId, fo.userId], set: { meToo: true } }) : insert.onConflictDoNothing());
    const [mine] = await tx.select({ meToo: fo.meToo }).from(fo).where(and(eq(fo.ticketId, id), eq(fo.userId, actor.userId)));
    const [total] = await tx.select({ n: count() }).from(fo).where(and(eq(fo.ticketId, id), eq(fo.meToo, true)));
    return { following: true, meToo: mine?.meToo ?? false, meTooCount: total?.n ?? 0 };
  });
}

// ——— the workflow ———

const REQUIREMENT_FIELDS: Record<MoveRequirement, [string, string, string]> = {
  reason: ['reason', '请填写原因（至少 2 个字）', 'a reason of at least 2 characters is required'],
  assignee: ['assigneeId', '请选择维修人员', 'choose a technician'],
  after_photo: ['afterPhoto', '请先上传维修后的照片', 'upload an after-photo first'],
  original: ['originalId', '请选择原报修单', 'choose the original ticket'],
  target_organisation: ['targetOrganisationId', '请选择转交的单位', 'choose the organisation to transfer to'],
};

const MOVE_TITLES: Record<TicketMove, string> = {
  accept: '报修已受理',
  reject: '报修未受理',
  mark_duplicate: '报修已合并',
  transfer: '报修已转交',
  dispatch: '已派维修人员',
  start: '开始维修',
  hold: '维修暂停',
  resume: '继续维修',
  resolve: '维修完成',
  close: '报修已关闭',
  reopen: '报修已重新打开',
};

function fieldError(field: string, zh: string, en: string): DomainError {
  return new DomainError('VALIDATION_FAILED', {}, [fieldProblem(field, zh, en)]);
}

/** Checks what the workflow table cannot know: who the assignee is, which ticket is the original, which organisation takes it. */
async function checkMoveTargets(tx: Queryable, actor: Actor, ticket: TicketRow, body: TicketMoveBody): Promise<void> {
  if (body.move === 'dispatch') {
    const [technician] = await tx
      .select({ id: schema.roleAssignments.id })
      .from(schema.roleAssignments)
      .where(
        and(
          eq(schema.roleAssignments.userId, body.assigneeId!),
          eq(schema.roleAssignments.role, 'technician'),
          eq(schema.roleAssignments.organisationId, ticket.organisationId),
        ),
      );
    if (!technician) throw fieldError('assigneeId', '须为本单位的维修人员', 'must be a technician of the owning organisation');
  }
  if (body.move === 'mark_duplicate') {
    const [original] = await tx.select().from(t).where(eq(t.id, body.originalId!));
    if (!original) throw fieldError('originalId', '请选择另一张有效的报修单', 'choose another open ticket');
    // The original gains the duplicate's photos, reporter and followers: it must be a ticket the caller works on too.
    const onOriginal = await rolesOn(tx, actor, original);
    if (!onOriginal.includes('dispatcher') && !onOriginal.includes('bureau')) throw new DomainError('FORBIDDEN');
    const otherEquipment = original.assetId !== null && ticket.assetId !== null && original.assetId !== ticket.assetId;
    if (original.id === ticket.id || !OPEN_TICKET_STATES.includes(original.state) || otherEquipment) {
      throw otherEquipment
        ? fieldError('originalId', '原报修单是另一件设施的', 'the original is about another piece of equipment')
        : fieldError('originalId', '请选择另一张有效的报修单', 'choose another open ticket');
    }
  }
  if (body.move === 'transfer') {
    const targets = await transferTargetsOf(tx, ticket);
    if (!targets.some((target) => target.id === body.targetOrganisationId)) {
      throw new DomainError('TRANSFER_TARGET_NOT_OFFERED', {}, [
        fieldProblem('targetOrganisationId', '请从可转办单位中选择', 'choose one of the organisations offered'),
      ]);
    }
  }
}

/**
 * Makes one workflow move as the caller: the workflow table decides whether the caller may, from the
 * current state, with what they supplied. The state changes only if nobody moved the ticket in the
 * meantime (a conditional UPDATE), so of simultaneous moves exactly one lands.
 */
export async function moveTicket(db: Db, actor: Actor, id: string, body: TicketMoveBody, now: Date): Promise<void> {
  try {
    await applyMove(db, actor, id, body, now);
  } catch (err) {
    // Reopening equipment that has since been reported again: the newer ticket is the open one.
    if (sqlState(err) !== UNIQUE_VIOLATION) throw err;
    const [ticket] = await db.select({ assetId: t.assetId }).from(t).where(eq(t.id, id));
    const existing = ticket?.assetId ? await openTicketOnAsset(db, ticket.assetId) : undefined;
    throw existing ? new DomainError('ASSET_TICKET_OPEN', { existingId: existing }) : err;
  }
}

async function applyMove(db: Db, actor: Actor, id: string, body: TicketMoveBody, now: Date): Promise<void> {
  await db.transaction(async (tx) => {
    const [ticket] = await tx.select().from(t).where(eq(t.id, id));
    if (!ticket) throw new DomainError('NOT_FOUND');
    const roles = await rolesOn(tx, actor, ticket);
    if (roles.length === 0) throw new DomainError('FORBIDDEN');
    const [afterPhotos] = body.move === 'resolve' ? await tx.select({ n: count() }).from(ph).where(and(eq(ph.ticketId, id), eq(ph.kind, 'after'))) : [];
    const context = { ...body, afterPhotos: afterPhotos?.n ?? 0 };
    const checks = roles.map((role) => ({ role, check: checkMove(ticket.state, body.move, role, context) }));
    const passed = checks.find((c) => c.check.ok);
    if (!passed || !passed.check.ok) {
      const problems = checks.map((c) => (c.check.ok ? undefined : c.check.problem));
      const requirement = problems.find((p): p is MoveRequirement => p !== undefined && p !== 'illegal' && p !== 'forbidden');
      if (requirement) throw fieldError(...REQUIREMENT_FIELDS[requirement]);
      if (problems.includes('illegal')) throw new DomainError('ILLEGAL_TRANSITION');
      throw new DomainError('FORBIDDEN');
    }
    await checkMoveTargets(tx, actor, ticket, body);
    const to = passed.check.to;
    const reason = body.reason?.trim() ?? '';
    const changes: Partial<typeof t.$inferInsert> = { state: to, updatedAt: now };
    if (body.move === 'accept' && body.priority) {
      changes.priority = body.priority;
      changes.dueAt = ticketDueAt(ticket.createdAt, body.priority, await slaOf(tx, ticket.organisationId));
    }
    if (body.move === 'dispatch') changes.assigneeId = body.assigneeId!;
    if (body.move === 'resolve') changes.resolvedAt = now;
    if (body.move === 'close') changes.closedAt = now;
    if (body.move === 'reopen') changes.resolvedAt = null;
    if (body.move === 'mark_duplicate') changes.duplicateOf = body.originalId!;
    if (body.move === 'transfer') {
      changes.organisationId = body.targetOrganisationId!;
      changes.assigneeId = null;
      // The new owner's promise applies, counted from the report.
      changes.dueAt = ticketDueAt(ticket.createdAt, ticket.priority, await slaOf(tx, body.targetOrganisationId!));
    }
    const [moved] = await tx
      .update(t)
      .set(changes)
      .where(and(eq(t.id, id), eq(t.state, ticket.state)))
      .returning({ id: t.id });
    if (!moved) throw new DomainError('ILLEGAL_TRANSITION');
    await tx.insert(ev).values({ ticketId: id, at: now, actorId: actor.userId, kind: body.move, fromState: ticket.state, toState: to, note: reason });
    if (body.move === 'mark_duplicate') await mergeInto(tx, ticket, body.originalId!, now);
    if (body.move === 'transfer') await tellDispatchers(tx, body.targetOrganisationId!, ticket, ticket);
    // Fixed: equipment that was out of service is back in order, and its court back in booking.
    if (body.move === 'resolve' && ticket.assetId && (await restoreRepairedAsset(tx, ticket.assetId, now))) {
      await tx.insert(ev).values({ ticketId: id, at: now, actorId: null, kind: 'asset_restored', note: '设施已恢复使用' });
    }
    const staffMove = passed.role !== 'reporter';
    if (staffMove) {
      await recordAudit(tx, actor, {
        action: `ticket.${body.move}`,
        targetType: 'ticket',
        targetId: id,
        organisationId: ticket.organisationId,
        detail: {
          code: ticket.code,
          from: ticket.state,
          to,
          as: passed.role,
          ...(reason ? { reason } : {}),
          ...(body.assigneeId && body.move === 'dispatch' ? { assigneeId: body.assigneeId } : {}),
          ...(body.move === 'transfer' ? { toOrganisationId: body.targetOrganisationId } : {}),
          ...(body.move === 'mark_duplicate' ? { originalId: body.originalId } : {}),
        },
      });
    }
    await tellWatchers(tx, ticket, actor.userId, MOVE_TITLES[body.move], PUBLIC_NOTE_KINDS.includes(body.move) ? reason : '', { move: body.move, state: to });
  });
}

/** A duplicate's reporter and followers follow the original, and its report photos join the original's. */
async function mergeInto(tx: Queryable, duplicate: TicketRow, originalId: string, now: Date): Promise<void> {
  const watchers = await tx.select({ userId: fo.userId, meToo: fo.meToo }).from(fo).where(eq(fo.ticketId, duplicate.id));
  const carried = [...watchers, ...(duplicate.reporterId ? [{ userId: duplicate.reporterId, meToo: true }] : [])];
  if (carried.length > 0) {
    await tx
      .insert(fo)
      .values(carried.map((w) => ({ ticketId: originalId, userId: w.userId, meToo: w.meToo })))
      .onConflictDoUpdate({ target: [fo.ticketId, fo.userId], set: { meToo: sql`${fo.meToo} or excluded.me_too` } });
  }
  await tx.execute(sql`
    insert into ${ph} (ticket_id, kind, key, thumb_key, width, height, bytes, created_by, created_at)
    select ${originalId}, kind, key, thumb_key, width, height, bytes, created_by, created_at
    from ${ph} where ticket_id = ${duplicate.id} and kind = 'report'`);
  await tx.insert(ev).values({ ticketId: originalId, at: now, actorId: null, kind: 'merged', note: duplicate.code });
}

/** The reporter and the followers hear of each public change, except the person who made it. */
async function tellWatchers(tx: Queryable, ticket: TicketRow, exceptUserId: string | null, title: string, body: string, data: Record<string, unknown>): Promise<void> {
  const followers = await tx.select({ userId: fo.userId }).from(fo).where(eq(fo.ticketId, ticket.id));
  const people = new Set([...(ticket.reporterId ? [ticket.reporterId] : []), ...followers.map((f) => f.userId)]);
  if (exceptUserId) people.delete(exceptUserId);
  await notify(
    tx,
    [...people].map((userId) => ({ userId, kind: 'ticket', title, body: body || `报修单 ${ticket.code}`, data: { ticketId: ticket.id, code: ticket.code, ...data } })),
  );
}

/** A note on the timeline by staff; an internal one is seen by staff only. */
export async function addTicketNote(db: Db, actor: Actor, id: string, body: TicketNoteBody, now: Date): Promise<void> {
  await db.transaction(async (tx) => {
    const [ticket] = await tx.select().from(t).where(eq(t.id, id));
    if (!ticket) throw new DomainError('NOT_FOUND');
    if (!isStaff(await rolesOn(tx, actor, ticket))) throw new DomainError('FORBIDDEN');
    const text = body.text.trim();
    await tx.insert(ev).values({ ticketId: id, at: now, actorId: actor.userId, kind: 'note', note: text, internal: body.internal });
    if (!body.internal) await tellWatchers(tx, ticket, actor.userId, '报修进展', text, { note: true });
  });
}

/** The reporter rates the repair once, after it is resolved. */
export async function rateTicket(db: Db, actor: Actor, id: string, stars: number, now: Date): Promise<void> {
  await db.transaction(async (tx) => {
    const [ticket] = await tx.select().from(t).where(eq(t.id, id));
    if (!ticket) throw new DomainError('NOT_FOUND');
    if (ticket.reporterId !== actor.userId) throw new DomainError('FORBIDDEN');
    if (ticket.state !== 'resolved' && ticket.state !== 'closed') throw new DomainError('ILLEGAL_TRANSITION');
    const [rated] = await tx
      .update(t)
      .set({ rating: stars, updatedAt: now })
      .where(and(eq(t.id, id), isNull(t.rating), inArray(t.state, ['resolved', 'closed'])))
      .returning({ id: t.id });
    if (!rated) throw new DomainError(ticket.rating !== null ? 'ALREADY_RATED' : 'ILLEGAL_TRANSITION');
    await tx.insert(ev).values({ ticketId: id, at: now, actorId: actor.userId, kind: 'rating', note: String(stars) });
  });
}

// ——— queues ———

const overdueSql = (now: Date): SQL<boolean> =>
  sql<boolean>`(${t.dueAt} < ${now} and ${t.state} not in ('resolved', 'closed', 'rejected', 'duplicate'))`;

/** A code, or the start of one, as the queue's schema let it through; the schema and the domain agree on what can be. */
function codeSearch(text: string): string {
  const code = normaliseTicketCodeSearch(text);
  if (!code) throw fieldError('code', '请输入报修单号或其前 3 位以上', 'give a ticket code or at least its first 3 characters');
  return code;
}

/** Staff's queue: tickets of every organisation they reach, overdue first, then by due time; by code, or the start of one, when asked. */
export async function listTickets(db: Db, actor: Actor, query: TicketListQuery, now: Date): Promise<Page<TicketSummary>> {
  const staffGrants = actor.grants;
  if (staffGrants.length === 0) throw new DomainError('FORBIDDEN');
  const where = and(
    inArray(t.organisationId, sql`(select id from ${o} where ${organisationsReachedBy(staffGrants)})`),
    query.state ? eq(t.state, query.state) : undefined,
    query.priority ? eq(t.priority, query.priority) : undefined,
    query.venueId ? eq(t.venueId, query.venueId) : undefined,
    query.overdue === undefined ? undefined : query.overdue ? overdueSql(now) : sql`not ${overdueSql(now)}`,
    query.assignee === 'me' ? eq(t.assigneeId, actor.userId) : undefined,
    query.code === undefined ? undefined : like(t.code, `${codeSearch(query.code)}%`),
  );
  return page(db, where, [desc(overdueSql(now)), asc(t.dueAt), asc(t.id)], query, now);
}

/** A resident's tickets: the ones they reported and the ones they follow, newest first. */
export async function myTickets(db: Db, actor: Actor, query: MyTicketsQuery, now: Date): Promise<Page<TicketSummary>> {
  const where = or(eq(t.reporterId, actor.userId), inArray(t.id, db.select({ id: fo.ticketId }).from(fo).where(eq(fo.userId, actor.userId))));
  return page(db, where, [desc(t.createdAt), asc(t.id)], query, now);
}

async function page(db: Db, where: SQL | undefined, order: SQL[], query: { page: number; pageSize: number }, now: Date): Promise<Page<TicketSummary>> {
  const [rows, [total]] = await Promise.all([
    summaryQuery(db)
      .where(where)
      .orderBy(...order)
      .limit(query.pageSize)
      .offset((query.page - 1) * query.pageSize),
    db.select({ n: count() }).from(t).where(where),
  ]);
  return { items: rows.map((row) => toSummary(row, now)), page: query.page, pageSize: query.pageSize, total: total?.n ?? 0 };
}

// ——— the dispatcher's choices ———

/** The ticket and the caller's parts in it, when the caller dispatches it (its owner) or oversees it (a bureau). */
async function dispatchedBy(db: Queryable, actor: Actor, id: string): Promise<TicketRow> {
  const [ticket] = await db.select().from(t).where(eq(t.id, id));
  if (!ticket) throw new DomainError('NOT_FOUND');
  const roles = await rolesOn(db, actor, ticket);
  if (!roles.includes('dispatcher') && !roles.includes('bureau')) throw new DomainError('FORBIDDEN');
  return ticket;
}

/** Technicians of the ticket's owner, the least busy first: who the dispatcher may send. */
export async function ticketTechnicians(db: Db, actor: Actor, id: string): Promise<TicketTechnician[]> {
  const ticket = await dispatchedBy(db, actor, id);
  const ra = schema.roleAssignments;
  const u = schema.users;
  const busy = sql<number>`(select count(*) from ${t} where ${t.assigneeId} = ${u.id} and ${t.state} in ('dispatched', 'in_progress', 'on_hold', 'reopened'))`.mapWith(Number);
  const rows = await db
    .selectDistinct({ id: u.id, name: u.displayName, phone: u.phone, openTickets: busy })
    .from(ra)
    .innerJoin(u, eq(u.id, ra.userId))
    .where(and(eq(ra.organisationId, ticket.organisationId), eq(ra.role, 'technician')));
  return rows
    .map((row) => ({ id: row.id, name: row.name, phone: maskPhone(row.phone), openTickets: row.openTickets }))
    .sort((x, y) => x.openTickets - y.openTickets || x.name.localeCompare(y.name, 'zh-CN'));
}

/**
 * Where a ticket may be transferred: the other bureaus and venue owners of its owner's city. The one
 * rule for both what the console offers and what a transfer accepts.
 */
async function transferTargetsOf(db: Queryable, ticket: Pick<TicketRow, 'organisationId'>): Promise<TicketTransferTarget[]> {
  const [owner] = await db.select({ cityCode: o.cityCode }).from(o).where(eq(o.id, ticket.organisationId));
  if (!owner) return [];
  return db
    .select({ id: o.id, name: o.name, kind: o.kind })
    .from(o)
    .where(and(eq(o.cityCode, owner.cityCode), sql`${o.id} <> ${ticket.organisationId}`))
    .orderBy(asc(o.kind), asc(o.name));
}

/** The transfer targets of a ticket, for whoever dispatches or oversees it. */
export async function ticketTransferTargets(db: Db, actor: Actor, id: string): Promise<TicketTransferTarget[]> {
  return transferTargetsOf(db, await dispatchedBy(db, actor, id));
}

// ——— an organisation's promise ———

export async function getTicketSla(db: Db, actor: Actor, organisationId: string): Promise<TicketSlaHours> {
  await authorize(db, actor, DISPATCH_ROLES, organisationId);
  return slaOf(db, organisationId);
}

/**
 * Sets the organisation's repair promise; tickets reported from now on are due by it (and a ticket's
 * priority set on acceptance). A more urgent priority may not be promised slower.
 */
export async function setTicketSla(db: Db, actor: Actor, organisationId: string, sla: TicketSlaHours): Promise<TicketSlaHours> {
  const problem = checkSla(sla);
  if (problem) {
    const [field, zh, en] =
      problem === 'urgent_after_normal'
        ? ['urgent', '紧急的时限不能长于一般', 'must not be longer than normal']
        : ['normal', '一般的时限不能长于较低', 'must not be longer than low'];
    throw new DomainError('VALIDATION_FAILED', {}, [fieldProblem(field, zh, en)]);
  }
  await db.transaction(async (tx) => {
    await authorize(tx, actor, DISPATCH_ROLES, organisationId);
    const before = await slaOf(tx, organisationId);
    await tx.update(o).set({ ticketSla: sla }).where(eq(o.id, organisationId));
    await recordAudit(tx, actor, { action: 'organisation.ticket_sla', targetType: 'organisation', targetId: organisationId, organisationId, detail: { from: before, to: sla } });
  });
  return sla;
}

// ——— an anonymous reporter's photos ———

const UPLOAD_TOKEN_MS = HOUR_MS;

/** What lets the anonymous reporter of ticket `id` add photos until `expires`: `<expires>.<mac>`. */
export function uploadTokenFor(key: string, id: string, now: Date): string {
  const expires = Math.floor((now.getTime() + UPLOAD_TOKEN_MS) / 1000);
  return `${expires}.${createHmac('sha256', key).update(`${id}.${expires}`).digest('base64url')}`;
}

/** Whether `token` is a live upload token for ticket `id`. */
export function checkUploadToken(key: string, id: string, token: string, now: Date): boolean {
  const [expires, mac] = token.split('.');
  if (!expires || !mac || !/^\d+$/.test(expires) || Number(expires) * 1000 < now.getTime()) return false;
  const expected = Buffer.from(createHmac('sha256', key).update(`${id}.${expires}`).digest('base64url'));
  const given = Buffer.from(mac);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
