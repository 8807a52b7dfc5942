import { randomInt } from 'node:crypto';
import { and, asc, count, eq, inArray, sql } from 'drizzle-orm';
import type { Asset, AssetListQuery, CreateAssetBody, Page, PublicAsset, SetAssetStatusBody, UpdateAssetBody } from '@sports/contracts';
import { retryOnConflict, schema, type Db, type Queryable } from '@sports/db';
import {
  ASSET_CATALOGUE,
  checkAsset,
  isCalendarDate,
  OPEN_TICKET_STATES,
  localDate,
  newAssetCode,
  normaliseAssetCode,
  serviceLifeEnds,
  serviceLifeState,
  type AssetProblemReason,
  type StaffRole,
} from '@sports/domain';
import type { Actor } from '../shared/actor.ts';
import { recordAudit } from '../shared/audit.ts';
import { DomainError, fieldProblem, type FieldProblem } from '../shared/errors.ts';
import { authorize, organisationsReachedBy } from '../shared/grants.ts';
import { putBackInBooking, takeOutOfBooking } from '../booking/repair-blocks.ts';

/** Who keeps a venue's equipment register: its operator or school, or a bureau admin over it. */
export const ASSET_STAFF: readonly StaffRole[] = ['operator', 'school_admin', 'bureau_admin'];

/** Where labels point: the public address of the site. */
export interface AssetLinks {
  /** Without a trailing slash, e.g. `https://sports.example.cn`. */
  publicBaseUrl: string;
}

/** What an asset's QR label encodes: the report page for its code. */
export function labelUrl(links: AssetLinks, code: string): string {
  return `${links.publicBaseUrl}/r/${code}`;
}

const a = schema.assets;
const v = schema.venues;
const r = schema.venueResources;

type AssetRow = typeof a.$inferSelect;
type VenueRow = typeof v.$inferSelect;

/** A venue the actor keeps equipment for, or NOT_FOUND / FORBIDDEN. */
export async function managedAssetVenue(db: Queryable, actor: Actor, venueId: string): Promise<VenueRow> {
  const [venue] = await db.select().from(v).where(eq(v.id, venueId));
  if (!venue) throw new DomainError('NOT_FOUND');
  await authorize(db, actor, ASSET_STAFF, venue.organisationId);
  return venue;
}

/** The asset locked for the rest of the transaction, with its venue, if the actor may change it. */
async function managedAsset(tx: Queryable, actor: Actor, id: string): Promise<{ asset: AssetRow; venue: VenueRow }> {
  const [asset] = await tx.select().from(a).where(eq(a.id, id)).for('update');
  if (!asset) throw new DomainError('NOT_FOUND');
  return { asset, venue: await managedAssetVenue(tx, actor, asset.venueId) };
}

const PROBLEMS: Record<AssetProblemReason, [string, string]> = {
  not_a_date: ['不是有效日期', 'is not a calendar date'],
  installed_in_future: ['安装日期不能晚于今天', 'must not be after today'],
  warranty_before_install: ['保修截止日期不能早于安装日期', 'must not be before the install date'],
  position_incomplete: ['经纬度须同时填写或同时留空', 'give both latitude and longitude, or neither'],
  too_far_from_venue: ['位置离场馆太远，请检查经纬度（WGS-84）', 'is too far from the venue; check the coordinates (WGS-84)'],
};

/** The fields a staff member sets, as they will be stored. */
interface AssetValues {
  resourceId: string | null;
  type: AssetRow['type'];
  name: string;
  installDate: string;
  serviceLifeYears: number;
  warrantyUntil: string | null;
  lat: number | null;
  lng: number | null;
}

/** Every problem with the values, field by field: the domain's rules, and a resource of this very venue. */
async function checkValues(tx: Queryable, venue: VenueRow, values: AssetValues, now: Date): Promise<void> {
  const problems: FieldProblem[] = checkAsset(values, venue, localDate(now, venue.timeZone)).map(({ field, reason }) =>
    fieldProblem(field, ...PROBLEMS[reason]),
  );
  if (values.resourceId !== null) {
    const [resource] = await tx
      .select({ status: r.status })
      .from(r)
      .where(and(eq(r.id, values.resourceId), eq(r.venueId, venue.id)));
    if (!resource || resource.status === 'retired') {
      problems.push(fieldProblem('resourceId', '请选择本场馆在用的场地', 'choose a court or field of this venue that is in use'));
    }
  }
  if (problems.length > 0) throw new DomainError('VALIDATION_FAILED', {}, problems);
}

