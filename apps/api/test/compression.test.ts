import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Fastify from 'fastify';
import compressPlugin, { entityTag, negotiateCoding, noneMatchHits } from '../src/plugins/external/compress.ts';
import { createTestApp, type TestApp } from './support/app.ts';
import { rawClient, type RawClient, type RawResponse } from './support/fuzz-http.ts';
import { ZHENGZHOU, ZHONGYUAN, bearerFor, insertCityFixture, insertUser } from './support/fixtures.ts';

/**
 * HTTP compression (RFC 9110 §8.4, §12.5.3) and conditional requests on the map (§13.1.2, §15.4.5),
 * over real HTTP: the raw bytes as they leave the server, not as a client library decodes them.
 */
let t: TestApp;
let http: RawClient;
let operatorToken: string;
let venueCoId: string;
const dist = mkdtempSync(path.join(tmpdir(), 'sports-test-dist-'));

// A built app in miniature, as apps/web/vite.config.ts writes it: each text file with a .br and a .gz.
const script = `export const greeting = ${JSON.stringify('你好，'.repeat(400))};\n`;
const page = `<!doctype html><html><head><script type="module" src="/assets/index-AbC123.js"></script></head><body>${'<p>场馆</p>'.repeat(200)}</body></html>`;
function writeBuilt(file: string, text: string) {
  const at = path.join(dist, file);
  mkdirSync(path.dirname(at), { recursive: true });
  writeFileSync(at, text);
  writeFileSync(`${at}.br`, brotliCompressSync(text));
  writeFileSync(`${at}.gz`, gzipSync(text));
}
writeBuilt('index.html', page);
writeBuilt('assets/index-AbC123.js', script);

const get = (p: string, headers: Record<string, string> = {}) => http.send({ method: 'GET', path: p, headers });
const decode = (res: RawResponse): Buffer => {
  const coding = res.headers['content-encoding'];
  if (coding === 'br') return brotliDecompressSync(res.body);
  if (coding === 'gzip') return gunzipSync(res.body);
  expect(coding).toBeUndefined();
  return res.body;
};

beforeAll(async () => {
  t = await createTestApp({ WEB_DIST: dist });
  const orgs = await insertCityFixture(t.database.db);
  venueCoId = orgs.venueCo.id;
  const operator = await insertUser(t.database.db, [{ role: 'operator', organisationId: venueCoId }]);
  operatorToken = await bearerFor(t.app, operator.phone);
  // Enough venues that the city's collection is well over the 1 kB threshold.
  for (let i = 0; i < 12; i++) await createVenue(i);
  http = await rawClient(t.app);
});

afterAll(async () => {
  http?.close();
  await t?.close();
  rmSync(dist, { recursive: true, force: true });
});

async function createVenue(i: number) {
  const res = await t
    .http()
    .post('/api/v1/venues')
    .set('authorization', operatorToken)
    .send({
      name: `压缩测试场馆${i}`,
      kind: 'gym',
      organisationId: venueCoId,
      districtCode: ZHONGYUAN,
      address: `测试路${i}号`,
      priceLevel: 'paid',
      sports: ['basketball', 'badminton'],
      lat: 34.74 + i * 0.001,
      lng: 113.6 + i * 0.001,
    });
  if (res.status !== 201) throw new Error(`venue not created: ${res.status} ${JSON.stringify(res.body)}`);
}

const CITY_MAP = `/api/v1/map/venues.geojson?city=${ZHENGZHOU}`;

