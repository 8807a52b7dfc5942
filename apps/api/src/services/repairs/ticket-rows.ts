import { eq, sql } from 'drizzle-orm';
import type { TicketPhoto, TicketSummary } from '@sports/contracts';
import { schema, type Queryable } from '@sports/db';
import {
  ASSET_CATALOGUE,
  TICKET_MOVES,
  grantReaches,
  isOverdue,
  movesFor,
  type AssetType,
  type StaffRole,
  type TicketActor,
  type TicketMove,
  type TicketState,
} from '@sports/domain';
import type { Actor } from '../shared/actor.ts';
import { DomainError, fieldProblem } from '../shared/errors.ts';
import { findOrganisationPlace } from '../shared/grants.ts';
import { mediaUrl } from '../venues/venue-rows.ts';

export const t = schema.tickets;
export const ev = schema.ticketEvents;
export const ph = schema.ticketPhotos;
export const fo = schema.ticketFollowers;
export const v = schema.venues;
export const a = schema.assets;
export const r = schema.venueResources;
export const o = schema.organisations;

export type TicketRow = typeof t.$inferSelect;

/** Who dispatches an organisation's tickets: its operator, school admin, or its own bureau admin. */
export const DISPATCH_ROLES: readonly StaffRole[] = ['operator', 'school_admin', 'bureau_admin'];
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
export const DATA_NOTE_KINDS: readonly string[] = ['rating', 'merged'];

/** Anonymous reports allowed per hour, per phone number and per client address (a carrier NAT is shared). */
export const ANONYMOUS_REPORTS_PER_PHONE_PER_HOUR = 3;
export const ANONYMOUS_REPORTS_PER_ADDRESS_PER_HOUR = 10;
export const HOUR_MS = 3_600_000;

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

export async function rolesOn(db: Queryable, actor: Actor | null, ticket: TicketRow): Promise<TicketActor[]> {
  const owner = await findOrganisationPlace(db, ticket.organisationId);
  return owner ? workflowRoles(actor, ticket, owner) : [];
}

export const isStaff = (roles: readonly TicketActor[]) => roles.some((role) => STAFF_PARTS.includes(role));

/** The moves any of the caller's parts allows from the state, in the workflow's order. */
export function movesOf(state: TicketState, roles: readonly TicketActor[]): TicketMove[] {
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

export function summaryQuery(db: Queryable) {
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

export function faultName(category: AssetType, fault: string): { zh: string; en: string } {
  const choice = ASSET_CATALOGUE[category].faults.find((f) => f.key === fault);
  return choice ? { zh: choice.zh, en: choice.en } : { zh: fault, en: fault };
}

export function toSummary(row: SummaryRow, now: Date): TicketSummary {
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

export function toPhoto(row: typeof ph.$inferSelect): TicketPhoto {
  return { id: row.id, kind: row.kind, url: mediaUrl(row.key), thumbUrl: mediaUrl(row.thumbKey), width: row.width, height: row.height };
}

/** One ticket as the caller may see it: internal notes and the reporter's number only for staff. */
export function fieldError(field: string, zh: string, en: string): DomainError {
  return new DomainError('VALIDATION_FAILED', {}, [fieldProblem(field, zh, en)]);
}