const assetColumns = {
  asset: a,
  venueName: v.name,
  organisationId: v.organisationId,
  timeZone: v.timeZone,
  resourceName: r.name,
};

function assetQuery(db: Queryable) {
  return db.select(assetColumns).from(a).innerJoin(v, eq(v.id, a.venueId)).leftJoin(r, eq(r.id, a.resourceId));
}

type AssetQueryRow = { asset: AssetRow; venueName: string; organisationId: string; timeZone: string; resourceName: string | null };

function toAsset(row: AssetQueryRow, links: AssetLinks, now: Date): Asset {
  const { asset } = row;
  return {
    id: asset.id,
    code: asset.code,
    labelUrl: labelUrl(links, asset.code),
    venueId: asset.venueId,
    venueName: row.venueName,
    organisationId: row.organisationId,
    resourceId: asset.resourceId,
    resourceName: row.resourceName,
    type: asset.type,
    name: asset.name,
    installDate: asset.installDate,
    serviceLifeYears: asset.serviceLifeYears,
    warrantyUntil: asset.warrantyUntil,
    serviceLifeEnds: serviceLifeEnds(asset),
    serviceLife: serviceLifeState(asset, localDate(now, row.timeZone)),
    status: asset.status,
    expectedFixDate: asset.expectedFixDate,
    lat: asset.lat,
    lng: asset.lng,
    createdAt: asset.createdAt.toISOString(),
    updatedAt: asset.updatedAt.toISOString(),
  };
}

async function loadAsset(db: Queryable, id: string, links: AssetLinks, now: Date): Promise<Asset> {
  const [row] = await assetQuery(db).where(eq(a.id, id));
  if (!row) throw new DomainError('NOT_FOUND');
  return toAsset(row, links, now);
}

/** The assets of every venue the actor keeps equipment for, a venue's when asked, filtered and paginated. */
export async function listAssets(db: Db, actor: Actor, query: AssetListQuery, links: AssetLinks, now: Date): Promise<Page<Asset>> {
  const managing = actor.grants.filter((g) => ASSET_STAFF.includes(g.role));
  if (managing.length === 0) throw new DomainError('FORBIDDEN');
  if (query.venueId) await managedAssetVenue(db, actor, query.venueId);
  const where = and(
    inArray(v.organisationId, sql`(select id from ${schema.organisations} where ${organisationsReachedBy(managing)})`),
    query.venueId ? eq(a.venueId, query.venueId) : undefined,
    query.type ? eq(a.type, query.type) : undefined,
    query.status ? eq(a.status, query.status) : undefined,
  );
  const [rows, [total]] = await Promise.all([
    assetQuery(db)
      .where(where)
      .orderBy(asc(v.name), asc(a.type), asc(a.name), asc(a.code))
      .limit(query.pageSize)
      .offset((query.page - 1) * query.pageSize),
    db.select({ n: count() }).from(a).innerJoin(v, eq(v.id, a.venueId)).where(where),
  ]);
  return { items: rows.map((row) => toAsset(row, links, now)), page: query.page, pageSize: query.pageSize, total: total?.n ?? 0 };
}

export async function getAsset(db: Db, actor: Actor, id: string, links: AssetLinks, now: Date): Promise<Asset> {
  const asset = await loadAsset(db, id, links, now);
  await authorize(db, actor, ASSET_STAFF, asset.organisationId);
  return asset;
}

/** Codes are random; on the rare clash with an existing one, another is drawn. */
const CODE_ATTEMPTS = 5;

export async function createAsset(db: Db, actor: Actor, body: CreateAssetBody, links: AssetLinks, now: Date): Promise<Asset> {
  const id = await db.transaction(async (tx) => {
    const venue = await managedAssetVenue(tx, actor, body.venueId);
    const values: AssetValues = {
      resourceId: body.resourceId ?? null,
      type: body.type,
      name: body.name.trim(),
      installDate: body.installDate,
      serviceLifeYears: body.serviceLifeYears,
      warrantyUntil: body.warrantyUntil ?? null,
      lat: body.lat ?? null,
      lng: body.lng ?? null,
    };
    await checkValues(tx, venue, values, now);
    for (let attempt = 1; attempt <= CODE_ATTEMPTS; attempt++) {
      const [created] = await tx
        .insert(a)
        .values({ ...values, venueId: venue.id, code: newAssetCode((n) => randomInt(n)), status: body.status ?? 'ok', createdBy: actor.userId, createdAt: now, updatedAt: now })
        .onConflictDoNothing({ target: a.code })
        .returning({ id: a.id, code: a.code, status: a.status });
      if (!created) continue;
      await recordAudit(tx, actor, {
        action: 'asset.create',
        targetType: 'asset',
        targetId: created.id,
        organisationId: venue.organisationId,
        detail: { venueId: venue.id, code: created.code, type: values.type, name: values.name, status: created.status },
      });
      return created.id;
    }
    throw new Error(`no free asset code in ${CODE_ATTEMPTS} attempts`);
  });
  return loadAsset(db, id, links, now);
}

