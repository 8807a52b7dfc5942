import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { count, eq } from 'drizzle-orm';
import { schema } from '@sports/db';
import { createTestApp, type TestApp } from './support/app.ts';
import { PASSWORD, freshPhone, insertUser } from './support/fixtures.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ LOGIN_MAX_FAILURES_PER_PHONE: '3', LOGIN_MAX_FAILURES_PER_IP: '12' });
});
afterAll(() => t.close());

const usersWithPhone = async (phone: string) =>
  (await t.database.db.select({ n: count() }).from(schema.users).where(eq(schema.users.phone, phone)))[0]!.n;

function refreshCookie(res: { headers: Record<string, unknown> }): string {
  const cookies = res.headers['set-cookie'] as string[] | undefined;
  const cookie = cookies?.find((c) => c.startsWith('sp_refresh='));
  if (!cookie) throw new Error('no refresh cookie in response');
  return cookie.split(';')[0]!;
}

describe('registering', () => {
  it('creates an account, signs the resident in and shows the phone masked', async () => {
    const phone = freshPhone();
    const res = await t.http().post('/api/v1/auth/register').send({ phone, password: PASSWORD, displayName: ' 小李 ' });
    expect(res.status).toBe(201);
    expect(res.body.user.phoneMasked).toBe(`${phone.slice(0, 3)}****${phone.slice(7)}`);
    expect(res.body.user.displayName).toBe('小李');
    expect(res.body.user.roles).toEqual([]);
    expect(JSON.stringify(res.body)).not.toContain(phone);
    const cookie = (res.headers['set-cookie'] as unknown as string[]).find((c) => c.startsWith('sp_refresh='))!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).toMatch(/Path=\/api\/v1\/auth/);

    const me = await t.http().get('/api/v1/me').set('authorization', `Bearer ${res.body.accessToken}`);
    expect(me.status).toBe(200);
    expect(me.body.id).toBe(res.body.user.id);
  });

  it('stores the password only as an argon2id hash', async () => {
    const phone = freshPhone();
    await t.http().post('/api/v1/auth/register').send({ phone, password: PASSWORD, displayName: '哈希' }).expect(201);
    const [row] = await t.database.db.select().from(schema.users).where(eq(schema.users.phone, phone));
    expect(row!.passwordHash).toMatch(/^\$argon2id\$/);
    expect(row!.passwordHash).not.toContain(PASSWORD);
  });

  it('refuses a phone number that is already registered, and writes nothing', async () => {
    const { phone } = await insertUser(t.database.db);
    const res = await t.http().post('/api/v1/auth/register').send({ phone, password: PASSWORD, displayName: '重复' });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('PHONE_TAKEN');
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(await usersWithPhone(phone)).toBe(1);
  });

  it('names every bad field, in the language asked for, and writes nothing', async () => {
    const phone = '12345678901';
    const res = await t
      .http()
      .post('/api/v1/auth/register')
      .set('accept-language', 'en-GB,en;q=0.9')
      .send({ phone, password: 'short', displayName: '', admin: true });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(res.body.detail).toBe('Some fields are invalid.');
    const fields = Object.fromEntries((res.body.errors as { field: string; message: string }[]).map((e) => [e.field, e.message]));
    expect(fields).toEqual({
      phone: 'has the wrong format',
      password: 'must be at least 8 characters',
      displayName: 'must be at least 1 characters',
      admin: 'is not an accepted field',
    });
    expect(await usersWithPhone(phone)).toBe(0);
  });

  it('answers in Chinese by default and names a missing field', async () => {
    const res = await t.http().post('/api/v1/auth/register').send({ phone: freshPhone(), password: PASSWORD });
    expect(res.status).toBe(400);
    expect(res.body.detail).toBe('提交的内容有误，请检查标出的字段。');
    expect(res.body.errors).toEqual([{ field: 'displayName', message: '必填' }]);
  });

  it('lets exactly one of twenty simultaneous registrations of one phone through', async () => {
    const phone = freshPhone();
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        t.http().post('/api/v1/auth/register').send({ phone, password: PASSWORD, displayName: `并发${i}` }),
      ),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(19);
    expect(await usersWithPhone(phone)).toBe(1);
  });
});

