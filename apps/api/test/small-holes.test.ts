import sharp from 'sharp';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { count, eq } from 'drizzle-orm';
import { schema } from '@sports/db';
import { MAX_BLOCK_DAYS } from '@sports/domain';
import { MAX_CONCURRENT_DECODES, MAX_IMAGE_PIXELS, limitConcurrency } from '../src/services/venues/photos.ts';
import { createTestApp, type TestApp } from './support/app.ts';
import { JINSHUI, PASSWORD, ZHENGZHOU, bearerFor, freshPhone, insertCityFixture, insertUser } from './support/fixtures.ts';

/** Issue 12 #7: blocks without bounds, tokens after sign-out, guessable passwords, cached private answers, image bombs. */
const NOW = new Date('2026-11-24T10:00:00+08:00');
let t: TestApp;
let orgs: Awaited<ReturnType<typeof insertCityFixture>>;
const ids = {} as Record<'venue' | 'court', string>;
let operator: { id: string; phone: string; token: string };
let resident: { id: string; phone: string; token: string };
const at = (local: string) => new Date(`${local}+08:00`).toISOString();
let keyCounter = 0;

beforeAll(async () => {
  t = await createTestApp({}, () => NOW);
  const db = t.database.db;
  orgs = await insertCityFixture(db);
  const [venue] = await db
    .insert(schema.venues)
    .values({
      kind: 'gym',
      cityCode: ZHENGZHOU,
      districtCode: JINSHUI,
      lat: 34.78,
      lng: 113.66,
      priceLevel: 'paid',
      name: '漏洞测试馆',
      organisationId: orgs.venueCo.id,
      weeklyHours: Object.fromEntries([1, 2, 3, 4, 5, 6, 7].map((d) => [d, [{ start: '08:00', end: '22:00' }]])),
      bookingSettings: { slotMinutes: 60, maxSlots: 2, windowDays: 7, releaseTime: '12:00', cancelHours: 2, defaultPriceFen: 0, bands: [] },
    })
    .returning();
  ids.venue = venue!.id;
  const [court] = await db
    .insert(schema.venueResources)
    .values({ venueId: venue!.id, name: '1号场', sport: 'badminton', mode: 'exclusive' })
    .returning({ id: schema.venueResources.id });
  ids.court = court!.id;
  const op = await insertUser(db, [{ role: 'operator', organisationId: orgs.venueCo.id }]);
  operator = { ...op, token: await bearerFor(t.app, op.phone) };
  const res = await insertUser(db);
  resident = { ...res, token: await bearerFor(t.app, res.phone) };
});
afterAll(() => t.close());

function book(token: string, start: string, end: string) {
  return t
    .http()
    .post('/api/v1/reservations')
    .set('authorization', token)
    .set('idempotency-key', `small-holes-key-${++keyCounter}`)
    .send({ resourceId: ids.court, start: at(start), end: at(end) });
}

const block = (start: string, end: string) =>
  t.http().post(`/api/v1/venues/${ids.venue}/blocks`).set('authorization', operator.token).send({ resourceIds: [ids.court], start, end, reason: '全年维护' });

const statusOf = async (id: string) =>
  (await t.database.db.select({ status: schema.reservations.status }).from(schema.reservations).where(eq(schema.reservations.id, id)))[0]!.status;

describe('blocking courts', () => {
  it('refuses a block over all time, one from the past and one longer than the cap, and cancels nothing', async () => {
    const booking = await book(resident.token, '2026-11-26T09:00:00', '2026-11-26T10:00:00');
    expect(booking.status, JSON.stringify(booking.body)).toBe(201);

    const forever = await block('0001-01-01T00:00:00Z', '9999-12-31T00:00:00Z');
    expect([400, 422]).toContain(forever.status);
    const fromYesterday = await block(at('2026-11-23T00:00:00'), at('2026-11-27T00:00:00'));
    expect(fromYesterday.status).toBe(422);
    expect(fromYesterday.body.code).toBe('BLOCK_STARTS_IN_PAST');
    const tooLong = await block(at('2026-11-25T00:00:00'), new Date(Date.parse(at('2026-11-25T00:00:00')) + (MAX_BLOCK_DAYS + 1) * 86_400_000).toISOString());
    expect(tooLong.status).toBe(422);
    expect(tooLong.body.code).toBe('BLOCK_TOO_LONG');
    expect(tooLong.body.detail).toBe(`一次锁定最长 ${MAX_BLOCK_DAYS} 天。`);
    expect(await statusOf(booking.body.id)).toBe('confirmed');
    const [blocks] = await t.database.db.select({ n: count() }).from(schema.reservations).where(eq(schema.reservations.kind, 'block'));
    expect(blocks!.n).toBe(0);

    // Within the bounds it works, and the booking in the way is cancelled as before.
    const ok = await block(at('2026-11-26T08:00:00'), at('2026-11-26T12:00:00'));
    expect(ok.status).toBe(201);
    expect(await statusOf(booking.body.id)).toBe('cancelled');
  });
});

