import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { openDatabase, schema, type Database } from '@sports/db';
import { enqueueMessages, runOutboxSweep } from '../src/services/accounts/outbox.ts';
import { startCluster, type Cluster } from './support/cluster.ts';

/**
 * Two API processes sweeping the outbox at once: a message whose row another process holds is
 * skipped (`FOR UPDATE SKIP LOCKED`), not waited for and not sent twice. It needs two connections at
 * once, which the embedded PGlite does not have, so it runs here, on a PostgreSQL cluster of its own.
 */

const NOW = new Date('2026-11-24T10:00:00+08:00');
let cluster: Cluster;
let database: Database;

beforeAll(async () => {
  cluster = await startCluster();
  database = await openDatabase({ url: cluster.url(), poolSize: 4 });
  await database.migrate();
});
afterAll(async () => {
  await database?.close();
  await cluster?.destroy();
});

const message = (recipient: string) => ({
  channel: 'sms' as const,
  recipient,
  kind: 'reservation.reminder' as const,
  params: { venue: '金水羽毛球馆', startsAt: '2026-11-24T06:00:00.000Z', timeZone: 'Asia/Shanghai', code: `C${recipient.slice(-4)}` },
  locale: 'zh-CN' as const,
});

describe('the outbox with two processes', () => {
  it('skips a message another process has claimed, without waiting for it, and sends it once that one lets go', async () => {
    const db = database.db;
    await enqueueMessages(db, [message('13800000003'), message('13800000004')], NOW);
    const [first, second] = await db.select().from(schema.outbox).orderBy(schema.outbox.createdAt, schema.outbox.recipient);
    const sent: string[] = [];
    const sms = { send: async (phone: string) => void sent.push(phone) };
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let locked!: () => void;
    const isLocked = new Promise<void>((resolve) => (locked = resolve));
    const holder = db.transaction(async (tx) => {
      await tx.execute(sql`select id from outbox where id = ${first!.id} for update`);
      locked();
      await held;
    });
    await isLocked;
    const report = await runOutboxSweep(db, { sms }, NOW);
    release();
    await holder;
    expect(report.sent).toBe(1);
    expect(sent).toEqual([second!.recipient]);
    expect((await runOutboxSweep(db, { sms }, NOW)).sent).toBe(1);
    expect(sent.sort()).toEqual(['13800000003', '13800000004']);
  });
});
