import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { count, eq } from 'drizzle-orm';
import { schema } from '@sports/db';
import { createTestApp, type TestApp } from './support/app.ts';
import { rawClient } from './support/fuzz-http.ts';
import { JINSHUI, ZHENGZHOU, insertCityFixture, insertUser } from './support/fixtures.ts';

/** Open311 GeoReport v2 conformance: every endpoint in JSON and XML, errors included. */
const now = new Date('2026-11-24T10:00:00+08:00');

let t: TestApp;
let orgs: Awaited<ReturnType<typeof insertCityFixture>>;
let apiKey: string;
let clientId: string;
const people = {} as Record<'cityBureau' | 'jinshuiBureau' | 'operator' | 'resident', { id: string; token: string }>;

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
function post(format: 'json' | 'xml', fields: Record<string, string>) {
  return t.http().post(`/open311/v2/requests.${format}`).set('content-type', 'application/x-www-form-urlencoded').send(form(fields));
}
async function tokenOf(code: string): Promise<string> {
  const [row] = await t.database.db.select({ id: schema.tickets.id }).from(schema.tickets).where(eq(schema.tickets.code, code));
  return row!.id;
}
const xmlOf = (res: { text: string }) => res.text;
/** The text of every `<name>` element, in order. */
const all = (xml: string, name: string) => [...xml.matchAll(new RegExp(`<${name}>([^<]*)</${name}>`, 'g'))].map((m) => m[1]);

beforeAll(async () => {
  t = await createTestApp({}, () => now);
  const db = t.database.db;
  orgs = await insertCityFixture(db);
  const [venue] = await db
    .insert(schema.venues)
    .values({ name: '金水滨河健身路径', kind: 'fitness_path', organisationId: orgs.venueCo.id, cityCode: ZHENGZHOU, districtCode: JINSHUI, lat: 34.78, lng: 113.66, priceLevel: 'free' })
    .returning({ id: schema.venues.id });
  await db.insert(schema.assets).values({ venueId: venue!.id, code: 'XPNWK222', type: 'walker', name: '漫步机1号', installDate: '2023-01-01', serviceLifeYears: 8 });
  for (const [name, roles] of [
    ['cityBureau', [{ role: 'bureau_admin', organisationId: orgs.zzBureau.id }]],
    ['jinshuiBureau', [{ role: 'bureau_admin', organisationId: orgs.jinshuiBureau.id }]],
    ['operator', [{ role: 'operator', organisationId: orgs.venueCo.id }]],
    ['resident', []],
  ] as const) {
    const user = await insertUser(db, [...roles]);
    people[name] = { id: user.id, token: `Bearer ${t.app.jwt.sign({ sub: user.id })}` };
  }
  const issued = await t.http().post('/api/v1/open311-clients').set('authorization', people.cityBureau.token).send({ name: '12345 热线' });
  expect(issued.status, JSON.stringify(issued.body)).toBe(201);
  apiKey = issued.body.apiKey;
  clientId = issued.body.id;
});
afterAll(() => t.close());

describe('keys, issued in the console', () => {
  it('a bureau admin issues a key shown once, lists clients without it, and only bureau admins may', async () => {
    expect(apiKey).toMatch(/^o311_[\w-]{32}$/);
    const list = await t.http().get('/api/v1/open311-clients').set('authorization', people.cityBureau.token);
    expect(list.status).toBe(200);
    expect(list.body).toEqual([expect.objectContaining({ id: clientId, name: '12345 热线', keyPrefix: apiKey.slice(0, 9), revokedAt: null, requests: 0 })]);
    expect(JSON.stringify(list.body)).not.toContain(apiKey);
    const [row] = await t.database.db.select().from(schema.open311Clients).where(eq(schema.open311Clients.id, clientId));
    expect(row!.keyHash).not.toContain(apiKey);
    for (const who of [people.operator, people.resident]) {
      expect((await t.http().get('/api/v1/open311-clients').set('authorization', who.token)).status).toBe(403);
      expect((await t.http().post('/api/v1/open311-clients').set('authorization', who.token).send({ name: '别人' })).status).toBe(403);
    }
    const blank = await t.http().post('/api/v1/open311-clients').set('authorization', people.cityBureau.token).send({ name: '  ' });
    expect(blank.status).toBe(400);
    const notBureau = await t.http().post('/api/v1/open311-clients').set('authorization', people.cityBureau.token).send({ name: '运营公司', organisationId: orgs.venueCo.id });
    expect(notBureau.status).toBe(400);
    const [clients] = await t.database.db.select({ n: count() }).from(schema.open311Clients);
    expect(clients!.n).toBe(1);
  });
});