describe('signing out', () => {
  it('ends the access token at once: reading, and booking in its single statement', async () => {
    const user = await insertUser(t.database.db);
    const login = await t.http().post('/api/v1/auth/login').send({ phone: user.phone, password: PASSWORD }).expect(200);
    const token = `Bearer ${login.body.accessToken as string}`;
    const cookie = (login.headers['set-cookie'] as unknown as string[]).find((c) => c.startsWith('sp_refresh='))!.split(';')[0]!;
    // Another device of the same person stays signed in.
    const otherDevice = await bearerFor(t.app, user.phone);
    expect((await t.http().get('/api/v1/me').set('authorization', token)).status).toBe(200);

    await t.http().post('/api/v1/auth/logout').set('cookie', cookie).expect(204);

    const me = await t.http().get('/api/v1/me').set('authorization', token);
    expect(me.status).toBe(401);
    expect(me.body.code).toBe('UNAUTHENTICATED');
    const booking = await book(token, '2026-11-27T09:00:00', '2026-11-27T10:00:00');
    expect(booking.status).toBe(401);
    const [held] = await t.database.db.select({ n: count() }).from(schema.reservations).where(eq(schema.reservations.userId, user.id));
    expect(held!.n).toBe(0);

    expect((await t.http().get('/api/v1/me').set('authorization', otherDevice)).status).toBe(200);
    expect((await book(otherDevice, '2026-11-27T09:00:00', '2026-11-27T10:00:00')).status).toBe(201);
  });

  it('a reused refresh token ends the access tokens of its sign-in as well', async () => {
    const user = await insertUser(t.database.db);
    const login = await t.http().post('/api/v1/auth/login').send({ phone: user.phone, password: PASSWORD }).expect(200);
    const cookie = (login.headers['set-cookie'] as unknown as string[]).find((c) => c.startsWith('sp_refresh='))!.split(';')[0]!;
    const refreshed = await t.http().post('/api/v1/auth/refresh').set('cookie', cookie).expect(200);
    const token = `Bearer ${refreshed.body.accessToken as string}`;
    expect((await t.http().get('/api/v1/me').set('authorization', token)).status).toBe(200);
    await t.http().post('/api/v1/auth/refresh').set('cookie', cookie).expect(401);
    expect((await t.http().get('/api/v1/me').set('authorization', token)).status).toBe(401);
  });
});

describe('new passwords', () => {
  it.each([['12345678'], ['password'], ['        '], ['PHONE'], ['Password1'], ['11111111'], ['qwertyuiop']])(
    '%j is refused at registration, with the reason, and no account is made',
    async (given) => {
      const phone = freshPhone();
      const password = given === 'PHONE' ? phone : given;
      const res = await t.http().post('/api/v1/auth/register').set('accept-language', 'en').send({ phone, password, displayName: '弱密码' });
      // Eight spaces may already fail the contract's checks (400); every other one is the rule's 422.
      if (given.trim() === '') expect([400, 422]).toContain(res.status);
      else {
        expect(res.status).toBe(422);
        expect(res.body.code).toBe('WEAK_PASSWORD');
        expect(res.body.detail).toBe('This password is too easy to guess; please choose another.');
        expect(res.body.errors).toEqual([{ field: 'password', message: expect.stringMatching(/^too easy to guess: /) }]);
      }
      const [users] = await t.database.db.select({ n: count() }).from(schema.users).where(eq(schema.users.phone, phone));
      expect(users!.n).toBe(0);
    },
  );

  it('explains in Chinese by default', async () => {
    const res = await t.http().post('/api/v1/auth/register').send({ phone: freshPhone(), password: '12345678', displayName: '弱密码' });
    expect(res.body.detail).toBe('密码太容易被猜到，请换一个。');
    expect(res.body.errors[0].message).toBe('密码太容易被猜到：这是最常见的密码之一');
  });

  it('a good one is accepted', async () => {
    expect((await t.http().post('/api/v1/auth/register').send({ phone: freshPhone(), password: 'tiger-lily-42', displayName: '好密码' })).status).toBe(201);
  });
});