describe('signing in', () => {
  it('returns an access token, its lifetime and the user', async () => {
    const { phone, id } = await insertUser(t.database.db);
    const res = await t.http().post('/api/v1/auth/login').send({ phone, password: PASSWORD });
    expect(res.status).toBe(200);
    expect(res.body.expiresIn).toBe(900);
    expect(res.body.user.id).toBe(id);
    expect(typeof res.body.accessToken).toBe('string');
  });

  it('gives the same answer for a wrong password and an unknown phone', async () => {
    const { phone } = await insertUser(t.database.db);
    const wrong = await t.http().post('/api/v1/auth/login').send({ phone, password: 'not-the-password' });
    const unknown = await t.http().post('/api/v1/auth/login').send({ phone: freshPhone(), password: PASSWORD });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body.code).toBe('INVALID_CREDENTIALS');
    expect(unknown.body.detail).toBe(wrong.body.detail);
  });

  it('refuses a disabled account', async () => {
    const { phone, id } = await insertUser(t.database.db);
    await t.database.db.update(schema.users).set({ disabledAt: new Date() }).where(eq(schema.users.id, id));
    const res = await t.http().post('/api/v1/auth/login').send({ phone, password: PASSWORD });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('ACCOUNT_DISABLED');
  });
});

describe('password-guessing brakes', () => {
  it('after 3 failures on one phone refuses even the right password, with a wait time', async () => {
    const { phone } = await insertUser(t.database.db);
    for (let i = 0; i < 3; i++) {
      await t.http().post('/api/v1/auth/login').send({ phone, password: `guess-${i}` }).expect(401);
    }
    const res = await t.http().post('/api/v1/auth/login').send({ phone, password: PASSWORD });
    expect(res.status).toBe(429);
    expect(res.body.code).toBe('LOGIN_THROTTLED');
    expect(res.body.detail).toBe('登录失败次数过多，请 15 分钟后再试。');
    expect(Number(res.headers['retry-after'])).toBe(900);
  });

  it('never counts successful sign-ins', async () => {
    const { phone } = await insertUser(t.database.db);
    for (let i = 0; i < 10; i++) {
      await t.http().post('/api/v1/auth/login').send({ phone, password: PASSWORD }).expect(200);
    }
  });

  it('clears a phone’s failures when its owner signs in', async () => {
    const { phone } = await insertUser(t.database.db);
    for (let i = 0; i < 2; i++) await t.http().post('/api/v1/auth/login').send({ phone, password: 'nope-nope' }).expect(401);
    await t.http().post('/api/v1/auth/login').send({ phone, password: PASSWORD }).expect(200);
    for (let i = 0; i < 2; i++) await t.http().post('/api/v1/auth/login').send({ phone, password: 'nope-nope' }).expect(401);
    await t.http().post('/api/v1/auth/login').send({ phone, password: PASSWORD }).expect(200);
  });

  it('limits one address across many phones only at the looser address limit', async () => {
    // Earlier tests in this file failed from the same address; count what is left before the limit.
    const [failures] = await t.database.db.select({ n: count() }).from(schema.loginFailures);
    const left = 12 - failures!.n;
    expect(left).toBeGreaterThan(3);
    for (let i = 0; i < left; i++) {
      const res = await t.http().post('/api/v1/auth/login').send({ phone: freshPhone(), password: 'wrong-password' });
      expect(res.status).toBe(401);
    }
    const blocked = await t.http().post('/api/v1/auth/login').send({ phone: freshPhone(), password: 'wrong-password' });
    expect(blocked.status).toBe(429);
    expect(blocked.body.code).toBe('LOGIN_THROTTLED');
  });
});

