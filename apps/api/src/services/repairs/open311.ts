import { createHash, randomBytes } from 'node:crypto';
import { and, asc, desc, eq, gte, inArray, isNull, lte, sql, type SQL } from 'drizzle-orm';
import type { CreateOpen311ClientBody, IssuedOpen311Client, Open311Client } from '@sports/contracts';
import { schema, type Db, type Queryable } from '@sports/db';
import { ASSET_CATALOGUE, ASSET_TYPES, OPEN_TICKET_STATES, open311Status, type AssetType, type TicketState } from '@sports/domain';
import type { Actor } from '../shared/actor.ts';
import { recordAudit } from '../shared/audit.ts';
import { DomainError, fieldProblem } from '../shared/errors.ts';
import { authorize, organisationsReachedBy } from '../shared/grants.ts';
import { PUBLIC_NOTE_KINDS } from './ticket-rows.ts';
import { mediaUrl } from '../venues/venue-rows.ts';

/**
 * Open311 GeoReport v2 (wiki.open311.org/GeoReport_v2): the services are the kinds of equipment, each
 * with one required attribute, the fault, chosen from that kind's list; a request is a ticket. Keys
 * are issued to clients by a bureau admin and kept only as a hash.
 */

const c = schema.open311Clients;
const o = schema.organisations;
const t = schema.tickets;
const v = schema.venues;

export const hashKey = (key: string) => createHash('sha256').update(key).digest('hex');

// ——— clients, issued in the console ———

const clientColumns = {
  id: c.id,
  name: c.name,
  organisationId: c.organisationId,
  organisationName: o.name,
  keyPrefix: c.keyPrefix,
  createdAt: c.createdAt,
  revokedAt: c.revokedAt,
  requests: sql<number>`(select count(*) from ${t} where ${t.open311ClientId} = ${c.id})`.mapWith(Number),
};

function toClient(row: { id: string; name: string; organisationId: string; organisationName: string; keyPrefix: string; createdAt: Date; revokedAt: Date | null; requests: number }): Open311Client {
  return { ...row, createdAt: row.createdAt.toISOString(), revokedAt: row.revokedAt?.toISOString() ?? null };
}

/** The clients of the bureaus the caller administers. */
export async function listClients(db: Db, actor: Actor): Promise<Open311Client[]> {
  const bureaus = actor.grants.filter((g) => g.role === 'bureau_admin');
  if (bureaus.length === 0) throw new DomainError('FORBIDDEN');
  const rows = await db
    .select(clientColumns)
    .from(c)
    .innerJoin(o, eq(o.id, c.organisationId))
    .where(sql`${o.id} in (select id from ${o} where ${organisationsReachedBy(bureaus)})`)
    .orderBy(desc(c.createdAt));
  return rows.map(toClient);
}

/** Issues a key for a client of a bureau the caller administers; the answer is the only time it is shown. */
export async function issueClient(db: Db, actor: Actor, body: CreateOpen311ClientBody, now: Date): Promise<IssuedOpen311Client> {
  const bureaus = actor.grants.filter((g) => g.role === 'bureau_admin' && g.organisation.kind === 'bureau');
  if (bureaus.length === 0) throw new DomainError('FORBIDDEN');
  const organisationId = body.organisationId ?? (bureaus.length === 1 ? bureaus[0]!.organisation.id : undefined);
  if (!organisationId) throw new DomainError('VALIDATION_FAILED', {}, [fieldProblem('organisationId', '请选择体育局', 'choose the bureau')]);
  const apiKey = `o311_${randomBytes(24).toString('base64url')}`;
  const id = await db.transaction(async (tx) => {
    await authorize(tx, actor, ['bureau_admin'], organisationId);
    const [owner] = await tx.select({ kind: o.kind }).from(o).where(eq(o.id, organisationId));
    if (owner?.kind !== 'bureau') throw new DomainError('VALIDATION_FAILED', {}, [fieldProblem('organisationId', '须为体育局', 'must be a bureau')]);
    const [created] = await tx
      .insert(c)
      .values({ organisationId, name: body.name.trim(), keyHash: hashKey(apiKey), keyPrefix: apiKey.slice(0, 9), createdBy: actor.userId, createdAt: now })
      .returning({ id: c.id });
    await recordAudit(tx, actor, { action: 'open311.client.issue', targetType: 'open311_client', targetId: created!.id, organisationId, detail: { name: body.name.trim() } });
    return created!.id;
  });
  return { ...(await loadClient(db, id)), apiKey };
}

