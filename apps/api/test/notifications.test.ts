import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { schema, type Db } from '@sports/db';
import { ASSET_CATALOGUE, TICKET_MOVES } from '@sports/domain';
import { loadConfig } from '../src/config.ts';
import { notify } from '../src/services/accounts/notifications.ts';
import { NOTIFICATION_TEXTS, renderNotification, type NotificationKind, type NotificationParamsOf } from '../src/services/accounts/notification-texts.ts';
import { enqueueMessages, runOutboxSweep, RETRY_BACKOFF_MINUTES } from '../src/services/accounts/outbox.ts';
import { httpSmsSender, loggingSmsSender, smsSenderFor, type SmsSender } from '../src/services/accounts/sms-senders.ts';
import { runBookingSweep } from '../src/services/booking/booking-sweeps.ts';
import { createTestApp, type TestApp } from './support/app.ts';
import { JINSHUI, ZHENGZHOU, insertCityFixture, insertUser } from './support/fixtures.ts';

const CJK = /[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]/;

/** Tuesday 2026-11-24 12:30 in Zhengzhou. */
const NOW = new Date('2026-11-24T12:30:00+08:00');
let t: TestApp;
let db: Db;
let venueId: string;
let courtId: string;
let codeCounter = 0;

async function person() {
  const user = await insertUser(db);
  return { ...user, token: `Bearer ${t.app.jwt.sign({ sub: user.id })}` };
}

beforeAll(async () => {
  t = await createTestApp({}, () => NOW);
  db = t.database.db;
  const orgs = await insertCityFixture(db);
  const [venue] = await db
    .insert(schema.venues)
    .values({ kind: 'gym', cityCode: ZHENGZHOU, districtCode: JINSHUI, lat: 34.78, lng: 113.66, priceLevel: 'paid', holidayRule: 'closed', name: '金水羽毛球馆', organisationId: orgs.venueCo.id })
    .returning();
  venueId = venue!.id;
  const [court] = await db
    .insert(schema.venueResources)
    .values({ venueId, name: '1号场', sport: 'badminton', mode: 'exclusive' })
    .returning({ id: schema.venueResources.id });
  courtId = court!.id;
});
afterAll(() => t.close());

/**
 * Parameters for every kind (a kind added to the catalogue without an example here is a type error),
 * with ASCII names so that an English text showing any Chinese is a template that forgot English.
 */
const EXAMPLES: { [K in NotificationKind]: NotificationParamsOf[K][] } = {
  ticket: [
    ...TICKET_MOVES.map((move) => ({ code: 'RT-ABCD', move })),
    { code: 'RT-ABCD', move: 'hold', note: 'waiting for parts' },
    { code: 'RT-ABCD', move: 'close', auto: true },
    { code: 'RT-ABCD', note: 'technician on the way' },
  ],
  ticket_escalated: [{ code: 'RT-ABCD' }],
  'ticket.new': Object.entries(ASSET_CATALOGUE).flatMap(([category, entry]) =>
    entry.faults.map((f) => ({ code: 'RT-ABCD', category: category as keyof typeof ASSET_CATALOGUE, fault: f.key, description: 'loose bolt' })),
  ),
  'ticket.update': [{ code: 'RT-ABCD', text: 'the left pedal too' }],
  'reservation.cancelled_by_venue': [
    { cause: 'staff', venue: 'Jinshui Hall', resource: 'Court 1', startsAt: '2026-11-25T11:00:00.000Z', timeZone: 'Asia/Shanghai', reason: 'lights' },
    { cause: 'block', venue: 'Jinshui Hall', startsAt: '2026-11-25T11:00:00.000Z', timeZone: 'Asia/Shanghai', reason: 'floor care' },
    { cause: 'repair', venue: 'Jinshui Hall', startsAt: '2026-11-25T11:00:00.000Z', timeZone: 'Asia/Shanghai', asset: 'Hoop 1' },
    { cause: 'resource_closed', venue: 'Jinshui Hall', resource: 'Court 3', startsAt: '2026-11-25T11:00:00.000Z', timeZone: 'Asia/Shanghai' },
  ],
  'booking.suspended': [{ until: '2026-12-24T02:00:00.000Z', timeZone: 'Asia/Shanghai', cityCode: ZHENGZHOU, windowDays: 60, count: 3, limit: 3 }],
  'reservation.reminder': [{ venue: 'Jinshui Hall', startsAt: '2026-11-24T06:00:00.000Z', timeZone: 'Asia/Shanghai', code: 'AB12CD34' }],
  'school.session_closed': [{ venue: 'No. 1 School', startsAt: '2026-11-25T10:00:00.000Z', timeZone: 'Asia/Shanghai', reason: 'rain' }],
};

