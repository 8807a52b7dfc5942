import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_TITLES, ERRORS } from '@sports/contracts';
import { localeOf } from '../src/plugins/app/errors.ts';
import { createTestApp, type TestApp } from './support/app.ts';
import { insertUser, PASSWORD } from './support/fixtures.ts';

/**
 * Problem details as RFC 9457 defines them, point by point, and the HTTP around them (RFC 9110):
 * §3.1.1 `type` is a URI that documents the problem type; §3.1.3 `title` is a short human-readable
 * summary of the type, the same for every occurrence, and may be localised through content
 * negotiation; §3.1.4 `detail` explains this occurrence. RFC 9110 §12.5.4 Accept-Language with
 * q-values, §8.5 Content-Language, §12.5.5 Vary, §15.5.6 405 with Allow, §15.5.16 415.
 */

const BASE = 'https://sports.example.cn';
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ PUBLIC_BASE_URL: BASE });
});
afterAll(() => t.close());

describe('title, type and language (RFC 9457 §3.1, RFC 9110 §8.5, §12.5.4, §12.5.5)', () => {
  it('the title is the localised summary of the type, not its code; the detail is the occurrence', async () => {
    const zh = await t.http().post('/api/v1/auth/login').send({ phone: '13800000000', password: 'nope-nope-nope' });
    expect(zh.status).toBe(401);
    expect(zh.body).toMatchObject({ code: 'INVALID_CREDENTIALS', title: ERROR_TITLES.INVALID_CREDENTIALS.zh, detail: ERRORS.INVALID_CREDENTIALS.zh });
    const en = await t.http().post('/api/v1/auth/login').set('accept-language', 'en-GB,en;q=0.9').send({ phone: '13800000000', password: 'nope-nope-nope' });
    expect(en.body).toMatchObject({ code: 'INVALID_CREDENTIALS', title: ERROR_TITLES.INVALID_CREDENTIALS.en, detail: ERRORS.INVALID_CREDENTIALS.en });
    for (const [code, title] of Object.entries(ERROR_TITLES)) {
      expect(title.zh, code).not.toBe(code);
      expect(title.en, code).not.toBe(code);
      expect(`${title.zh}${title.en}`, code).not.toMatch(/[{}]/);
    }
    expect(Object.keys(ERROR_TITLES).sort()).toEqual(Object.keys(ERRORS).sort());
  });

  it('the type is a URL under the public base, and following it documents the code (JSON, or a page for a browser)', async () => {
    const res = await t.http().get('/api/v1/venues/00000000-0000-4000-8000-000000000000');
    expect(res.status).toBe(404);
    expect(res.body.type).toBe(`${BASE}/api/v1/problems/NOT_FOUND`);
    const documented = await t.http().get(new URL(res.body.type as string).pathname);
    expect(documented.status).toBe(200);
    expect(documented.body).toEqual({ code: 'NOT_FOUND', status: 404, title: ERROR_TITLES.NOT_FOUND, detail: { zh: ERRORS.NOT_FOUND.zh, en: ERRORS.NOT_FOUND.en } });
    const page = await t.http().get('/api/v1/problems/SLOT_TAKEN').set('accept', 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8');
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.text).toContain('SLOT_TAKEN');
    expect(page.text).toContain(ERROR_TITLES.SLOT_TAKEN.zh);
    expect(page.text).toContain(ERROR_TITLES.SLOT_TAKEN.en);
    const all = await t.http().get('/api/v1/problems');
    expect((all.body as { code: string }[]).map((p) => p.code).sort()).toEqual(Object.keys(ERRORS).sort());
    const unknown = await t.http().get('/api/v1/problems/NO_SUCH_CODE');
    expect(unknown.status).toBe(404);
    expect((await t.http().get('/api/v1/problems/constructor')).status).toBe(400);
  });

  it('says its language in Content-Language and that it follows Accept-Language in Vary', async () => {
    const zh = await t.http().get('/api/v1/nothing-here');
    expect(zh.headers['content-language']).toBe('zh-CN');
    expect(zh.headers.vary).toMatch(/accept-language/i);
    const en = await t.http().get('/api/v1/nothing-here').set('accept-language', 'en');
    expect(en.headers['content-language']).toBe('en');
    expect(en.body.title).toBe(ERROR_TITLES.ROUTE_NOT_FOUND.en);
  });

  it('honours Accept-Language weights: the language we speak with the highest q, the first among equals', async () => {
    const cases: [string | undefined, string][] = [
      [undefined, 'zh-CN'],
      ['', 'zh-CN'],
      ['en', 'en'],
      ['en-US', 'en'],
      ['zh-CN,zh;q=0.9,en;q=0.8', 'zh-CN'],
      ['zh;q=0.5, en;q=0.9', 'en'],
      ['en;q=0, zh', 'zh-CN'],
      ['en;q=0.000', 'zh-CN'],
      ['fr-FR, de;q=0.9, en;q=0.3', 'en'],
      ['fr-FR', 'zh-CN'],
      ['*', 'zh-CN'],
      ['en;q=0.5, *;q=0.9', 'zh-CN'],
      ['en;q=0.8, zh-TW;q=0.8', 'en'],
      ['english', 'zh-CN'],
      ['en;q=2', 'zh-CN'],
      ['en;q=abc', 'zh-CN'],
    ];
    for (const [header, expected] of cases) expect(localeOf(header), String(header)).toBe(expected);
    const weighted = await t.http().get('/api/v1/nothing-here').set('accept-language', 'zh-CN;q=0.2, en-GB;q=0.7');
    expect(weighted.headers['content-language']).toBe('en');
    expect(weighted.body.detail).toBe(ERRORS.ROUTE_NOT_FOUND.en);
  });

  it('a request Node refuses before Fastify reads it is a problem with the same title, type and language', async () => {
    const res = await t.http().get('/api/v1/venues').query({ q: 'a'.repeat(100_000) });
    expect(res.status).toBe(431);
    expect(res.headers['content-language']).toBe('zh-CN');
    expect(JSON.parse(res.text)).toMatchObject({ type: `${BASE}/api/v1/problems/HEADERS_TOO_LARGE`, title: ERROR_TITLES.HEADERS_TOO_LARGE.zh, code: 'HEADERS_TOO_LARGE' });
  });
});

