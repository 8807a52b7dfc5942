import { schema, type Queryable } from '@sports/db';
import type { Actor } from './actor.ts';

export interface AuditEntry {
  action: string;
  targetType: string;
  targetId: string;
  organisationId?: string | null;
  detail?: Record<string, unknown>;
}

/** Appends to the audit log inside the caller's transaction, so the record and the change land together. */
export async function recordAudit(tx: Queryable, actor: Actor, entry: AuditEntry): Promise<void> {
  await tx.insert(schema.auditLog).values({
    actorId: actor.userId,
    organisationId: entry.organisationId ?? null,
    action: entry.action,
    targetType: entry.targetType,
    targetId: entry.targetId,
    detail: entry.detail ?? {},
    requestId: actor.requestId,
  });
}