describe('the catalogue of messages', () => {
  it('has every kind in Chinese and in English, each rendering every example', () => {
    const kinds = Object.keys(NOTIFICATION_TEXTS).sort();
    expect(kinds).toEqual(Object.keys(EXAMPLES).sort());
    for (const kind of kinds as NotificationKind[]) {
      expect(Object.keys(NOTIFICATION_TEXTS[kind]).sort(), kind).toEqual(['en', 'zh-CN']);
      expect(EXAMPLES[kind].length, kind).toBeGreaterThan(0);
      for (const params of EXAMPLES[kind]) {
        const zh = renderNotification(kind, params, 'zh-CN');
        const en = renderNotification(kind, params, 'en');
        const label = `${kind} ${JSON.stringify(params)}`;
        expect(zh?.title, label).toMatch(CJK);
        // A body may be only what staff typed (a note), so only the title is sure to be Chinese.
        expect(zh?.body, label).toBeTruthy();
        expect(en?.title, label).toBeTruthy();
        expect(en?.body, label).toBeTruthy();
        expect(`${en!.title} ${en!.body}`, label).not.toMatch(CJK);
      }
    }
  });

  it('gives every ticket move its own title in both languages', () => {
    for (const locale of ['zh-CN', 'en'] as const) {
      const titles = TICKET_MOVES.map((move) => renderNotification('ticket', { code: 'X', move }, locale)!.title);
      expect(new Set(titles).size, locale).toBe(TICKET_MOVES.length);
    }
  });

  it('formats times on the clock of the place, in the reader’s language', () => {
    const params = { venue: 'V', startsAt: '2026-11-24T06:00:00.000Z', timeZone: 'Asia/Shanghai', code: 'C' };
    expect(renderNotification('reservation.reminder', params, 'zh-CN')!.body).toContain('14:00');
    expect(renderNotification('reservation.reminder', params, 'en')!.body).toContain('14:00');
    const inUrumqi = renderNotification('reservation.reminder', { ...params, timeZone: 'Asia/Urumqi' }, 'en')!.body;
    expect(inUrumqi).toContain('12:00');
  });

  it('renders nothing for a kind it does not know or parameters it cannot use', () => {
    expect(renderNotification('no.such.kind', {}, 'en')).toBeUndefined();
    expect(renderNotification('reservation.reminder', { startsAt: 'not a time' }, 'en')).toBeUndefined();
    expect(renderNotification('ticket', null, 'en')).toBeUndefined();
  });
});

describe('the inbox, in the reader’s language', () => {
  const inbox = (token: string, acceptLanguage?: string) => {
    const req = t.http().get('/api/v1/me/notifications').set('authorization', token);
    return acceptLanguage ? req.set('accept-language', acceptLanguage) : req;
  };

  it('stores kind and parameters only, and shows one message in Chinese or English as asked', async () => {
    const reader = await person();
    await notify(db, [
      {
        userId: reader.id,
        kind: 'school.session_closed',
        params: { venue: '金水羽毛球馆', startsAt: '2026-11-25T10:00:00.000Z', timeZone: 'Asia/Shanghai', reason: '下雨' },
        data: { sessionId: 'x' },
      },
    ]);
    const [row] = await db.select().from(schema.notifications).where(eq(schema.notifications.userId, reader.id));
    expect(row).toMatchObject({ kind: 'school.session_closed', title: null, body: null, data: { sessionId: 'x' } });

    const zh = await inbox(reader.token, 'zh-CN,zh;q=0.9');
    expect(zh.status).toBe(200);
    expect(zh.body).toEqual([
      expect.objectContaining({
        kind: 'school.session_closed',
        title: '校园场地开放场次已关闭',
        body: '金水羽毛球馆 2026年11月25日 18:00 的开放场次因“下雨”关闭，您的报名已取消，不计违约。',
        data: { sessionId: 'x' },
      }),
    ]);
    const en = await inbox(reader.token, 'en-US,en;q=0.9,zh;q=0.5');
    expect(en.body[0]).toMatchObject({
      title: 'School opening session closed',
      body: 'The opening session at 金水羽毛球馆 on 25 Nov 2026, 18:00 was closed (“下雨”): your registration is cancelled, without penalty.',
    });
    expect((await inbox(reader.token)).body[0].title).toBe('校园场地开放场次已关闭');
  });

  it('shows a message written before the change as stored, and one of an unknown kind by its kind', async () => {
    const reader = await person();
    await db.insert(schema.notifications).values([
      { userId: reader.id, kind: 'ticket', title: '报修进展', body: '已受理', createdAt: new Date('2026-01-01T00:00:00Z') },
      { userId: reader.id, kind: 'something.newer', params: { n: 1 }, createdAt: new Date('2026-01-02T00:00:00Z') },
    ]);
    for (const language of ['zh-CN', 'en']) {
      const res = await inbox(reader.token, language);
      expect(res.body.map((n: { title: string; body: string }) => [n.title, n.body])).toEqual([
        ['something.newer', ''],
        ['报修进展', '已受理'],
      ]);
    }
  });
});

