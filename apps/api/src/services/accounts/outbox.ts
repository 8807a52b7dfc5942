import { and, asc, eq, inArray, lte, sql } from 'drizzle-orm';
import type { Locale } from '@sports/contracts';
import { schema, type Db, type Queryable } from '@sports/db';
import { renderNotification, type NotificationKind, type NotificationParamsOf } from './notification-texts.ts';
import type { SmsSender } from './sms-senders.ts';

const o = schema.outbox;

/** One message to leave the platform: written with the change that causes it, sent after that commits. */
export type OutgoingMessage = {
  [K in NotificationKind]: { channel: 'sms'; recipient: string; kind: K; params: NotificationParamsOf[K]; locale: Locale };
}[NotificationKind];

/** Puts messages in the outbox, in the caller's transaction: rolled back with it, nothing is sent. */
export async function enqueueMessages(tx: Queryable, messages: OutgoingMessage[], now: Date): Promise<void> {
  if (messages.length === 0) return;
  await tx.insert(o).values(messages.map((m) => ({ ...m, status: 'pending', nextAttemptAt: now, createdAt: now })));
}

/** Waits before the 2nd, 3rd and 4th attempt; after the 4th fails the message is failed. */
export const RETRY_BACKOFF_MINUTES = [1, 5, 30] as const;
/** A claimed message is not claimed again for this long (longer than any sender waits for an answer). */
export const CLAIM_LEASE_MS = 2 * 60_000;
const BATCH = 50;

export interface OutboxSenders {
  sms: SmsSender;
}

export interface OutboxSweepReport {
  sent: number;
  retried: number;
  failed: number;
}

/** A locale the catalogue speaks, from a stored one. */
function localeOf(value: string): Locale {
  return value === 'en' ? 'en' : 'zh-CN';
}

/**
 * Sends what is due. Rows are claimed with `FOR UPDATE SKIP LOCKED` in one statement that also counts
 * the attempt and pushes the next one a lease ahead, so with several API instances each message is
 * taken by one of them; the claim commits before anything is sent (no transaction is held open while
 * a provider answers). Then each is sent and marked: sent (with the text and when), or retried after
 * 1, 5 and 30 minutes, then failed, with the last error kept. A process that dies mid-send leaves the
 * message to be retried when its lease runs out: delivery is at least once, and the id goes to the
 * provider so it can drop a repeat.
 */
export async function runOutboxSweep(db: Db, senders: OutboxSenders, now: Date, limit = BATCH): Promise<OutboxSweepReport> {
  const due = db
    .select({ id: o.id })
    .from(o)
    .where(and(eq(o.status, 'pending'), lte(o.nextAttemptAt, now)))
    .orderBy(asc(o.nextAttemptAt), asc(o.createdAt))
    .limit(limit)
    .for('update', { skipLocked: true });
  const claimed = await db
    .update(o)
    .set({ attempts: sql`${o.attempts} + 1`, nextAttemptAt: new Date(now.getTime() + CLAIM_LEASE_MS) })
    .where(inArray(o.id, due))
    .returning();
  const report: OutboxSweepReport = { sent: 0, retried: 0, failed: 0 };
  for (const message of claimed.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime())) {
    const mine = and(eq(o.id, message.id), eq(o.status, 'pending'), eq(o.attempts, message.attempts));
    const text = renderNotification(message.kind, message.params, localeOf(message.locale))?.body;
    if (text === undefined) {
      await db.update(o).set({ status: 'failed', lastError: `no text for kind ${message.kind}` }).where(mine);
      report.failed += 1;
      continue;
    }
    try {
      await senders.sms.send(message.recipient, text, { id: message.id, kind: message.kind });
    } catch (err) {
      const wait = RETRY_BACKOFF_MINUTES[message.attempts - 1];
      const lastError = (err instanceof Error ? err.message : String(err)).slice(0, 500);
      if (wait === undefined) {
        await db.update(o).set({ status: 'failed', lastError }).where(mine);
        report.failed += 1;
      } else {
        await db.update(o).set({ lastError, nextAttemptAt: new Date(now.getTime() + wait * 60_000) }).where(mine);
        report.retried += 1;
      }
      continue;
    }
    await db.update(o).set({ status: 'sent', sentAt: now, sentText: text }).where(mine);
    report.sent += 1;
  }
  return report;
}