describe('refresh tokens', () => {
  async function signIn() {
    const { phone } = await insertUser(t.database.db);
    await t.database.db.delete(schema.loginFailures);
    const res = await t.http().post('/api/v1/auth/login').send({ phone, password: PASSWORD }).expect(200);
    return refreshCookie(res);
  }

  it('rotates: each refresh returns a new access token and a new cookie', async () => {
    const first = await signIn();
    const res = await t.http().post('/api/v1/auth/refresh').set('cookie', first);
    expect(res.status).toBe(200);
    expect(typeof res.body.accessToken).toBe('string');
    const second = refreshCookie(res);
    expect(second).not.toBe(first);
    await t.http().post('/api/v1/auth/refresh').set('cookie', second).expect(200);
  });

  it('a used token presented again revokes the whole family', async () => {
    const first = await signIn();
    const rotated = refreshCookie(await t.http().post('/api/v1/auth/refresh').set('cookie', first).expect(200));
    const replay = await t.http().post('/api/v1/auth/refresh').set('cookie', first);
    expect(replay.status).toBe(401);
    expect(replay.body.code).toBe('REFRESH_TOKEN_REUSED');
    const afterReplay = await t.http().post('/api/v1/auth/refresh').set('cookie', rotated);
    expect(afterReplay.status).toBe(401);
    expect(afterReplay.body.code).toBe('REFRESH_TOKEN_INVALID');
  });

  it('of ten simultaneous refreshes with one token exactly one succeeds', async () => {
    const cookie = await signIn();
    const results = await Promise.all(
      Array.from({ length: 10 }, () => t.http().post('/api/v1/auth/refresh').set('cookie', cookie)),
    );
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    expect(results.filter((r) => r.status === 401)).toHaveLength(9);
  });

  it('refuses without a cookie or with a made-up one', async () => {
    expect((await t.http().post('/api/v1/auth/refresh')).body.code).toBe('REFRESH_TOKEN_INVALID');
    const res = await t.http().post('/api/v1/auth/refresh').set('cookie', 'sp_refresh=made-up');
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('REFRESH_TOKEN_INVALID');
  });

  it('sign-out revokes this device only', async () => {
    const { phone } = await insertUser(t.database.db);
    const phoneA = refreshCookie(await t.http().post('/api/v1/auth/login').send({ phone, password: PASSWORD }).expect(200));
    const phoneB = refreshCookie(await t.http().post('/api/v1/auth/login').send({ phone, password: PASSWORD }).expect(200));
    const out = await t.http().post('/api/v1/auth/logout').set('cookie', phoneA);
    expect(out.status).toBe(204);
    expect((out.headers['set-cookie'] as unknown as string[])[0]).toMatch(/^sp_refresh=;/);
    await t.http().post('/api/v1/auth/refresh').set('cookie', phoneA).expect(401);
    await t.http().post('/api/v1/auth/refresh').set('cookie', phoneB).expect(200);
  });
});

describe('access tokens', () => {
  it('GET /me without a token is 401 UNAUTHENTICATED', async () => {
    const res = await t.http().get('/api/v1/me');
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('UNAUTHENTICATED');
  });

  it('an expired token is 401 TOKEN_EXPIRED so the client knows to refresh', async () => {
    const { id } = await insertUser(t.database.db);
    const past = Math.floor(Date.now() / 1000) - 3600;
    const token = t.app.jwt.sign({ sub: id, iat: past } as { sub: string }, { expiresIn: 60 });
    const res = await t.http().get('/api/v1/me').set('authorization', `Bearer ${token}`);
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('TOKEN_EXPIRED');
  });

  it('a token signed with another secret is refused', async () => {
    const forged =
      'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIwMDAwMDAwMC0wMDAwLTAwMDAtMDAwMC0wMDAwMDAwMDAwMDAifQ.' +
      'c2lnbmF0dXJlLXRoYXQtZG9lcy1ub3QtbWF0Y2g';
    const res = await t.http().get('/api/v1/me').set('authorization', `Bearer ${forged}`);
    expect(res.status).toBe(401);
  });

  it('a disabled account loses access at once, even with a valid token', async () => {
    const { phone, id } = await insertUser(t.database.db);
    const res = await t.http().post('/api/v1/auth/login').send({ phone, password: PASSWORD }).expect(200);
    await t.database.db.update(schema.users).set({ disabledAt: new Date() }).where(eq(schema.users.id, id));
    const me = await t.http().get('/api/v1/me').set('authorization', `Bearer ${res.body.accessToken}`);
    expect(me.status).toBe(403);
    expect(me.body.code).toBe('ACCOUNT_DISABLED');
  });
});

describe('my notifications', () => {
  it('marking one read: my own is 204 (again too); one that is not mine or does not exist is 404, and nothing changes', async () => {
    const me = await insertUser(t.database.db);
    const other = await insertUser(t.database.db);
    const [mine, theirs] = await t.database.db
      .insert(schema.notifications)
      .values([
        { userId: me.id, kind: 'ticket_update', title: '报修进度', body: '已受理' },
        { userId: other.id, kind: 'ticket_update', title: '报修进度', body: '已受理' },
      ])
      .returning({ id: schema.notifications.id });
    const token = `Bearer ${t.app.jwt.sign({ sub: me.id })}`;
    const read = (id: string) => t.http().post(`/api/v1/me/notifications/${id}/read`).set('authorization', token);
    expect((await read(mine!.id)).status).toBe(204);
    expect((await read(mine!.id)).status).toBe(204);
    for (const id of [theirs!.id, '6f1d2b0e-0000-4000-8000-000000000000']) {
      const res = await read(id);
      expect(res.status).toBe(404);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
    const [row] = await t.database.db.select({ readAt: schema.notifications.readAt }).from(schema.notifications).where(eq(schema.notifications.id, theirs!.id));
    expect(row!.readAt).toBeNull();
  });
});