async function loadClient(db: Queryable, id: string): Promise<Open311Client> {
  const [row] = await db.select(clientColumns).from(c).innerJoin(o, eq(o.id, c.organisationId)).where(eq(c.id, id));
  if (!row) throw new DomainError('NOT_FOUND');
  return toClient(row);
}

/** Revokes a key at once; requests it posted stay. */
export async function revokeClient(db: Db, actor: Actor, id: string, now: Date): Promise<Open311Client> {
  await db.transaction(async (tx) => {
    const [client] = await tx.select().from(c).where(eq(c.id, id)).for('update');
    if (!client) throw new DomainError('NOT_FOUND');
    await authorize(tx, actor, ['bureau_admin'], client.organisationId);
    if (client.revokedAt) return;
    await tx.update(c).set({ revokedAt: now }).where(eq(c.id, id));
    await recordAudit(tx, actor, { action: 'open311.client.revoke', targetType: 'open311_client', targetId: id, organisationId: client.organisationId, detail: { name: client.name } });
  });
  return loadClient(db, id);
}

/** The live client holding `key`, with its bureau's city, or undefined. */
export async function clientByKey(db: Queryable, key: string): Promise<{ id: string; cityCode: string } | undefined> {
  const [row] = await db
    .select({ id: c.id, cityCode: o.cityCode })
    .from(c)
    .innerJoin(o, eq(o.id, c.organisationId))
    .where(and(eq(c.keyHash, hashKey(key)), isNull(c.revokedAt)));
  return row;
}

// ——— the GeoReport v2 documents ———

export interface Open311Service {
  service_code: string;
  service_name: string;
  description: string;
  metadata: boolean;
  type: 'realtime';
  keywords: string;
  group: string;
}

const GROUPS: Record<string, string> = { fitness: '健身器材', court: '球场设施', facility: '配套设施' };
const groupOf = (type: AssetType) =>
  ['walker', 'air_walker', 'back_massager', 'horizontal_bar', 'parallel_bars', 'rider', 'twister'].includes(type)
    ? GROUPS.fitness!
    : ['basketball_hoop', 'net', 'court_surface'].includes(type)
      ? GROUPS.court!
      : GROUPS.facility!;

export function services(): Open311Service[] {
  return ASSET_TYPES.map((type) => {
    const entry = ASSET_CATALOGUE[type];
    return {
      service_code: type,
      service_name: entry.zh,
      description: `${entry.zh}（${entry.en}）报修`,
      metadata: true,
      type: 'realtime',
      keywords: [entry.zh, entry.en].join(','),
      group: groupOf(type),
    };
  });
}

export function serviceDefinition(code: string) {
  if (!(ASSET_TYPES as readonly string[]).includes(code)) return undefined;
  const entry = ASSET_CATALOGUE[code as AssetType];
  return {
    service_code: code,
    attributes: [
      {
        variable: true,
        code: 'fault',
        datatype: 'singlevaluelist',
        required: true,
        datatype_description: '故障类型 The fault',
        order: 1,
        description: '哪里坏了？ What is wrong?',
        values: entry.faults.map((f) => ({ key: f.key, name: `${f.zh} ${f.en}` })),
      },
      {
        variable: true,
        code: 'asset_code',
        datatype: 'string',
        required: false,
        datatype_description: '设施二维码标签上的编号 The code on the equipment’s QR label',
        order: 2,
        description: '设施编号 Asset code',
      },
    ],
  };
}

export interface Open311Request {
  service_request_id: string;
  token: string;
  status: 'open' | 'closed';
  status_notes: string;
  service_name: string;
  service_code: string;
  description: string;
  agency_responsible: string;
  service_notice: string;
  requested_datetime: string;
  updated_datetime: string;
  expected_datetime: string;
  address: string;
  address_id: string;
  zipcode: string;
  lat: number | null;
  long: number | null;
  media_url: string;
}

export interface RequestFilter {
  /** Overrides every filter but the jurisdiction. */
  ids?: string[];
  serviceCodes?: AssetType[];
  start?: Date;
  end?: Date;
  status?: 'open' | 'closed';
  /** Only the requests of this city (a jurisdiction). */
  cityCode?: string;
  page: number;
  pageSize: number;
}

const CLOSED_STATES = ['resolved', 'closed', 'rejected', 'duplicate'] as const satisfies readonly TicketState[];

