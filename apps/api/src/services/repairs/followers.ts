import { and, count, eq, inArray, sql } from 'drizzle-orm';
import type { TicketFollowing, TicketSuggestion, TicketSuggestionsQuery } from '@sports/contracts';
import type { Db } from '@sports/db';
import { DUPLICATE_RADIUS_METERS, OPEN_TICKET_STATES, haversineMeters, normaliseAssetCode } from '@sports/domain';
import type { Actor } from '../shared/actor.ts';
import { DomainError, fieldProblem, type FieldProblem } from '../shared/errors.ts';
import { a, fo, summaryQuery, t, toSummary } from './ticket-rows.ts';

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

/**
 * Follow a ticket, and with `meToo` say "I have this problem too" (+1). Both idempotent. The reporter
 * cannot +1 their own report (OWN_TICKET_ME_TOO): the count is of other people.
 */
export async function followTicket(db: Db, actor: Actor, id: string, meToo: boolean): Promise<TicketFollowing> {
  return db.transaction(async (tx) => {
    const [ticket] = await tx.select({ state: t.state, reporterId: t.reporterId }).from(t).where(eq(t.id, id));
    if (!ticket) throw new DomainError('NOT_FOUND');
    if (meToo && ticket.reporterId === actor.userId) throw new DomainError('OWN_TICKET_ME_TOO');
    if (meToo && !OPEN_TICKET_STATES.includes(ticket.state)) throw new DomainError('TICKET_NOT_OPEN');
    const insert = tx.insert(fo).values({ ticketId: id, userId: actor.userId, meToo });
    await (meToo ? insert.onConflictDoUpdate({ target: [fo.ticketId, fo.userId], set: { meToo: true } }) : insert.onConflictDoNothing());
    const [mine] = await tx.select({ meToo: fo.meToo }).from(fo).where(and(eq(fo.ticketId, id), eq(fo.userId, actor.userId)));
    const [total] = await tx.select({ n: count() }).from(fo).where(and(eq(fo.ticketId, id), eq(fo.meToo, true)));
    return { following: true, meToo: mine?.meToo ?? false, meTooCount: total?.n ?? 0 };
  });
}
