import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { idNumberCheckChar } from '@sports/domain';
import { redactUrl, serializeError } from '../src/log-redaction.ts';
import { createTestApp, type TestApp } from './support/app.ts';
import { JINSHUI, bearerFor, freshPhone, insertCityFixture, insertUser } from './support/fixtures.ts';

/**
 * Everything the app logs during a broad run of requests, at the most talkative level, holds no
 * phone number, ID number, password hash, access or refresh token, or calendar secret (issue 12 #5).
 */
const lines: string[] = [];
let t: TestApp;
let orgs: Awaited<ReturnType<typeof insertCityFixture>>;
/** Every secret value that passed through the app here, to look for verbatim. */
const secrets = new Set<string>();
const FAILING_NAME = '会失败的名字';

beforeAll(async () => {
  t = await createTestApp({ LOG_LEVEL: 'trace' }, undefined, { write: (line) => void lines.push(line) });
  orgs = await insertCityFixture(t.database.db);
  // A query that fails with the phone and the password hash among its parameters.
  await t.database.db.execute(sql.raw(`
    create function test_refuse_user() returns trigger language plpgsql as $$
    begin
      if new.display_name = '${FAILING_NAME}' then raise exception 'refused by the test trigger'; end if;
      return new;
    end $$`));
  await t.database.db.execute(sql.raw('create trigger test_refuse_user before insert on users for each row execute function test_refuse_user()'));
});
afterAll(() => t.close());

const cookieOf = (res: { headers: Record<string, unknown> }) =>
  ((res.headers['set-cookie'] as string[] | undefined) ?? []).find((c) => c.startsWith('sp_refresh='))!.split(';')[0]!;

describe('the log of a whole run', () => {
  it('carries no phone, ID number, hash, token or calendar secret', async () => {
    const phone = freshPhone();
    const password = 'Zq7-lantern-orbit';
    secrets.add(phone).add(password);

    const registered = await t.http().post('/api/v1/auth/register').send({ phone, password, displayName: '日志测试' });
    expect(registered.status).toBe(201);
    secrets.add(registered.body.accessToken);
    secrets.add(cookieOf(registered).split('=')[1]!);

    const signedIn = await t.http().post('/api/v1/auth/login').send({ phone, password });
    expect(signedIn.status).toBe(200);
    const token = `Bearer ${signedIn.body.accessToken as string}`;
    secrets.add(signedIn.body.accessToken);
    const cookie = cookieOf(signedIn);
    secrets.add(cookie.split('=')[1]!);

    expect((await t.http().post('/api/v1/auth/login').send({ phone, password: 'not-my-password' })).status).toBe(401);
    const refreshed = await t.http().post('/api/v1/auth/refresh').set('cookie', cookie);
    expect(refreshed.status).toBe(200);
    secrets.add(refreshed.body.accessToken);

    const first17 = `${JINSHUI}19900101123`;
    const idNumber = first17 + idNumberCheckChar(first17);
    secrets.add(idNumber);
    const verified = await t
      .http()
      .put('/api/v1/me/identity')
      .set('authorization', token)
      .send({ name: '张日志', idNumber, districtCode: JINSHUI, consentVersion: '2026-11' });
    expect(verified.status).toBe(200);
    // The same number again, on another account: a refusal that must not log it either.
    const other = await insertUser(t.database.db);
    secrets.add(other.phone);
    const otherToken = await bearerFor(t.app, other.phone);
    const again = await t
      .http()
      .put('/api/v1/me/identity')
      .set('authorization', otherToken)
      .send({ name: '李日志', idNumber, districtCode: JINSHUI, consentVersion: '2026-11' });
    expect(again.status).toBeGreaterThanOrEqual(400);
    expect((await t.http().get('/api/v1/me/identity').set('authorization', token)).status).toBe(200);

    const standing = await t.http().get('/api/v1/me/booking-standing?city=410100').set('authorization', token);
    expect(standing.status).toBe(200);
    const feed = standing.body.calendarFeedPath as string;
    secrets.add(feed.replace('/api/v1/calendar/', '').replace('.ics', ''));
    expect((await t.http().get(feed)).status).toBe(200);

    const admin = await insertUser(t.database.db, [{ role: 'bureau_admin', organisationId: orgs.zzBureau.id }]);
    secrets.add(admin.phone);
    const adminToken = await bearerFor(t.app, admin.phone);
    const audit = await t.http().get(`/api/v1/audit?actorPhone=${admin.phone}&pageSize=5`).set('authorization', adminToken);
    expect(audit.status).toBe(200);
    // A phone in an unknown parameter and a bad one: refused, and still not logged.
    expect((await t.http().get(`/api/v1/audit?actorPhone=${admin.phone}x`).set('authorization', adminToken)).status).toBe(400);

    // A query that fails: the insert's parameters are the phone and the argon2 hash.
    const failingPhone = freshPhone();
    secrets.add(failingPhone);
    const failed = await t.http().post('/api/v1/auth/register').send({ phone: failingPhone, password, displayName: FAILING_NAME });
    expect(failed.status).toBe(500);

    // A body that is not JSON: the parser's message quotes it.
    const broken = await t
      .http()
      .post('/api/v1/auth/login')
      .set('content-type', 'application/json')
      .send(`{"phone":"${phone}","password":${password}}`);
    expect(broken.status).toBe(400);

    expect((await t.http().post('/api/v1/auth/logout').set('cookie', cookie)).status).toBe(204);

    // The log said something about each of these, or the test proves nothing.
    const log = lines.join('');
    expect(log).toContain('refused by the test trigger');
    expect(log).toContain('"url":"/api/v1/calendar/[redacted].ics"');
    expect(log).toContain('actorPhone=[redacted]');
    expect(log).toContain('"url":"/api/v1/me/identity"');
    expect(log).toContain('is not valid JSON');
    expect(log).not.toContain(password.slice(0, 8));

    const found: string[] = [];
    for (const secret of secrets) if (log.includes(secret)) found.push(`verbatim: ${secret}`);
    const patterns: [string, RegExp][] = [
      ['phone', /(?<!\d)1[3-9]\d{9}(?!\d)/],
      ['ID number', /(?<![\dA-Za-z])\d{17}[\dXx](?![\dA-Za-z])/],
      ['argon2 hash', /\$argon2/],
      ['JWT', /eyJ[\w-]{5,}\.[\w-]{5,}/],
    ];
    for (const line of lines) {
      for (const [what, pattern] of patterns) {
        const match = pattern.exec(line);
        if (match) found.push(`${what} ${match[0]} in ${line.slice(0, 300)}`);
      }
    }
    expect(found).toEqual([]);
  });
});