const EDITABLE = ['resourceId', 'type', 'name', 'installDate', 'serviceLifeYears', 'warrantyUntil', 'lat', 'lng'] as const satisfies readonly (keyof AssetValues)[];

/** Changes what staff may change; the venue and the code stay (the label is stuck on the equipment). */
export async function updateAsset(db: Db, actor: Actor, id: string, body: UpdateAssetBody, links: AssetLinks, now: Date): Promise<Asset> {
  await db.transaction(async (tx) => {
    const { asset, venue } = await managedAsset(tx, actor, id);
    const next: AssetValues = { ...asset, ...body, name: body.name?.trim() ?? asset.name };
    await checkValues(tx, venue, next, now);
    const changed = EDITABLE.filter((field) => next[field] !== asset[field]);
    if (changed.length === 0) return;
    await tx
      .update(a)
      .set({ ...Object.fromEntries(changed.map((field) => [field, next[field]])), updatedAt: now })
      .where(eq(a.id, id));
    // Equipment out of service moved to another court: the block moves with it.
    if (changed.includes('resourceId') && asset.status === 'out_of_service') {
      await putBackInBooking(tx, id, now);
      if (next.resourceId) {
        await takeOutOfBooking(
          tx,
          { venue, assetId: id, resourceId: next.resourceId, assetName: next.name, reason: '停用维修中', expectedFixDate: asset.expectedFixDate, actorId: actor.userId },
          now,
        );
      }
    }
    await recordAudit(tx, actor, {
      action: 'asset.update',
      targetType: 'asset',
      targetId: id,
      organisationId: venue.organisationId,
      detail: { code: asset.code, changed: Object.fromEntries(changed.map((field) => [field, { from: asset[field], to: next[field] }])) },
    });
  });
  return loadAsset(db, id, links, now);
}

/**
 * Marks the equipment ok, degraded or out of service; anything but ok needs a reason, kept in the
 * audit log. Out of service with a court takes the court out of booking up to the expected fix day
 * (repair-aware booking, see repair-blocks.ts); back in order puts it back.
 */
export async function setAssetStatus(db: Db, actor: Actor, id: string, body: SetAssetStatusBody, links: AssetLinks, now: Date): Promise<Asset> {
  await retryOnConflict(() =>
    db.transaction(async (tx) => {
      const { asset, venue } = await managedAsset(tx, actor, id);
      const reason = body.reason?.trim() ?? '';
      const problems: FieldProblem[] = [];
      if (body.status !== 'ok' && reason.length < 2) problems.push(fieldProblem('reason', '请说明原因', 'a reason is required unless the status is ok'));
      const fixDate = body.expectedFixDate ?? null;
      if (fixDate !== null) {
        if (body.status !== 'out_of_service') problems.push(fieldProblem('expectedFixDate', '仅停用时可填写预计修复日期', 'only with out_of_service'));
        else if (!isCalendarDate(fixDate)) problems.push(fieldProblem('expectedFixDate', '不是有效日期', 'is not a calendar date'));
        else if (fixDate < localDate(now, venue.timeZone)) problems.push(fieldProblem('expectedFixDate', '预计修复日期不能早于今天', 'must not be before today'));
      }
      if (problems.length > 0) throw new DomainError('VALIDATION_FAILED', {}, problems);
      if (body.status === asset.status && fixDate === asset.expectedFixDate) return;
      await tx.update(a).set({ status: body.status, expectedFixDate: fixDate, updatedAt: now }).where(eq(a.id, id));
      let cancelled = 0;
      // Any earlier span ends now; a new one, if any, starts now with the new date.
      if (asset.status === 'out_of_service') await putBackInBooking(tx, id, now);
      if (body.status === 'out_of_service' && asset.resourceId) {
        cancelled = await takeOutOfBooking(
          tx,
          { venue, assetId: id, resourceId: asset.resourceId, assetName: asset.name, reason, expectedFixDate: fixDate, actorId: actor.userId },
          now,
        );
      }
      await recordAudit(tx, actor, {
        action: 'asset.status',
        targetType: 'asset',
        targetId: id,
        organisationId: venue.organisationId,
        detail: { code: asset.code, from: asset.status, to: body.status, ...(reason ? { reason } : {}), ...(fixDate ? { expectedFixDate: fixDate } : {}), cancelledBookings: cancelled },
      });
    }),
  );
  return loadAsset(db, id, links, now);
}