describe('the whole-city GeoJSON', () => {
  it('is sent as brotli or gzip as the client accepts, each decoding to the same collection', async () => {
    const plain = await get(CITY_MAP);
    expect(plain.status).toBe(200);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers['content-type']).toMatch(/^application\/geo\+json/);
    const collection = JSON.parse(plain.body.toString('utf8'));
    expect(collection.type).toBe('FeatureCollection');
    expect(collection.features).toHaveLength(12);
    expect(plain.body.length).toBeGreaterThan(1024);

    const br = await get(CITY_MAP, { 'accept-encoding': 'gzip, deflate, br' });
    expect(br.headers['content-encoding']).toBe('br');
    const gz = await get(CITY_MAP, { 'accept-encoding': 'gzip' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    const preferred = await get(CITY_MAP, { 'accept-encoding': 'br;q=0.5, gzip;q=1' });
    expect(preferred.headers['content-encoding']).toBe('gzip');
    for (const res of [br, gz, preferred]) {
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^application\/geo\+json/);
      expect(res.headers['vary']).toMatch(/accept-encoding/i);
      expect(Number(res.headers['content-length'])).toBe(res.body.length);
      expect(res.body.length).toBeLessThan(plain.body.length / 3);
      expect(decode(res).equals(plain.body)).toBe(true);
    }
    expect(plain.headers['vary']).toMatch(/accept-encoding/i);
    // Refused codings and unknown ones get the identity.
    for (const header of ['identity', 'br;q=0, gzip;q=0', 'deflate', '*;q=0']) {
      const res = await get(CITY_MAP, { 'accept-encoding': header });
      expect(res.headers['content-encoding'], header).toBeUndefined();
      expect(res.body.equals(plain.body)).toBe(true);
    }
  });

  it('carries a strong ETag per representation, and answers If-None-Match with 304 and no body', async () => {
    const plain = await get(CITY_MAP);
    const br = await get(CITY_MAP, { 'accept-encoding': 'br' });
    const gz = await get(CITY_MAP, { 'accept-encoding': 'gzip' });
    const tags = [plain, br, gz].map((r) => r.headers['etag']!);
    for (const tag of tags) expect(tag).toMatch(/^"[A-Za-z0-9_-]+"$/); // strong: no W/
    expect(new Set(tags).size).toBe(3); // different bytes, different strong tags (RFC 9110 §8.8.3)
    expect(tags[1]).toBe(tags[0]!.replace(/"$/, '-br"'));
    expect(plain.headers['cache-control']).toBe('no-cache');
    // The same collection again: the same tag.
    expect((await get(CITY_MAP, { 'accept-encoding': 'br' })).headers['etag']).toBe(tags[1]);

    const revalidated = await get(CITY_MAP, { 'accept-encoding': 'br', 'if-none-match': tags[1]! });
    expect(revalidated.status).toBe(304);
    expect(revalidated.body.length).toBe(0);
    expect(revalidated.headers['content-encoding']).toBeUndefined();
    expect(revalidated.headers['etag']).toBe(tags[1]);
    expect(revalidated.headers['vary']).toMatch(/accept-encoding/i);
    // A list, a weak form of the tag, or `*` also match (If-None-Match uses the weak comparison).
    for (const header of [`"other", ${tags[2]}`, `W/${tags[0]}`, '*']) {
      expect((await get(CITY_MAP, { 'if-none-match': header })).status, header).toBe(304);
    }
    // Another filter is another collection.
    const other = await get(`${CITY_MAP}&sport=football`, { 'if-none-match': tags[0]! });
    expect(other.status).toBe(200);

    // A change of the collection changes the tag: the old one no longer matches.
    await createVenue(99);
    const changed = await get(CITY_MAP, { 'accept-encoding': 'br', 'if-none-match': tags[1]! });
    expect(changed.status).toBe(200);
    expect(changed.headers['etag']).not.toBe(tags[1]);
    expect(JSON.parse(decode(changed).toString('utf8')).features).toHaveLength(13);
  });

  it('leaves a small collection uncompressed', async () => {
    const res = await get('/api/v1/map/venues.geojson?bbox=100,20,100.001,20.001', { 'accept-encoding': 'br, gzip' });
    expect(res.status).toBe(200);
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(JSON.parse(res.body.toString('utf8'))).toEqual({ type: 'FeatureCollection', features: [] });
    expect(res.headers['etag']).toMatch(/^"[^"-]+"$/);
  });
});

describe('other API answers', () => {
  it('compresses a large JSON answer with the coding the client prefers', async () => {
    const plain = await get('/api/openapi.json');
    expect(plain.status).toBe(200);
    const br = await get('/api/openapi.json', { 'accept-encoding': 'gzip, deflate, br' });
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers['vary']).toMatch(/accept-encoding/i);
    expect(JSON.parse(decode(br).toString('utf8'))).toEqual(JSON.parse(plain.body.toString('utf8')));
    const gz = await get('/api/openapi.json', { 'accept-encoding': 'gzip' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(JSON.parse(decode(gz).toString('utf8'))).toEqual(JSON.parse(plain.body.toString('utf8')));
  });

  it('sends answers under 1 kB as they are', async () => {
    for (const p of ['/healthz', '/api/v1/map/settings', '/api/v1/venues/00000000-0000-0000-0000-000000000000']) {
      const res = await get(p, { 'accept-encoding': 'gzip, deflate, br' });
      expect(res.body.length, p).toBeLessThan(1024);
      expect(res.headers['content-encoding'], p).toBeUndefined();
      JSON.parse(res.body.toString('utf8'));
    }
  });

  it('never compresses a request the client refuses to have compressed', async () => {
    const res = await get('/api/openapi.json', { 'accept-encoding': 'identity' });
    expect(res.headers['content-encoding']).toBeUndefined();
  });
});

describe('a strong ETag of a route compressed by the plugin', () => {
  it('becomes weak on the compressed answer and stays strong on the identity one', async () => {
    const app = Fastify();
    await app.register(compressPlugin);
    const text = 'BEGIN:VCALENDAR\r\n'.repeat(200);
    app.get('/feed', (_request, reply) => reply.type('text/calendar; charset=utf-8').header('etag', '"v1"').send(text));
    const plain = await app.inject('/feed');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers['etag']).toBe('"v1"');
    const br = await app.inject({ url: '/feed', headers: { 'accept-encoding': 'br' } });
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers['etag']).toBe('W/"v1"');
    expect(brotliDecompressSync(br.rawPayload).toString('utf8')).toBe(text);
    await app.close();
  });
});

describe('the built web app', () => {
  it('serves the precompressed brotli and gzip copies of a hashed asset, cached for a year', async () => {
    const br = await get('/assets/index-AbC123.js', { 'accept-encoding': 'gzip, deflate, br' });
    expect(br.status).toBe(200);
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers['content-type']).toMatch(/^(text|application)\/javascript/);
    expect(br.headers['vary']).toMatch(/accept-encoding/i);
    expect(br.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(br.body.equals(brotliCompressSync(script))).toBe(true); // the built file, not compressed again
    expect(decode(br).toString('utf8')).toBe(script);

    const gz = await get('/assets/index-AbC123.js', { 'accept-encoding': 'gzip' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gz.headers['content-type']).toMatch(/^(text|application)\/javascript/);
    expect(decode(gz).toString('utf8')).toBe(script);

    const plain = await get('/assets/index-AbC123.js');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers['vary']).toMatch(/accept-encoding/i);
    expect(plain.body.toString('utf8')).toBe(script);
  });

  it('serves index.html precompressed for a deep link, never cached without revalidation', async () => {
    for (const p of ['/', '/console/organisations']) {
      const res = await get(p, { 'accept-encoding': 'br' });
      expect(res.status, p).toBe(200);
      expect(res.headers['content-encoding'], p).toBe('br');
      expect(res.headers['content-type'], p).toMatch(/^text\/html/);
      expect(res.headers['cache-control'], p).toBe('no-cache');
      expect(decode(res).toString('utf8')).toBe(page);
    }
    const plain = await get('/console/organisations');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.toString('utf8')).toBe(page);
  });
});

