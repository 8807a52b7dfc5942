import { and, desc, eq, isNull } from 'drizzle-orm';
import type { Locale, Notification } from '@sports/contracts';
import { schema, type Db, type Queryable } from '@sports/db';
import { DomainError } from '../shared/errors.ts';
import { renderNotification, type NotificationKind, type NotificationParamsOf } from './notification-texts.ts';

/** One message to one person: its kind and the facts it tells, in no language; `data` is what the web links by (ids). */
export type NotificationInput = {
  [K in NotificationKind]: { userId: string; kind: K; params: NotificationParamsOf[K]; data?: Record<string, unknown> };
}[NotificationKind];

/** Puts messages in people's in-app inbox, in the caller's transaction. */
export async function notify(tx: Queryable, messages: NotificationInput[]): Promise<void> {
  if (messages.length === 0) return;
  await tx.insert(schema.notifications).values(messages.map((m) => ({ userId: m.userId, kind: m.kind, params: m.params, data: m.data ?? {} })));
}

/**
 * The person's inbox, newest first, each message in the reader's language. A row written before
 * messages were stored as kind + parameters (its title and body stored) is shown as stored; one whose
 * kind the catalogue does not know shows its kind as its title.
 */
export async function listNotifications(db: Db, userId: string, locale: Locale = 'zh-CN', limit = 50): Promise<Notification[]> {
  const n = schema.notifications;
  const rows = await db.select().from(n).where(eq(n.userId, userId)).orderBy(desc(n.createdAt)).limit(limit);
  return rows.map((r) => {
    const text = r.title !== null && r.body !== null ? { title: r.title, body: r.body } : (renderNotification(r.kind, r.params, locale) ?? { title: r.title ?? r.kind, body: r.body ?? '' });
    return {
      id: r.id,
      kind: r.kind,
      title: text.title,
      body: text.body,
      data: r.data as Record<string, unknown>,
      readAt: r.readAt?.toISOString() ?? null,
      createdAt: r.createdAt.toISOString(),
    };
  });
}

/**
 * Marks one of the person's notifications read (again: nothing changes). Another person's, or one
 * that does not exist, is not found: the same answer for both, so it tells nothing about others.
 */
export async function markNotificationRead(db: Db, userId: string, id: string, now: Date): Promise<void> {
  const n = schema.notifications;
  const marked = await db
    .update(n)
    .set({ readAt: now })
    .where(and(eq(n.id, id), eq(n.userId, userId), isNull(n.readAt)))
    .returning({ id: n.id });
  if (marked.length > 0) return;
  const [mine] = await db.select({ id: n.id }).from(n).where(and(eq(n.id, id), eq(n.userId, userId)));
  if (!mine) throw new DomainError('NOT_FOUND');
}
