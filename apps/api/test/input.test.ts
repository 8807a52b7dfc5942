import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { schema } from '@sports/db';
import { createTestApp, type TestApp } from './support/app.ts';
import { JINSHUI, ZHENGZHOU, bearerFor, insertCityFixture, insertUser } from './support/fixtures.ts';

/**
 * What the API takes as input (issue 12, findings 3 and 4): typed JSON bodies, finite numbers,
 * calendar dates, clean strings, UTF-8 bodies, and framework refusals as problem+json. Each case
 * also proves that the refused request wrote nothing.
 */
let t: TestApp;
let admin: string;
let resident: string;
let venueId: string;
let venueBefore: unknown;

const venueRow = async () => (await t.database.db.select().from(schema.venues).where(eq(schema.venues.id, venueId)))[0];
const rulesRow = async () => (await t.database.db.select().from(schema.cityBookingRules).where(eq(schema.cityBookingRules.cityCode, ZHENGZHOU)))[0];

function expectProblem(res: { status: number; headers: Record<string, string>; body: { code?: string } }, status: number, code: string) {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.body.code).toBe(code);
}

beforeAll(async () => {
  t = await createTestApp();
  const orgs = await insertCityFixture(t.database.db);
  const cityAdmin = await insertUser(t.database.db, [{ role: 'bureau_admin', organisationId: orgs.zzBureau.id }]);
  admin = await bearerFor(t.app, cityAdmin.phone);
  resident = await bearerFor(t.app, (await insertUser(t.database.db)).phone);
  const created = await t
    .http()
    .post('/api/v1/venues')
    .set('authorization', admin)
    .send({
      name: '输入测试场馆', kind: 'gym', organisationId: orgs.venueCo.id, districtCode: JINSHUI,
      address: '测试路1号', lat: 34.75, lng: 113.66, priceLevel: 'paid', sports: ['badminton'],
    });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  venueId = created.body.id;
  venueBefore = await venueRow();
});
afterAll(() => t.close());

describe('a JSON body is taken as typed, never coerced', () => {
  const cases: [string, Record<string, unknown>][] = [
    ['a null latitude', { lat: null }],
    ['a null visibility', { isPublic: null }],
    ['a number for a name', { name: 123 }],
    ['a string for a latitude', { lat: '34.7' }],
    ['an array for a name', { name: ['输入测试场馆二'] }],
  ];
  it.each(cases)('%s is refused with 400 and the venue is unchanged', async (_what, body) => {
    const res = await t.http().patch(`/api/v1/venues/${venueId}`).set('authorization', admin).send(body);
    expectProblem(res, 400, 'VALIDATION_FAILED');
    expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual([Object.keys(body)[0]]);
    expect(await venueRow()).toEqual(venueBefore);
  });

  it('a boolean or a null for a city’s rule is refused and the rules keep their values', async () => {
    const before = await rulesRow();
    const current = (await t.http().get(`/api/v1/cities/${ZHENGZHOU}/booking-rules`)).body;
    for (const value of [true, null, '3']) {
      const res = await t.http().put(`/api/v1/cities/${ZHENGZHOU}/booking-rules`).set('authorization', admin).send({ ...current, maxUpcoming: value });
      expectProblem(res, 400, 'VALIDATION_FAILED');
    }
    expect(await rulesRow()).toEqual(before);
  });

  it('query strings and path parameters, being text, are still read as numbers where a number is asked', async () => {
    const res = await t.http().get('/api/v1/venues').query({ page: '1', pageSize: '5', city: ZHENGZHOU });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.pageSize).toBe(5);
  });
});

describe('numbers are finite and bounded', () => {
  it.each(['1e309', '1e300', '-1', '10001', 'NaN', 'Infinity'])('page=%s is a 400, not a 500', async (page) => {
    const res = await t.http().get('/api/v1/venues').query({ page, city: ZHENGZHOU });
    expectProblem(res, 400, 'VALIDATION_FAILED');
  });
});

