import { and, desc, eq, isNull } from 'drizzle-orm';
import type { Notification } from '@sports/contracts';
import { schema, type Db, type Queryable } from '@sports/db';
import { DomainError } from '../shared/errors.ts';

/** Text messages. The default writes to the log; a provider's sender implements the same. */
export interface SmsSender {
  send(phone: string, text: string): Promise<void>;
}

export function loggingSmsSender(log: (entry: object, message: string) => void): SmsSender {
  return {
    async send(phone, text) {
      log({ phone: `${phone.slice(0, 3)}****${phone.slice(7)}`, text }, 'sms (log sender)');
    },
  };
}

export interface NotificationInput {
  userId: string;
  kind: string;
  title: string;
  body: string;
  data?: Record<string, unknown>;
}

/** Puts messages in people's in-app inbox, in the caller's transaction. */
export async function notify(tx: Queryable, messages: NotificationInput[]): Promise<void> {
  if (messages.length === 0) return;
  await tx.insert(schema.notifications).values(messages.map((m) => ({ ...m, data: m.data ?? {} })));
}

export async function listNotifications(db: Db, userId: string, limit = 50): Promise<Notification[]> {
  const n = schema.notifications;
  const rows = await db.select().from(n).where(eq(n.userId, userId)).orderBy(desc(n.createdAt)).limit(limit);
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    title: r.title,
    body: r.body,
    data: r.data as Record<string, unknown>,
    readAt: r.readAt?.toISOString() ?? null,
    createdAt: r.createdAt.toISOString(),
  }));
}

/**
 * Marks one of the person's notifications read (again: nothing changes). Another person's, or one
 * that does not exist, is not found: the same answer for both, so it tells nothing about others.
 */
export async function markNotificationRead(db: Db, userId: string, id: string): Promise<void> {
  const n = schema.notifications;
  const marked = await db
    .update(n)
    .set({ readAt: new Date() })
    .where(and(eq(n.id, id), eq(n.userId, userId), isNull(n.readAt)))
    .returning({ id: n.id });
  if (marked.length > 0) return;
  const [mine] = await db.select({ id: n.id }).from(n).where(and(eq(n.id, id), eq(n.userId, userId)));
  if (!mine) throw new DomainError('NOT_FOUND');
}