/** Requests, newest first: by ids alone, or by the other filters (the caller sets the spec's default window). */
export async function findRequests(db: Db, filter: RequestFilter, publicBaseUrl: string): Promise<Open311Request[]> {
  const conditions: (SQL | undefined)[] = [];
  if (filter.cityCode) conditions.push(eq(o.cityCode, filter.cityCode));
  if (filter.ids) conditions.push(inArray(t.code, filter.ids));
  else {
    if (filter.start) conditions.push(gte(t.createdAt, filter.start));
    if (filter.end) conditions.push(lte(t.createdAt, filter.end));
    if (filter.serviceCodes) conditions.push(inArray(t.category, filter.serviceCodes));
    if (filter.status === 'open') conditions.push(inArray(t.state, [...OPEN_TICKET_STATES]));
    if (filter.status === 'closed') conditions.push(inArray(t.state, [...CLOSED_STATES]));
  }
  const rows = await db
    .select({
      ticket: t,
      agency: o.name,
      address: v.address,
      // Only what was written for the public (a transfer's reason, say, is not).
      notes: sql<string | null>`(select e.note from ${schema.ticketEvents} e where e.ticket_id = ${t.id} and not e.internal and e.note <> '' and e.kind in ${PUBLIC_NOTE_KINDS} order by e.at desc, e.id desc limit 1)`,
      photo: sql<string | null>`(select p.key from ${schema.ticketPhotos} p where p.ticket_id = ${t.id} and p.kind = 'report' order by p.created_at, p.id limit 1)`,
    })
    .from(t)
    .innerJoin(o, eq(o.id, t.organisationId))
    .leftJoin(v, eq(v.id, t.venueId))
    .where(and(...conditions))
    .orderBy(desc(t.createdAt), asc(t.id))
    .limit(filter.pageSize)
    .offset((filter.page - 1) * filter.pageSize);
  return rows.map(({ ticket, agency, address, notes, photo }) => {
    const entry = ASSET_CATALOGUE[ticket.category];
    const fault = entry.faults.find((f) => f.key === ticket.fault);
    return {
      service_request_id: ticket.code,
      token: ticket.id,
      status: open311Status(ticket.state),
      status_notes: notes ?? '',
      service_name: entry.zh,
      service_code: ticket.category,
      // The text as its reporter sent it; the fault's name only when they wrote nothing.
      description: ticket.description || (fault?.zh ?? ''),
      agency_responsible: agency,
      service_notice: '',
      requested_datetime: ticket.createdAt.toISOString(),
      updated_datetime: ticket.updatedAt.toISOString(),
      expected_datetime: ticket.dueAt.toISOString(),
      address: address ?? '',
      address_id: ticket.venueId ?? '',
      zipcode: '',
      lat: ticket.lat,
      long: ticket.lng,
      media_url: photo ? `${publicBaseUrl}${mediaUrl(photo)}` : '',
    };
  });
}

/** The request a token stands for (a ticket's id). */
export async function requestForToken(db: Queryable, token: string): Promise<{ service_request_id: string; token: string } | undefined> {
  if (!/^[0-9a-f-]{36}$/i.test(token)) return undefined;
  const [row] = await db.select({ code: t.code }).from(t).where(eq(t.id, token));
  return row ? { service_request_id: row.code, token } : undefined;
}

// ——— XML, the spec's required format ———

const escapeXml = (text: string) =>
  text.replace(/[<>&'"]/g, (ch) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[ch]!);

/** Arrays are written as repeated elements named `item` (each container names its own: services → service). */
function element(name: string, value: unknown, itemNames: Record<string, string>): string {
  if (value === null || value === undefined) return `<${name}/>`;
  if (Array.isArray(value)) {
    const item = itemNames[name] ?? 'item';
    return `<${name}>${value.map((entry) => element(item, entry, itemNames)).join('')}</${name}>`;
  }
  if (typeof value === 'object') {
    return `<${name}>${Object.entries(value as Record<string, unknown>)
      .map(([key, inner]) => element(key, inner, itemNames))
      .join('')}</${name}>`;
  }
  return `<${name}>${escapeXml(String(value))}</${name}>`;
}

/** The XML form of a GeoReport document: `root` holds one `item` per entry (or a single object). */
export function toXml(root: string, item: string, value: unknown): string {
  const itemNames: Record<string, string> = { [root]: item, attributes: 'attribute', values: 'value', endpoints: 'endpoint', formats: 'format' };
  return `<?xml version="1.0" encoding="utf-8"?>${element(root, value, itemNames)}`;
}
