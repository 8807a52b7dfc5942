import { and, count, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { TicketMoveBody, TicketNoteBody } from '@sports/contracts';
import { schema, sqlState, UNIQUE_VIOLATION, type Db, type Queryable } from '@sports/db';
import { OPEN_TICKET_STATES, checkMove, ticketDueAt, type MoveRequirement, type TicketMove } from '@sports/domain';
import type { Actor } from '../shared/actor.ts';
import { restoreRepairedAsset } from './assets.ts';
import { recordAudit } from '../shared/audit.ts';
import { DomainError, fieldProblem } from '../shared/errors.ts';
import { notify } from '../accounts/notifications.ts';
import { openTicketOnAsset, tellDispatchers } from './report.ts';
import { slaOf } from './sla.ts';
import { transferTargetsOf } from './ticket-reads.ts';
import { ev, fieldError, fo, isStaff, ph, PUBLIC_NOTE_KINDS, rolesOn, t, type TicketRow } from './ticket-rows.ts';

// ——— the workflow ———

const REQUIREMENT_FIELDS: Record<MoveRequirement, [string, string, string]> = {
  reason: ['reason', '请填写原因（至少 2 个字）', 'a reason of at least 2 characters is required'],
  assignee: ['assigneeId', '请选择维修人员', 'choose a technician'],
  after_photo: ['afterPhoto', '请先上传维修后的照片', 'upload an after-photo first'],
  original: ['originalId', '请选择原报修单', 'choose the original ticket'],
  target_organisation: ['targetOrganisationId', '请选择转交的单位', 'choose the organisation to transfer to'],
};

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
    await tellWatchers(tx, ticket, actor.userId, body.move, PUBLIC_NOTE_KINDS.includes(body.move) ? reason : '', { move: body.move, state: to });
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
async function tellWatchers(tx: Queryable, ticket: TicketRow, exceptUserId: string | null, move: TicketMove | undefined, note: string, data: Record<string, unknown>): Promise<void> {
  const followers = await tx.select({ userId: fo.userId }).from(fo).where(eq(fo.ticketId, ticket.id));
  const people = new Set([...(ticket.reporterId ? [ticket.reporterId] : []), ...followers.map((f) => f.userId)]);
  if (exceptUserId) people.delete(exceptUserId);
  await notify(
    tx,
    [...people].map((userId) => ({
      userId,
      kind: 'ticket' as const,
      params: { code: ticket.code, ...(move ? { move } : {}), ...(note ? { note } : {}) },
      data: { ticketId: ticket.id, code: ticket.code, ...data },
    })),
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
    if (!body.internal) await tellWatchers(tx, ticket, actor.userId, undefined, text, { note: true });
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