describe('private answers', () => {
  it('every answer to a signed-in request, to the auth routes and of the calendar feed says no-store', async () => {
    const standing = await t.http().get(`/api/v1/me/booking-standing?city=${ZHENGZHOU}`).set('authorization', resident.token);
    const feed = standing.body.calendarFeedPath as string;
    const signedIn: [string, string][] = [
      ['GET', '/api/v1/me'],
      ['GET', '/api/v1/me/identity'],
      ['GET', `/api/v1/me/booking-standing?city=${ZHENGZHOU}`],
      ['GET', '/api/v1/me/notifications'],
      ['GET', '/api/v1/reservations'],
      ['GET', '/api/v1/reservations?when=past'],
      ['GET', '/api/v1/me/tickets'],
      // A refusal to a signed-in caller is as private.
      ['GET', `/api/v1/venues/${ids.venue}/bookings?date=2026-11-26`],
      // Public data asked for with a token: it may differ by who asks.
      ['GET', `/api/v1/venues/${ids.venue}`],
    ];
    const answers: string[] = [];
    for (const [method, url] of signedIn) {
      const res = await t.http()[method === 'GET' ? 'get' : 'post'](url).set('authorization', resident.token);
      answers.push(`${url} ${res.status} ${String(res.headers['cache-control'])}`);
    }
    const anonymous: [string, () => Promise<{ status: number; headers: Record<string, string> }>][] = [
      ['calendar feed', () => t.http().get(feed)],
      ['login', () => t.http().post('/api/v1/auth/login').send({ phone: resident.phone, password: PASSWORD })],
      ['failed login', () => t.http().post('/api/v1/auth/login').send({ phone: resident.phone, password: 'not-it-at-all' })],
      ['register', () => t.http().post('/api/v1/auth/register').send({ phone: freshPhone(), password: 'tiger-lily-43', displayName: '缓存' })],
      ['refresh without a cookie', () => t.http().post('/api/v1/auth/refresh')],
    ];
    for (const [what, call] of anonymous) {
      const res = await call();
      answers.push(`${what} ${res.status} ${String(res.headers['cache-control'])}`);
    }
    // And every signed-in read the OpenAPI document lists, whatever it answers.
    const openapi = (await t.http().get('/api/openapi.json')).body as { paths: Record<string, Record<string, { security?: unknown[] }>> };
    let walked = 0;
    for (const [template, operations] of Object.entries(openapi.paths)) {
      if (!operations.get?.security) continue;
      const url = template.replace(/\{id\}/g, ids.venue).replace(/\{[^}]+\}/g, '00000000-0000-4000-8000-000000000000');
      const res = await t.http().get(url).set('authorization', resident.token);
      answers.push(`${url} ${res.status} ${String(res.headers['cache-control'])}`);
      walked += 1;
    }
    expect(walked).toBeGreaterThan(10);
    expect(answers.filter((a) => !a.endsWith(' no-store'))).toEqual([]);
    // A public answer to someone not signed in keeps its own caching.
    const open = await t.http().get(`/api/v1/venues/${ids.venue}`);
    expect(open.headers['cache-control']).not.toBe('no-store');
  });
});

describe('image bombs', () => {
  it(`a 6300 × 6300 PNG (${((6300 * 6300) / 1e6).toFixed(1)} MP, a few kB) is refused with 413 before it is decoded, and nothing is stored`, async () => {
    const bomb = await sharp({ create: { width: 6300, height: 6300, channels: 3, background: '#fff' } }).png().toBuffer();
    expect(bomb.length).toBeLessThan(1_000_000);
    const answers = await Promise.all(
      Array.from({ length: 4 }, () =>
        t.http().post(`/api/v1/venues/${ids.venue}/photos`).set('authorization', operator.token).attach('file', bomb, { filename: 'big.png', contentType: 'image/png' }),
      ),
    );
    for (const res of answers) {
      expect(res.status).toBe(413);
      expect(res.body.code).toBe('IMAGE_TOO_LARGE');
      expect(res.body.detail).toBe(`图片像素过多（最多 ${MAX_IMAGE_PIXELS / 1e6} 百万像素），请缩小后再上传。`);
    }
    const [photos] = await t.database.db.select({ n: count() }).from(schema.venuePhotos).where(eq(schema.venuePhotos.venueId, ids.venue));
    expect(photos!.n).toBe(0);
    const folder = path.join(t.dataDir, 'uploads', 'venues', ids.venue);
    expect(await readdir(folder).catch(() => [])).toEqual([]);
  });

  it('an image just under the limit is accepted', async () => {
    const width = 6000;
    const height = Math.floor(MAX_IMAGE_PIXELS / width);
    const big = await sharp({ create: { width, height, channels: 3, background: '#285' } }).png().toBuffer();
    const res = await t.http().post(`/api/v1/venues/${ids.venue}/photos`).set('authorization', operator.token).attach('file', big, { filename: 'ok.png', contentType: 'image/png' });
    expect(res.status).toBe(201);
    expect(res.body.width).toBe(1600);
  });

  it(`decodes at most ${MAX_CONCURRENT_DECODES} at once; the rest wait their turn`, async () => {
    const slot = limitConcurrency(MAX_CONCURRENT_DECODES);
    let active = 0;
    let most = 0;
    const done = await Promise.all(
      Array.from({ length: 9 }, (_, i) =>
        slot(async () => {
          active += 1;
          most = Math.max(most, active);
          await new Promise((resolve) => setTimeout(resolve, 5));
          active -= 1;
          if (i === 3) throw new Error('one fails');
          return i;
        }).catch(() => -1),
      ),
    );
    expect(most).toBe(MAX_CONCURRENT_DECODES);
    expect(done).toEqual([0, 1, 2, -1, 4, 5, 6, 7, 8]);
  });
});