describe('GeoReport v2', () => {
  it('discovery names the endpoint and both formats', async () => {
    const json = await t.http().get('/open311/v2/discovery.json');
    expect(json.status).toBe(200);
    expect(json.body.endpoints[0]).toMatchObject({ specification: 'http://wiki.open311.org/GeoReport_v2', formats: ['text/xml', 'application/json'] });
    const xml = await t.http().get('/open311/v2/discovery.xml');
    expect(xml.headers['content-type']).toMatch(/^text\/xml/);
    expect(xmlOf(xml)).toMatch(/^<\?xml version="1.0" encoding="utf-8"\?><discovery>/);
    expect(all(xmlOf(xml), 'format')).toEqual(['text/xml', 'application/json']);
  });

  it('services: one per kind of equipment, the same in JSON and XML', async () => {
    const json = await t.http().get('/open311/v2/services.json');
    expect(json.status).toBe(200);
    expect(json.body.find((s: { service_code: string }) => s.service_code === 'walker')).toMatchObject({ service_name: '漫步机', metadata: true, type: 'realtime', group: '健身器材' });
    const xml = xmlOf(await t.http().get('/open311/v2/services.xml'));
    expect(xml).toContain('<services><service><service_code>');
    expect(all(xml, 'service_code')).toEqual(json.body.map((s: { service_code: string }) => s.service_code));
  });

  it('a service definition lists the fault as a required single-value list', async () => {
    const json = await t.http().get('/open311/v2/services/walker.json');
    expect(json.status).toBe(200);
    const fault = json.body.attributes.find((a: { code: string }) => a.code === 'fault');
    expect(fault).toMatchObject({ variable: true, datatype: 'singlevaluelist', required: true, order: 1 });
    expect(fault.values.map((v: { key: string }) => v.key)).toContain('pedal_loose');
    const xml = xmlOf(await t.http().get('/open311/v2/services/walker.xml'));
    expect(xml).toContain('<service_definition><service_code>walker</service_code><attributes><attribute><variable>true</variable>');
    expect(xml).toContain('<values><value><key>pedal_loose</key>');
    const missing = await t.http().get('/open311/v2/services/rocket.xml');
    expect(missing.status).toBe(404);
    expect(xmlOf(missing)).toMatch(/<errors><error><code>404<\/code><description>service_code rocket not found<\/description><\/error><\/errors>$/);
    expect((await t.http().get('/open311/v2/services/rocket.json')).body).toEqual([{ code: 404, description: 'service_code rocket not found' }]);
  });

  it('posting a request: by asset code or by point, in JSON and XML; it enters the workflow with the right owner', async () => {
    const byAsset = await post('json', { api_key: apiKey, service_code: 'walker', 'attribute[fault]': 'pedal_loose', 'attribute[asset_code]': 'xpnwk222', description: '踏板松了' });
    expect(byAsset.status, byAsset.text).toBe(201);
    // The spec: service_request_id, or else a token; never both.
    expect(byAsset.body).toEqual([{ service_request_id: expect.stringMatching(/^[2-9A-Z]{8}$/), service_notice: '', account_id: '' }]);
    const [ticket] = await t.database.db.select().from(schema.tickets).where(eq(schema.tickets.code, byAsset.body[0].service_request_id));
    // Equipment of a public fitness path is the district bureau's to fix.
    expect(ticket).toMatchObject({ source: 'open311', open311ClientId: clientId, state: 'submitted', organisationId: orgs.jinshuiBureau.id, description: '踏板松了' });

    const byPoint = await post('xml', { api_key: apiKey, service_code: 'lighting', 'attribute[fault]': 'light_out', lat: '34.7801', long: '113.6602', phone: '13712345678' });
    expect(byPoint.status, byPoint.text).toBe(201);
    expect(xmlOf(byPoint)).toMatch(/^<\?xml version="1.0" encoding="utf-8"\?><service_requests><request><service_request_id>[2-9A-Z]{8}<\/service_request_id><service_notice>/);

    const list = await t.http().get('/api/v1/open311-clients').set('authorization', people.cityBureau.token);
    expect(list.body[0].requests).toBe(2);
  });

  it('refuses a bad post in the spec’s error form, with its status, and writes nothing', async () => {
    const [before] = await t.database.db.select({ n: count() }).from(schema.tickets);
    const cases: [Record<string, string>, number, RegExp][] = [
      [{ api_key: 'wrong', service_code: 'walker', 'attribute[fault]': 'pedal_loose', lat: '34.78', long: '113.66' }, 403, /api_key/],
      [{ service_code: 'walker', 'attribute[fault]': 'pedal_loose', lat: '34.78', long: '113.66' }, 403, /api_key/],
      [{ api_key: apiKey, service_code: 'rocket', lat: '34.78', long: '113.66' }, 404, /service_code/],
      [{ api_key: apiKey, service_code: 'walker', lat: '34.78', long: '113.66' }, 400, /attribute\[fault\]/],
      [{ api_key: apiKey, service_code: 'walker', 'attribute[fault]': 'on_fire', lat: '34.78', long: '113.66' }, 400, /attribute\[fault\]/],
      [{ api_key: apiKey, service_code: 'walker', 'attribute[fault]': 'pedal_loose' }, 400, /lat and long, address_string/],
      [{ api_key: apiKey, service_code: 'walker', 'attribute[fault]': 'pedal_loose', lat: 'north', long: '113.66' }, 400, /lat/],
      [{ api_key: apiKey, service_code: 'walker', 'attribute[fault]': 'pedal_loose', 'attribute[asset_code]': 'NOPE2222' }, 400, /asset/],
    ];
    for (const [fields, status, description] of cases) {
      const json = await post('json', fields);
      expect(json.status, JSON.stringify(fields)).toBe(status);
      expect(json.body).toEqual([{ code: status, description: expect.stringMatching(description) }]);
      const xml = await post('xml', fields);
      expect(xml.status).toBe(status);
      expect(xmlOf(xml)).toContain(`<errors><error><code>${status}</code><description>`);
    }
    const [after] = await t.database.db.select({ n: count() }).from(schema.tickets);
    expect(after!.n).toBe(before!.n);
  });

  it('every kind of equipment has its service definition, codes with an underscore too', async () => {
    const services = (await t.http().get('/open311/v2/services.json')).body as { service_code: string }[];
    expect(services.map((s) => s.service_code)).toContain('air_walker');
    for (const { service_code: code } of services) {
      const res = await t.http().get(`/open311/v2/services/${code}.json`);
      expect(res.status, code).toBe(200);
      expect(res.body.service_code).toBe(code);
    }
  });

  it('an unknown service_code in the request filter matches nothing: 200 and an empty list, never a 500', async () => {
    for (const format of ['json', 'xml'] as const) {
      const res = await t.http().get(`/open311/v2/requests.${format}`).query({ service_code: 'rocket' });
      expect(res.status).toBe(200);
      if (format === 'json') expect(res.body).toEqual([]);
      else expect(xmlOf(res)).toMatch(/<service_requests><\/service_requests>$/);
    }
  });

  it('a malformed or too long path is refused in the spec’s error form too, not as problem+json', async () => {
    const client = await rawClient(t.app);
    try {
      for (const path of ['/open311/v2/tokens/%ZZ.json', `/open311/v2/requests/${'A'.repeat(120)}.json`, `/open311/v2/services.${'j'.repeat(120)}`]) {
        const res = await client.send({ method: 'GET', path, headers: {} });
        expect(res.status, path).toBeGreaterThanOrEqual(400);
        expect(res.status, path).toBeLessThan(500);
        expect(res.headers['content-type'], path).toMatch(/^application\/json/);
        expect(JSON.parse(res.body.toString()), path).toEqual([{ code: res.status, description: expect.any(String) }]);
      }
      const xml = await client.send({ method: 'GET', path: '/open311/v2/tokens/%ZZ.xml', headers: {} });
      expect(xml.headers['content-type']).toMatch(/^text\/xml/);
      expect(xml.body.toString()).toContain(`<errors><error><code>${xml.status}</code>`);
    } finally {
      client.close();
    }
  });

  it('lists requests with the spec’s filters and pages; one request; a token; statuses map to open and closed', async () => {
    const posted = await post('json', { api_key: apiKey, service_code: 'fence', 'attribute[fault]': 'hole', lat: '34.7790', long: '113.6610' });
    const id = posted.body[0].service_request_id as string;
    const token = await tokenOf(id);
    const all311 = await t.http().get('/open311/v2/requests.json');
    expect(all311.status).toBe(200);
    expect(all311.body.length).toBeGreaterThanOrEqual(3);
    // All were posted at the same instant here, so find it rather than count on the order.
    const mine = all311.body.find((r: { service_request_id: string }) => r.service_request_id === id);
    expect(mine).toMatchObject({ service_request_id: id, status: 'open', service_code: 'fence', service_name: '围网', lat: 34.779, long: 113.661 });
    expect(Object.keys(mine).sort()).toEqual(
      ['address', 'address_id', 'agency_responsible', 'description', 'expected_datetime', 'lat', 'long', 'media_url', 'requested_datetime', 'service_code', 'service_name', 'service_notice', 'service_request_id', 'status', 'status_notes', 'token', 'updated_datetime', 'zipcode'].sort(),
    );

    const fence = await t.http().get('/open311/v2/requests.json?service_code=fence');
    expect(fence.body.map((r: { service_request_id: string }) => r.service_request_id)).toEqual([id]);
    const paged = await t.http().get('/open311/v2/requests.json?page=2&page_size=1');
    expect(paged.body).toHaveLength(1);
    expect(paged.body[0].service_request_id).toBe(all311.body[1].service_request_id);
    const later = await t.http().get(`/open311/v2/requests.json?start_date=${encodeURIComponent('2026-11-25T00:00:00+08:00')}`);
    expect(later.body).toEqual([]);

    // Closed once rejected (a staff move); open ones stay open.
    const [row] = await t.database.db.select().from(schema.tickets).where(eq(schema.tickets.code, id));
    await t.database.db.update(schema.tickets).set({ state: 'rejected' }).where(eq(schema.tickets.id, row!.id));
    expect((await t.http().get(`/open311/v2/requests.json?status=closed`)).body.map((r: { service_request_id: string }) => r.service_request_id)).toEqual([id]);
    expect((await t.http().get(`/open311/v2/requests.json?status=open`)).body.map((r: { service_request_id: string }) => r.service_request_id)).not.toContain(id);

    const one = await t.http().get(`/open311/v2/requests/${id}.xml`);
    expect(one.status).toBe(200);
    expect(xmlOf(one)).toContain(`<service_requests><request><service_request_id>${id}</service_request_id>`);
    expect(all(xmlOf(one), 'status')).toEqual(['closed']);
    const otherId = all311.body.find((r: { service_request_id: string }) => r.service_request_id !== id).service_request_id;
    const several = await t.http().get(`/open311/v2/requests.json?service_request_id=${id},${otherId}`);
    expect(several.body).toHaveLength(2);

    const byToken = await t.http().get(`/open311/v2/tokens/${token}.json`);
    expect(byToken.body).toEqual([{ service_request_id: id, token }]);
    expect(xmlOf(await t.http().get(`/open311/v2/tokens/${token}.xml`))).toContain(`<service_request_id>${id}</service_request_id>`);

    for (const url of ['/open311/v2/requests/ZZZZZZZZ.json', '/open311/v2/tokens/00000000-0000-4000-8000-000000000000.json', '/open311/v2/requests.yaml', '/open311/v2/nothing.json']) {
      const res = await t.http().get(url);
      expect(res.status, url).toBe(404);
      expect(res.body[0].code).toBe(404);
    }
    const bad = await t.http().get('/open311/v2/requests.xml?start_date=yesterday');
    expect(bad.status).toBe(400);
    expect(xmlOf(bad)).toContain('<errors><error><code>400</code>');
    const backwards = await t.http().get(`/open311/v2/requests.json?start_date=2026-11-24T00:00:00Z&end_date=2026-11-01T00:00:00Z`);
    expect(backwards.status).toBe(400);
  });

  it('status notes carry only what staff wrote for the public, never a transfer’s reason or an internal note', async () => {
    const posted = await post('json', { api_key: apiKey, service_code: 'fence', 'attribute[fault]': 'hole', lat: '34.7795', long: '113.6605' });
    expect(posted.status, posted.text).toBe(201);
    const code = posted.body[0].service_request_id as string;
    const id = await tokenOf(code);
    const notesOf = async () => {
      const json = await t.http().get(`/open311/v2/requests/${code}.json`);
      const xml = xmlOf(await t.http().get(`/open311/v2/requests/${code}.xml`));
      expect(all(xml, 'status_notes')).toEqual([json.body[0].status_notes]);
      const listed = (await t.http().get('/open311/v2/requests.json')).body.find((r: { service_request_id: string }) => r.service_request_id === code);
      expect(listed.status_notes).toBe(json.body[0].status_notes);
      return json.body[0].status_notes as string;
    };
    const staffMove = async (who: { token: string }, body: Record<string, unknown>) => {
      const res = await t.http().post(`/api/v1/tickets/${id}/moves`).set('authorization', who.token).send(body);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
    };
    const schoolAdmin = await insertUser(t.database.db, [{ role: 'school_admin', organisationId: orgs.schoolX.id }]);
    const school = { token: `Bearer ${t.app.jwt.sign({ sub: schoolAdmin.id })}` };
    await staffMove(people.jinshuiBureau, { move: 'transfer', reason: '内部：这条路归甲中学管，别找我们', targetOrganisationId: orgs.schoolX.id });
    expect(await notesOf()).toBe('');
    const note = await t.http().post(`/api/v1/tickets/${id}/notes`).set('authorization', school.token).send({ text: '已安排周三上门维修', internal: false });
    expect(note.status).toBe(201);
    const secret = await t.http().post(`/api/v1/tickets/${id}/notes`).set('authorization', school.token).send({ text: '预算还没批', internal: true });
    expect(secret.status).toBe(201);
    expect(await notesOf()).toBe('已安排周三上门维修');
    await staffMove(school, { move: 'reject', reason: '经核实设施完好，无需维修' });
    expect(await notesOf()).toBe('经核实设施完好，无需维修');
  });

  it('a revoked key is refused at once; what it posted stays', async () => {
    const revoked = await t.http().post(`/api/v1/open311-clients/${clientId}/revoke`).set('authorization', people.cityBureau.token);
    expect(revoked.status).toBe(200);
    expect(revoked.body.revokedAt).not.toBeNull();
    expect((await t.http().post(`/api/v1/open311-clients/${clientId}/revoke`).set('authorization', people.operator.token)).status).toBe(403);
    const res = await post('json', { api_key: apiKey, service_code: 'walker', 'attribute[fault]': 'pedal_loose', lat: '34.78', long: '113.66' });
    expect(res.status).toBe(403);
    expect((await t.http().get('/open311/v2/requests.json')).body.length).toBeGreaterThanOrEqual(3);
  });
});
