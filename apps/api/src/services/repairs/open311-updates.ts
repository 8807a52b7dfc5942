import { and, asc, eq, gte, inArray, lte, not, or, isNotNull, type SQL } from 'drizzle-orm';
import { schema, type Db, type Queryable } from '@sports/db';
import { open311Status } from '@sports/domain';
import { Open311Refusal } from './open311-requests.ts';
import { tellDispatchersOfClientUpdate } from './report.ts';
import { PUBLIC_NOTE_KINDS } from './ticket-rows.ts';

/** An update a client posted on a request of its own: staff read it with the ticket; the feed shows it. */
export const CLIENT_NOTE_KIND = 'open311_note';
const SHOWN_KINDS: readonly string[] = [...PUBLIC_NOTE_KINDS, CLIENT_NOTE_KIND];

/**
 * The service request updates extension of GeoReport v2 (`GET servicerequestupdates`): what
 * happened to requests, one update per public event of a ticket (a move of its state, or a note
 * written for the public), in a window of at most 90 days. Internal notes never appear; a public
 * event's note appears only for the kinds whose notes are shown to residents.
 */
export interface Open311Update {
  update_id: string;
  service_request_id: string;
  status: 'open' | 'closed';
  updated_datetime: string;
  description: string;
  media_url: string;
}

export interface UpdateFilter {
  start: Date;
  end: Date;
  ids?: string[];
  cityCode?: string;
  page: number;
  pageSize: number;
}

export async function findUpdates(db: Queryable, filter: UpdateFilter): Promise<Open311Update[]> {
  const e = schema.ticketEvents;
  const t = schema.tickets;
  const o = schema.organisations;
  const conditions: (SQL | undefined)[] = [
    gte(e.at, filter.start),
    lte(e.at, filter.end),
    not(e.internal),
    or(isNotNull(e.toState), inArray(e.kind, [...SHOWN_KINDS])),
  ];
  if (filter.ids) conditions.push(inArray(t.code, filter.ids));
  if (filter.cityCode) conditions.push(eq(o.cityCode, filter.cityCode));
  const rows = await db
    .select({ id: e.id, at: e.at, kind: e.kind, toState: e.toState, note: e.note, code: t.code, state: t.state })
    .from(e)
    .innerJoin(t, eq(t.id, e.ticketId))
    .innerJoin(o, eq(o.id, t.organisationId))
    .where(and(...conditions))
    .orderBy(asc(e.at), asc(e.id))
    .limit(filter.pageSize)
    .offset((filter.page - 1) * filter.pageSize);
  return rows.map((row) => ({
    update_id: String(row.id),
    service_request_id: row.code,
    // The status the request had once this happened: the state it moved to, else (a note) today's.
    status: open311Status(row.toState ?? row.state),
    updated_datetime: row.at.toISOString(),
    description: SHOWN_KINDS.includes(row.kind) ? row.note : '',
    media_url: '',
  }));
}

/**
 * A client adds to a request it filed itself (another's is 403, an unknown one 404): a note in the
 * ticket's history, in one transaction with the ticket's updated time and a message to the
 * dispatchers of its owner.
 */
export async function addClientUpdate(db: Db, clientId: string, code: string, description: string, now: Date): Promise<Open311Update> {
  const t = schema.tickets;
  return db.transaction(async (tx) => {
    const [ticket] = await tx.select({ id: t.id, code: t.code, organisationId: t.organisationId, state: t.state, clientId: t.open311ClientId }).from(t).where(eq(t.code, code)).for('update');
    if (!ticket) throw new Open311Refusal(404, `service_request_id ${code} not found`);
    if (ticket.clientId !== clientId) throw new Open311Refusal(403, 'a client may add updates only to the requests it filed');
    const [event] = await tx
      .insert(schema.ticketEvents)
      .values({ ticketId: ticket.id, at: now, actorId: null, kind: CLIENT_NOTE_KIND, note: description, internal: false })
      .returning({ id: schema.ticketEvents.id });
    await tx.update(t).set({ updatedAt: now }).where(eq(t.id, ticket.id));
    await tellDispatchersOfClientUpdate(tx, ticket, description);
    return { update_id: String(event!.id), service_request_id: code, status: open311Status(ticket.state), updated_datetime: now.toISOString(), description, media_url: '' };
  });
}
