import { and, eq, inArray, isNull, lt, lte } from 'drizzle-orm';
import { schema, tryAdvisoryLock, type Db } from '@sports/db';
import { AUTO_CLOSE_DAYS, OPEN_TICKET_STATES, checkMove } from '@sports/domain';
import { notify } from '../accounts/notifications.ts';
import { bureauFor } from './report.ts';

const t = schema.tickets;
const fo = schema.ticketFollowers;

export interface TicketSweepReport {
  closed: number;
  escalated: number;
}

/**
 * One pass of the repair-ticket upkeep, safe with several API instances (a transaction-scoped
 * advisory lock: one instance runs, the others skip):
 * - a ticket resolved AUTO_CLOSE_DAYS ago and not reopened closes itself, and its reporter and
 *   followers are told;
 * - an open ticket past its due time is escalated once: marked, noted on its timeline for staff, and
 *   the bureau admins of the district (else the city) of its owner are told.
 */
export async function runTicketSweep(db: Db, now: Date): Promise<TicketSweepReport | null> {
  return db.transaction(async (tx) => {
    if (!(await tryAdvisoryLock(tx, 'sweep', 'ticket_sweep'))) return null;

    const close = checkMove('resolved', 'close', 'system');
    if (!close.ok) throw new Error('the workflow no longer lets the system close a resolved ticket');
    const closed = await tx
      .update(t)
      .set({ state: close.to, closedAt: now, updatedAt: now })
      .where(and(eq(t.state, 'resolved'), lte(t.resolvedAt, new Date(now.getTime() - AUTO_CLOSE_DAYS * 86_400_000))))
      .returning({ id: t.id, code: t.code, reporterId: t.reporterId });
    for (const ticket of closed) {
      await tx.insert(schema.ticketEvents).values({ ticketId: ticket.id, at: now, kind: 'close', fromState: 'resolved', toState: close.to, note: `${AUTO_CLOSE_DAYS} 天无异议，自动关闭` });
      const followers = await tx.select({ userId: fo.userId }).from(fo).where(eq(fo.ticketId, ticket.id));
      const people = new Set([...(ticket.reporterId ? [ticket.reporterId] : []), ...followers.map((f) => f.userId)]);
      await notify(
        tx,
        [...people].map((userId) => ({ userId, kind: 'ticket' as const, params: { code: ticket.code, move: 'close' as const, auto: true }, data: { ticketId: ticket.id, code: ticket.code, move: 'close', state: close.to } })),
      );
    }

    const escalated = await tx
      .update(t)
      .set({ escalatedAt: now })
      .where(and(isNull(t.escalatedAt), lt(t.dueAt, now), inArray(t.state, [...OPEN_TICKET_STATES])))
      .returning({ id: t.id, code: t.code, organisationId: t.organisationId });
    for (const ticket of escalated) {
      const [owner] = await tx.select().from(schema.organisations).where(eq(schema.organisations.id, ticket.organisationId));
      const bureauId = owner ? await bureauFor(tx, owner.cityCode, owner.districtCode) : undefined;
      await tx.insert(schema.ticketEvents).values({ ticketId: ticket.id, at: now, kind: 'escalate', note: '已超过承诺时限，已上报区体育局', internal: true });
      if (!bureauId) continue;
      const admins = await tx
        .select({ userId: schema.roleAssignments.userId })
        .from(schema.roleAssignments)
        .where(and(eq(schema.roleAssignments.organisationId, bureauId), eq(schema.roleAssignments.role, 'bureau_admin')));
      await notify(
        tx,
        admins.map(({ userId }) => ({ userId, kind: 'ticket_escalated' as const, params: { code: ticket.code }, data: { ticketId: ticket.id, code: ticket.code } })),
      );
    }
    return { closed: closed.length, escalated: escalated.length };
  });
}