describe('negotiation and tags', () => {
  it('picks the admitted coding of highest q, brotli first at equal q', () => {
    expect(negotiateCoding(undefined)).toBeUndefined();
    expect(negotiateCoding('')).toBeUndefined();
    expect(negotiateCoding('gzip, deflate, br')).toBe('br');
    expect(negotiateCoding('gzip')).toBe('gzip');
    expect(negotiateCoding('x-gzip')).toBe('gzip');
    expect(negotiateCoding('br;q=0.1, gzip;q=0.9')).toBe('gzip');
    expect(negotiateCoding('*')).toBe('br');
    expect(negotiateCoding('*;q=0, gzip')).toBe('gzip');
    expect(negotiateCoding('br;q=0, *')).toBe('gzip');
    expect(negotiateCoding('identity, deflate')).toBeUndefined();
    expect(negotiateCoding('GZIP;Q=0.5')).toBe('gzip');
  });

  it('matches If-None-Match against every coding of the same body', () => {
    expect(entityTag('abc', undefined)).toBe('"abc"');
    expect(entityTag('abc', 'gzip')).toBe('"abc-gzip"');
    expect(noneMatchHits('"abc-br"', 'abc')).toBe(true);
    expect(noneMatchHits('W/"abc"', 'abc')).toBe(true);
    expect(noneMatchHits('"x", "abc-gzip"', 'abc')).toBe(true);
    expect(noneMatchHits('"abcd"', 'abc')).toBe(false);
    expect(noneMatchHits(undefined, 'abc')).toBe(false);
  });
});