async function bookingSoon(userId: string, startLocal: string) {
  const start = new Date(`${startLocal}+08:00`);
  const [row] = await db
    .insert(schema.reservations)
    .values({
      code: `RM${String(++codeCounter).padStart(6, '0')}`,
      resourceId: courtId,
      venueId,
      userId,
      during: `[${start.toISOString()},${new Date(start.getTime() + 3_600_000).toISOString()})`,
      sport: 'badminton',
    })
    .returning({ id: schema.reservations.id, code: schema.reservations.code });
  return row!;
}

const outboxRows = () => db.select().from(schema.outbox).orderBy(schema.outbox.createdAt, schema.outbox.id);

async function clearOutbox() {
  await db.delete(schema.outbox);
}

describe('the booking reminder goes through the outbox', () => {
  it('is written in the sweep’s transaction: a rolled-back sweep leaves no message, a committed one leaves one', async () => {
    await clearOutbox();
    const resident = await person();
    await db.update(schema.users).set({ locale: 'en' }).where(eq(schema.users.id, resident.id));
    const booking = await bookingSoon(resident.id, '2026-11-24T14:00:00');
    // The same sweep, on a database whose transactions fail as they would commit.
    const rollingBack = Object.create(db, {
      transaction: { value: (run: (tx: unknown) => Promise<unknown>) => db.transaction(async (tx) => { await run(tx); throw new Error('rolled back'); }) },
    }) as Db;
    await expect(runBookingSweep(rollingBack, NOW)).rejects.toThrow('rolled back');
    expect(await outboxRows()).toEqual([]);
    const [untouched] = await db.select({ at: schema.reservations.reminderSentAt }).from(schema.reservations).where(eq(schema.reservations.id, booking.id));
    expect(untouched!.at).toBeNull();
    expect(await db.select().from(schema.notifications).where(eq(schema.notifications.userId, resident.id))).toEqual([]);

    const report = await runBookingSweep(db, NOW);
    expect(report!.reminded).toBe(1);
    const rows = await outboxRows();
    expect(rows).toEqual([
      expect.objectContaining({
        channel: 'sms',
        recipient: resident.phone,
        kind: 'reservation.reminder',
        params: { venue: '金水羽毛球馆', startsAt: new Date('2026-11-24T14:00:00+08:00').toISOString(), timeZone: 'Asia/Shanghai', code: booking.code },
        locale: 'en',
        status: 'pending',
        attempts: 0,
        nextAttemptAt: NOW,
        sentAt: null,
        sentText: null,
      }),
    ]);
    // Nothing was sent by the booking sweep itself; the outbox sweep sends it, in the resident's language.
    const sent: string[] = [];
    expect(await runOutboxSweep(db, { sms: { send: async (phone, text) => void sent.push(`${phone}|${text}`) } }, NOW)).toEqual({ sent: 1, retried: 0, failed: 0 });
    expect(sent).toEqual([`${resident.phone}|[Sports venue booking] Your booking at 金水羽毛球馆 starts today at 14:00. Show booking code ${booking.code} to enter.`]);
    const inbox = await t.http().get('/api/v1/me/notifications').set('authorization', resident.token).set('accept-language', 'zh-CN');
    expect(inbox.body[0]).toMatchObject({
      kind: 'reservation.reminder',
      title: '预约即将开始',
      body: `【体育场馆预约】您预约的金水羽毛球馆将于今天 14:00 开始，请凭预约码 ${booking.code} 入场。`,
      data: { reservationId: booking.id },
    });
    expect((await runBookingSweep(db, NOW))!.reminded).toBe(0);
    expect(await outboxRows()).toHaveLength(1);
  });
});

