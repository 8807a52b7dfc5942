import { and, asc, count, desc, eq, inArray, like, or, sql, type SQL } from 'drizzle-orm';
import type {
  MyTicketsQuery,
  Page,
  TicketDetail,
  TicketListQuery,
  TicketSummary,
  TicketTechnician,
  TicketTransferTarget,
} from '@sports/contracts';
import { schema, type Db, type Queryable } from '@sports/db';
import { TICKET_ACTORS, maskPhone, normaliseTicketCodeSearch } from '@sports/domain';
import type { Actor } from '../shared/actor.ts';
import { DomainError } from '../shared/errors.ts';
import { organisationsReachedBy } from '../shared/grants.ts';
import {
  DATA_NOTE_KINDS,
  ev,
  fieldError,
  fo,
  isStaff,
  movesOf,
  o,
  ph,
  PUBLIC_NOTE_KINDS,
  rolesOn,
  summaryQuery,
  t,
  type TicketRow,
  toPhoto,
  toSummary,
} from './ticket-rows.ts';

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
export async function transferTargetsOf(db: Queryable, ticket: Pick<TicketRow, 'organisationId'>): Promise<TicketTransferTarget[]> {
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
