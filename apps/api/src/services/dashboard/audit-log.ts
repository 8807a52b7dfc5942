import { and, count, desc, eq, gte, like, lt, sql } from 'drizzle-orm';
import type { AuditEntry, AuditQuery, Page } from '@sports/contracts';
import { schema, type Db } from '@sports/db';
import { addDays, localTimeToInstant, maskPhone, type StaffRole } from '@sports/domain';
import type { Actor } from '../shared/actor.ts';
import { DomainError, fieldProblem } from '../shared/errors.ts';
import { organisationsReachedBy } from '../shared/grants.ts';

/** Who may read the log: the people who run an organisation, and bureaus over theirs. */
const READERS: readonly StaffRole[] = ['bureau_admin', 'operator', 'school_admin'];
const ZONE = 'Asia/Shanghai';

/**
 * Who changed what and when, newest first, for the organisations the caller reaches (a bureau: every
 * one in its area; an operator or school: its own). Filtered by person, organisation, action and date.
 */
export async function auditEntries(db: Db, actor: Actor, query: AuditQuery): Promise<Page<AuditEntry>> {
  const grants = actor.grants.filter((g) => READERS.includes(g.role));
  if (grants.length === 0) throw new DomainError('FORBIDDEN');
  if (query.from && query.to && query.from > query.to) {
    throw new DomainError('VALIDATION_FAILED', {}, [fieldProblem('to', '结束日期不能早于开始日期', 'must not be before from')]);
  }
  const l = schema.auditLog;
  const u = schema.users;
  const o = schema.organisations;
  const where = and(
    sql`${l.organisationId} in (select id from ${o} where ${organisationsReachedBy(grants)})`,
    query.actorId ? eq(l.actorId, query.actorId) : undefined,
    query.actorPhone ? sql`${l.actorId} = (select id from ${u} where ${u.phone} = ${query.actorPhone})` : undefined,
    query.organisationId ? eq(l.organisationId, query.organisationId) : undefined,
    query.action ? like(l.action, `${query.action.replace(/[\\%_]/g, (c) => `\\${c}`)}%`) : undefined,
    query.from ? gte(l.at, localTimeToInstant(query.from, '00:00', ZONE)) : undefined,
    query.to ? lt(l.at, localTimeToInstant(addDays(query.to, 1), '00:00', ZONE)) : undefined,
  );
  const [rows, [total]] = await Promise.all([
    db
      .select({ entry: l, actorName: u.displayName, actorPhone: u.phone, organisationName: o.name })
      .from(l)
      .leftJoin(u, eq(u.id, l.actorId))
      .leftJoin(o, eq(o.id, l.organisationId))
      .where(where)
      .orderBy(desc(l.at), desc(l.id))
      .limit(query.pageSize)
      .offset((query.page - 1) * query.pageSize),
    db.select({ n: count() }).from(l).where(where),
  ]);
  return {
    items: rows.map(({ entry, actorName, actorPhone, organisationName }) => ({
      id: entry.id,
      at: entry.at.toISOString(),
      actor: entry.actorId && actorName && actorPhone ? { id: entry.actorId, name: actorName, phone: maskPhone(actorPhone) } : null,
      organisation: entry.organisationId && organisationName ? { id: entry.organisationId, name: organisationName } : null,
      action: entry.action,
      targetType: entry.targetType,
      targetId: entry.targetId,
      detail: entry.detail as Record<string, unknown>,
      requestId: entry.requestId,
    })),
    page: query.page,
    pageSize: query.pageSize,
    total: total?.n ?? 0,
  };
}
