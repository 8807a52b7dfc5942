import { eq } from 'drizzle-orm';
import type { Db, Queryable } from '@sports/db';
import { DEFAULT_SLA_HOURS, checkSla, type TicketSlaHours } from '@sports/domain';
import type { Actor } from '../shared/actor.ts';
import { recordAudit } from '../shared/audit.ts';
import { DomainError, fieldProblem } from '../shared/errors.ts';
import { authorize } from '../shared/grants.ts';
import { DISPATCH_ROLES, o } from './ticket-rows.ts';

// ——— the owner's promise ———

/** The organisation's repair promise in hours per priority: its own, or the defaults. */
export async function slaOf(db: Queryable, organisationId: string): Promise<TicketSlaHours> {
  const [row] = await db.select({ sla: o.ticketSla }).from(o).where(eq(o.id, organisationId));
  return row?.sla ?? DEFAULT_SLA_HOURS;
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