describe('405 and 415 (RFC 9110 §15.5.6, §15.5.16)', () => {
  it('a known path asked with a method it does not take is 405 with Allow; an unknown path stays 404', async () => {
    const login = await t.http().delete('/api/v1/auth/login');
    expect(login.status).toBe(405);
    expect(login.headers.allow).toBe('POST');
    expect(login.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(login.body).toMatchObject({ code: 'METHOD_NOT_ALLOWED', status: 405 });
    expect(login.body.detail).toContain('DELETE');

    const venue = await t.http().put('/api/v1/venues/00000000-0000-4000-8000-000000000000');
    expect(venue.status).toBe(405);
    expect(venue.headers.allow).toBe('GET, HEAD, PATCH');

    const open311 = await t.http().delete('/open311/v2/requests.xml');
    expect(open311.status).toBe(405);
    expect(open311.headers.allow).toBe('GET, HEAD, POST');
    expect(open311.headers['content-type']).toMatch(/^text\/xml/);
    expect(open311.text).toContain('<code>405</code>');

    expect((await t.http().delete('/api/v1/no-such-thing')).status).toBe(404);
    expect((await t.http().post('/open311/v2/no-such-document.json')).status).toBe(404);
  });

  it('a body of a media type the operation does not take is 415 and changes nothing', async () => {
    const phone = '13911112222';
    const asText = await t.http().post('/api/v1/auth/register').set('content-type', 'text/plain').send(JSON.stringify({ phone, password: 'a-Long-passphrase-77', displayName: '甲' }));
    expect(asText.status).toBe(415);
    expect(asText.body.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    const asForm = await t.http().post('/api/v1/auth/register').type('form').send({ phone, password: 'a-Long-passphrase-77', displayName: '甲' });
    expect(asForm.status).toBe(415);
    const asMultipart = await t.http().post('/api/v1/auth/register').field('phone', phone).field('password', 'a-Long-passphrase-77').field('displayName', '甲');
    expect(asMultipart.status).toBe(415);
    const login = await t.http().post('/api/v1/auth/login').send({ phone, password: 'a-Long-passphrase-77' });
    expect(login.status).toBe(401); // nobody was registered
    // JSON with its parameters is what the route takes
    const user = await insertUser(t.database.db, [], '13911113333');
    const ok = await t.http().post('/api/v1/auth/login').set('content-type', 'application/json; charset=utf-8').send(JSON.stringify({ phone: user.phone, password: PASSWORD }));
    expect(ok.status).toBe(200);
  });
});

describe('paths without a trailing slash', () => {
  it('the documented path answers; the same path with a slash is no path of the API', async () => {
    expect((await t.http().get('/api/v1/regions')).status).toBe(200);
    const slashed = await t.http().get('/api/v1/regions/');
    expect(slashed.status).toBe(404);
    expect(slashed.body.code).toBe('ROUTE_NOT_FOUND');
  });
});