const message = (recipient: string, code = `C${++codeCounter}`) => ({
  channel: 'sms' as const,
  recipient,
  kind: 'reservation.reminder' as const,
  params: { venue: '金水羽毛球馆', startsAt: '2026-11-24T06:00:00.000Z', timeZone: 'Asia/Shanghai', code },
  locale: 'zh-CN' as const,
});
const later = (minutes: number) => new Date(NOW.getTime() + minutes * 60_000);

describe('the outbox sweep', () => {
  it('retries after 1 and 5 minutes: failing twice then succeeding leaves attempts 3, sent, and what was sent', async () => {
    await clearOutbox();
    await enqueueMessages(db, [message('13800000001', 'RETRY001')], NOW);
    let calls = 0;
    const flaky: SmsSender = {
      async send() {
        calls += 1;
        if (calls <= 2) throw new Error(`gateway down (${calls})`);
      },
    };
    expect(await runOutboxSweep(db, { sms: flaky }, NOW)).toEqual({ sent: 0, retried: 1, failed: 0 });
    expect((await outboxRows())[0]).toMatchObject({ status: 'pending', attempts: 1, lastError: 'gateway down (1)', nextAttemptAt: later(RETRY_BACKOFF_MINUTES[0]) });
    // Not due yet: nothing is tried.
    expect(await runOutboxSweep(db, { sms: flaky }, later(0.5))).toEqual({ sent: 0, retried: 0, failed: 0 });
    expect(await runOutboxSweep(db, { sms: flaky }, later(1))).toEqual({ sent: 0, retried: 1, failed: 0 });
    expect((await outboxRows())[0]).toMatchObject({ attempts: 2, lastError: 'gateway down (2)', nextAttemptAt: later(1 + RETRY_BACKOFF_MINUTES[1]) });
    expect(await runOutboxSweep(db, { sms: flaky }, later(5))).toEqual({ sent: 0, retried: 0, failed: 0 });
    expect(await runOutboxSweep(db, { sms: flaky }, later(6))).toEqual({ sent: 1, retried: 0, failed: 0 });
    expect(calls).toBe(3);
    expect((await outboxRows())[0]).toMatchObject({
      status: 'sent',
      attempts: 3,
      sentAt: later(6),
      sentText: '【体育场馆预约】您预约的金水羽毛球馆将于今天 14:00 开始，请凭预约码 RETRY001 入场。',
    });
    expect(await runOutboxSweep(db, { sms: flaky }, later(60))).toEqual({ sent: 0, retried: 0, failed: 0 });
    expect(calls).toBe(3);
  });

  it('gives up after the retries at 1, 5 and 30 minutes: four attempts, then failed with the last error', async () => {
    await clearOutbox();
    await enqueueMessages(db, [message('13800000002')], NOW);
    const down: SmsSender = { send: async () => Promise.reject(new Error('503 from gateway')) };
    let at = NOW;
    const reports = [];
    for (let attempt = 0; attempt < 4; attempt++) {
      reports.push(await runOutboxSweep(db, { sms: down }, at));
      const [row] = await outboxRows();
      at = row!.nextAttemptAt;
    }
    expect(reports.map((r) => [r.retried, r.failed])).toEqual([[1, 0], [1, 0], [1, 0], [0, 1]]);
    expect((await outboxRows())[0]).toMatchObject({ status: 'failed', attempts: 4, lastError: '503 from gateway', sentAt: null, sentText: null });
    expect(await runOutboxSweep(db, { sms: down }, later(24 * 60))).toEqual({ sent: 0, retried: 0, failed: 0 });
  });

  it('two sweeps at once send each message once', async () => {
    await clearOutbox();
    const messages = Array.from({ length: 40 }, (_, i) => message(`138000010${String(i).padStart(2, '0')}`));
    await enqueueMessages(db, messages, NOW);
    const sends = new Map<string, number>();
    const slow: SmsSender = {
      async send(_phone, _text, meta) {
        await new Promise((resolve) => setTimeout(resolve, 3));
        sends.set(meta!.id, (sends.get(meta!.id) ?? 0) + 1);
      },
    };
    const sweeper = async () => {
      let sent = 0;
      for (let round = 0; round < 20; round++) {
        const report = await runOutboxSweep(db, { sms: slow }, NOW, 4);
        if (report.sent === 0) break;
        sent += report.sent;
      }
      return sent;
    };
    const [a, b] = await Promise.all([sweeper(), sweeper()]);
    expect(a + b).toBe(40);
    expect(sends.size).toBe(40);
    expect([...sends.values()].every((n) => n === 1)).toBe(true);
    const rows = await outboxRows();
    expect(rows.every((r) => r.status === 'sent' && r.attempts === 1)).toBe(true);
  });
});