describe('what the log serializers let through', () => {
  it('URLs lose secret query values and the calendar key, keep the rest', () => {
    expect(redactUrl('/api/v1/calendar/x23ZhrDC_G0Abrvnq4Q-irgBy0KJ-TsY.ics')).toBe('/api/v1/calendar/[redacted].ics');
    expect(redactUrl('/api/v1/audit?actorPhone=13812345678&page=2')).toBe('/api/v1/audit?actorPhone=[redacted]&page=2');
    expect(redactUrl('/open311/v2/requests.json?api_key=demo-open311-key&status=open')).toBe('/open311/v2/requests.json?api_key=[redacted]&status=open');
    expect(redactUrl('/api/v1/x?q=13812345678&id=410105199001011234')).toBe('/api/v1/x?q=138****5678&id=[redacted]');
    expect(redactUrl('/api/v1/venues?page=1&sport=basketball')).toBe('/api/v1/venues?page=1&sport=basketball');
  });

  it('errors lose query parameters and value-bearing fields, on themselves and on their cause', () => {
    const cause = Object.assign(new Error('duplicate key value violates unique constraint "users_phone_uq"'), {
      code: '23505',
      detail: 'Key (phone)=(13812345678) already exists.',
      constraint: 'users_phone_uq',
    });
    const err = Object.assign(new Error('Failed query: insert into "users" ("phone", "password_hash") values ($1, $2)\nparams: 13812345678,$argon2id$v=19$m=19456,t=2,p=1$abc$def'), {
      query: 'insert into "users" ("phone", "password_hash") values ($1, $2)',
      params: ['13812345678', '$argon2id$v=19$m=19456,t=2,p=1$abc$def'],
      cause,
    });
    const logged = JSON.stringify(serializeError(err));
    expect(logged).not.toMatch(/13812345678|argon2|already exists/);
    expect(logged).toContain('params: [redacted]');
    expect(logged).toContain('"code":"23505"');
    expect(logged).toContain('users_phone_uq');
    expect(logged).toContain('insert into');
  });
});