/**
 * The equipment is fixed (its ticket resolved): back in order, and its court back in booking. Only
 * equipment that was out of service changes; degraded stays for staff to judge.
 */
export async function restoreRepairedAsset(tx: Queryable, assetId: string, now: Date): Promise<boolean> {
  const [asset] = await tx.select({ status: a.status }).from(a).where(eq(a.id, assetId)).for('update');
  if (asset?.status !== 'out_of_service') return false;
  await tx.update(a).set({ status: 'ok', expectedFixDate: null, updatedAt: now }).where(eq(a.id, assetId));
  await putBackInBooking(tx, assetId, now);
  return true;
}

/**
 * What the report page shows for a scanned or typed code: anyone may ask, nothing staff-only is told;
 * a signed-in caller also learns whether they said 我也遇到 on the open ticket.
 */
export async function assetByCode(db: Db, actor: Actor | null, text: string): Promise<PublicAsset> {
  const code = normaliseAssetCode(text);
  if (!code) throw new DomainError('ASSET_NOT_FOUND');
  const [row] = await db
    .select({
      id: a.id,
      code: a.code,
      type: a.type,
      name: a.name,
      status: a.status,
      expectedFixDate: a.expectedFixDate,
      lat: a.lat,
      lng: a.lng,
      venueId: v.id,
      venueName: v.name,
      address: v.address,
      resourceName: r.name,
    })
    .from(a)
    .innerJoin(v, eq(v.id, a.venueId))
    .leftJoin(r, eq(r.id, a.resourceId))
    .where(eq(a.code, code));
  if (!row) throw new DomainError('ASSET_NOT_FOUND');
  const entry = ASSET_CATALOGUE[row.type];
  const t = schema.tickets;
  const [open] = await db
    .select({
      id: t.id,
      code: t.code,
      state: t.state,
      dueAt: t.dueAt,
      meTooCount: sql<number>`(select count(*) from ${schema.ticketFollowers} f where f.ticket_id = ${t.id} and f.me_too)`.mapWith(Number),
      meTooByMe: actor
        ? sql<boolean>`exists (select 1 from ${schema.ticketFollowers} f where f.ticket_id = ${t.id} and f.user_id = ${actor.userId} and f.me_too)`
        : sql<boolean>`false`,
      reportedByMe: actor ? sql<boolean>`${t.reporterId} is not distinct from ${actor.userId}` : sql<boolean>`false`,
    })
    .from(t)
    .where(and(eq(t.assetId, row.id), inArray(t.state, [...OPEN_TICKET_STATES])));
  return {
    code: row.code,
    type: row.type,
    typeName: { zh: entry.zh, en: entry.en },
    name: row.name,
    status: row.status,
    venue: { id: row.venueId, name: row.venueName, address: row.address },
    resourceName: row.resourceName,
    lat: row.lat,
    lng: row.lng,
    faultChoices: entry.faults.map(({ key, zh, en }) => ({ key, zh, en })),
    expectedFixDate: row.expectedFixDate,
    openTicket: open
      ? { id: open.id, code: open.code, state: open.state, dueAt: open.dueAt.toISOString(), meTooCount: open.meTooCount, meTooByMe: Boolean(open.meTooByMe), reportedByMe: Boolean(open.reportedByMe) }
      : null,
  };
}

/** A venue's assets in the order they are best labelled and stuck on: by court, then by name. */
export async function venueAssetsForLabels(db: Queryable, venueId: string) {
  return db
    .select({ code: a.code, type: a.type, name: a.name, resourceName: r.name })
    .from(a)
    .leftJoin(r, eq(r.id, a.resourceId))
    .where(eq(a.venueId, venueId))
    .orderBy(sql`${r.sortOrder} asc nulls last`, asc(r.name), asc(a.name), asc(a.code));
}