describe('the senders', () => {
  it('the log sender masks the phone', async () => {
    const lines: [object, string][] = [];
    await loggingSmsSender((entry, text) => void lines.push([entry, text])).send('13812345678', '你好', { id: 'm1', kind: 'k' });
    expect(lines).toEqual([[{ phone: '138****5678', text: '你好', outboxId: 'm1', kind: 'k' }, 'sms (log sender)']]);
  });

  it('the http sender posts JSON to the configured URL; an answer other than 2xx is retried', async () => {
    const received: { headers: IncomingMessage['headers']; body: unknown; url: string | undefined; method: string | undefined }[] = [];
    let status = 500;
    const server = createServer((req, res) => {
      let raw = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => (raw += chunk));
      req.on('end', () => {
        received.push({ headers: req.headers, body: JSON.parse(raw), url: req.url, method: req.method });
        res.writeHead(status, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/sms`;
      const config = loadConfig({ NODE_ENV: 'test', SMS_SENDER: 'http', SMS_HTTP_URL: url }, false);
      const sender = smsSenderFor(config, () => {});
      await clearOutbox();
      await enqueueMessages(db, [message('13812345678', 'HTTP0001')], NOW);
      expect(await runOutboxSweep(db, { sms: sender }, NOW)).toEqual({ sent: 0, retried: 1, failed: 0 });
      expect((await outboxRows())[0]!.lastError).toBe('SMS gateway answered 500');
      status = 200;
      expect(await runOutboxSweep(db, { sms: sender }, later(1))).toEqual({ sent: 1, retried: 0, failed: 0 });
      const [row] = await outboxRows();
      expect(received).toHaveLength(2);
      for (const r of received) {
        expect(r).toMatchObject({ method: 'POST', url: '/sms' });
        expect(r.headers['content-type']).toBe('application/json');
        expect(r.headers['idempotency-key']).toBe(row!.id);
        expect(r.body).toEqual({ id: row!.id, to: '13812345678', kind: 'reservation.reminder', text: '【体育场馆预约】您预约的金水羽毛球馆将于今天 14:00 开始，请凭预约码 HTTP0001 入场。' });
      }
      expect(row).toMatchObject({ status: 'sent', attempts: 2 });
      await expect(httpSmsSender(url).send('13812345678', 'x')).resolves.toBeUndefined();
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('is the log sender unless configured, and http needs its URL', () => {
    expect(loadConfig({ NODE_ENV: 'test' }, false).SMS_SENDER).toBe('log');
    expect(() => loadConfig({ NODE_ENV: 'test', SMS_SENDER: 'http' }, false)).toThrow(/SMS_HTTP_URL/);
    expect(() => loadConfig({ NODE_ENV: 'test', SMS_SENDER: 'carrier-pigeon' }, false)).toThrow();
    const lines: unknown[] = [];
    void smsSenderFor({ SMS_SENDER: 'log' }, (entry) => void lines.push(entry)).send('13812345678', 'hi');
    expect(lines).toEqual([{ phone: '138****5678', text: 'hi' }]);
  });
});
