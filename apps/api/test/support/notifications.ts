import type { SQL } from 'drizzle-orm';
import type { Locale } from '@sports/contracts';
import { schema, type Db } from '@sports/db';
import { renderNotification } from '../../src/services/accounts/notification-texts.ts';

/** Stored notifications (in insertion order) with their title and body as a reader in `locale` sees them. */
export async function renderedNotifications(db: Db, where?: SQL, locale: Locale = 'zh-CN') {
  const n = schema.notifications;
  const rows = await (where ? db.select().from(n).where(where) : db.select().from(n));
  return rows.map((row) => {
    const text = row.title !== null && row.body !== null ? { title: row.title, body: row.body } : renderNotification(row.kind, row.params, locale);
    if (!text) throw new Error(`notification ${row.id} of kind ${row.kind} cannot be rendered`);
    return { ...row, title: text.title, body: text.body };
  });
}