describe('dates are days of the calendar and instants have no leap second', () => {
  it.each(['2026-02-30', '2026-02-29', '2025-04-31', '0000-01-01', '9999-12-31'])('%s as a date is a 400 naming the field', async (date) => {
    const res = await t.http().get('/api/v1/kpis').set('authorization', admin).query({ city: ZHENGZHOU, from: date, to: '2026-03-01' });
    expectProblem(res, 400, 'VALIDATION_FAILED');
    expect(res.body.errors).toEqual([expect.objectContaining({ field: 'from' })]);
  });

  it('a leap day of a leap year is a date', async () => {
    const res = await t.http().get('/api/v1/kpis').set('authorization', admin).query({ city: ZHENGZHOU, from: '2028-02-29', to: '2028-03-01' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  });

  it.each(['2026-06-30T23:59:60Z', '2026-02-30T10:00:00+08:00', '2026-06-30T24:00:00Z', '2026-06-30T10:00:00+25:00'])(
    'the instant %s is a 400',
    async (instant) => {
      const res = await t.http().get('/open311/v2/requests.json').query({ start_date: instant });
      expect(res.status).toBe(400);
      expect(res.body).toEqual([expect.objectContaining({ code: 400 })]);
    },
  );

  it('a date that cannot be stored is refused before it reaches the database', async () => {
    const res = await t
      .http()
      .post(`/api/v1/venues/${venueId}/exceptions`)
      .set('authorization', admin)
      .send({ date: '2026-02-30', kind: 'closed', reason: '检修' });
    expectProblem(res, 400, 'VALIDATION_FAILED');
    expect(await t.database.db.select().from(schema.venueHoursExceptions)).toEqual([]);
  });
});

describe('strings are trimmed, and refused when they cannot be stored or shown as they are', () => {
  it('a name of spaces alone is too short', async () => {
    const res = await t.http().patch(`/api/v1/venues/${venueId}`).set('authorization', admin).send({ name: '      ' });
    expectProblem(res, 400, 'VALIDATION_FAILED');
    expect(await venueRow()).toEqual(venueBefore);
  });

  it('a name is stored without the spaces around it', async () => {
    const res = await t.http().patch(`/api/v1/venues/${venueId}`).set('authorization', admin).send({ name: '  输入测试场馆  ' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect((await venueRow())!.name).toBe('输入测试场馆');
  });

  it.each([
    ['a NUL', '输入\u0000测试'],
    ['an escape character', '输入\u001b[31m测试'],
    ['a lone surrogate', '输入\ud800测试'],
    ['a right-to-left override', '输入\u202e测试'],
    ['a bidirectional isolate', '输入\u2066测试'],
  ])('a name with %s is refused with the field named, and nothing changes', async (_what, name) => {
    const res = await t
      .http()
      .patch(`/api/v1/venues/${venueId}`)
      .set('authorization', admin)
      .set('content-type', 'application/json')
      .send(JSON.stringify({ name }));
    expectProblem(res, 400, 'VALIDATION_FAILED');
    expect(res.body.errors).toEqual([expect.objectContaining({ field: 'name' })]);
    expect((await venueRow())!.name).toBe('输入测试场馆');
  });

  it('a NUL in a query string is a 400, not a database error', async () => {
    const res = await t.http().get('/api/v1/venues').query({ city: ZHENGZHOU, q: 'a\u0000b' });
    expectProblem(res, 400, 'VALIDATION_FAILED');
  });

  it('line breaks and tabs are text', async () => {
    const res = await t
      .http()
      .post(`/api/v1/venues/${venueId}/exceptions`)
      .set('authorization', admin)
      .send({ date: '2026-12-20', kind: 'closed', reason: '场地检修\n\t请改日再来' });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  });

  it('a password is taken exactly as typed, spaces included', async () => {
    const phone = '13712340001';
    const registered = await t.http().post('/api/v1/auth/register').send({ phone, password: ' 空格 在两头 也算 ', displayName: '空格用户' });
    expect(registered.status, JSON.stringify(registered.body)).toBe(201);
    const trimmed = await t.http().post('/api/v1/auth/login').send({ phone, password: '空格 在两头 也算' });
    expect(trimmed.status).toBe(401);
    const exact = await t.http().post('/api/v1/auth/login').send({ phone, password: ' 空格 在两头 也算 ' });
    expect(exact.status).toBe(200);
  });
});

describe('bodies are of a sane shape', () => {
  it('a body nested thousands deep is a 400, not a stack overflow', async () => {
    const deep = '['.repeat(5000) + ']'.repeat(5000);
    const res = await t.http().post('/api/v1/auth/login').set('content-type', 'application/json').send(deep);
    expectProblem(res, 400, 'VALIDATION_FAILED');
  });
});

describe('bodies are UTF-8', () => {
  it('a body declared UTF-16 is 415 and writes nothing', async () => {
    const res = await t
      .http()
      .patch(`/api/v1/venues/${venueId}`)
      .set('authorization', admin)
      .set('content-type', 'application/json; charset=utf-16')
      .send(JSON.stringify({ name: '改名了' }));
    expectProblem(res, 415, 'UNSUPPORTED_MEDIA_TYPE');
    expect((await venueRow())!.name).toBe('输入测试场馆');
  });

  it('a body that is not UTF-8 is refused rather than stored with replacement characters', async () => {
    const res = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/venues/${venueId}`,
      headers: { authorization: admin, 'content-type': 'application/json' },
      payload: Buffer.concat([Buffer.from('{"name":"输入'), Buffer.from([0xff, 0xfe]), Buffer.from('测试"}')]),
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field: '(body)' }] });
    expect((await venueRow())!.name).toBe('输入测试场馆');
  });

  it('a body declared UTF-8 is read', async () => {
    const res = await t
      .http()
      .patch(`/api/v1/venues/${venueId}`)
      .set('authorization', admin)
      .set('content-type', 'application/json; charset=UTF-8')
      .send(JSON.stringify({ name: '输入测试场馆' }));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  });
});

describe('the framework’s own refusals are problem+json too', () => {
  it('a URL that is not well formed', async () => {
    const res = await t.http().get('/api/v1/venues/%E0%A4%A');
    expectProblem(res, 400, 'VALIDATION_FAILED');
  });

  it('a query string past the limit of the HTTP parser', async () => {
    const res = await t.http().get('/api/v1/venues').query({ q: 'a'.repeat(100_000) });
    expectProblem(res, 431, 'HEADERS_TOO_LARGE');
  });

  it('the same refusal under /open311 comes in the Open311 error form of the format asked for', async () => {
    const json = await t.http().get('/open311/v2/requests.json').query({ q: 'a'.repeat(100_000) });
    expect(json.status).toBe(431);
    expect(json.body).toEqual([expect.objectContaining({ code: 431 })]);
    const xml = await t.http().get('/open311/v2/requests.xml').query({ q: 'a'.repeat(100_000) }).buffer(true).parse((res, cb) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () => cb(null, text));
    });
    expect(xml.status).toBe(431);
    expect(xml.headers['content-type']).toMatch(/^text\/xml/);
    expect(xml.body).toMatch(/<errors><error><code>431<\/code>/);
  });

  it('a path parameter longer than any id', async () => {
    const res = await t.http().get(`/api/v1/venues/${'a'.repeat(600)}`).set('authorization', resident);
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  });
});
