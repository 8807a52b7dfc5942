import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { count, eq, inArray } from 'drizzle-orm';
import { schema } from '@sports/db';
import { ASSET_CATALOGUE } from '@sports/domain';
import { createTestApp, type TestApp } from './support/app.ts';
import { JINSHUI, ORDOS, ZHENGZHOU, insertCityFixture, insertUser } from './support/fixtures.ts';
import { renderedNotifications } from './support/notifications.ts';
import { parseXml, records } from './open311-xml.ts';

/**
 * GeoReport v2 (wiki.open311.org/GeoReport_v2), point by point from the spec's text, in JSON and in
 * XML; the XML is read by a parser of its own, as a generic client would.
 */
const now = new Date('2026-11-24T10:00:00+08:00');
const DAY = 86_400_000;

let t: TestApp;
let orgs: Awaited<ReturnType<typeof insertCityFixture>>;
let zzKey: string;
let ordosKey: string;
let zzVenueId: string;

type Format = 'json' | 'xml';
const FORMATS: Format[] = ['json', 'xml'];

/** A GET requests answer as a generic client reads it: the list of requests, each field as text. */
async function getRequests(format: Format, query: Record<string, string> | string = {}, path = '/open311/v2/requests') {
  const res = await t.http().get(`${path}.${format}`).query(query);
  if (res.status !== 200) return { status: res.status, rows: [] as Record<string, string>[], errors: errorsOf(format, res) };
  const rows =
    format === 'json'
      ? (res.body as Record<string, unknown>[]).map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v === null ? '' : String(v)])))
      : records(res.text, 'service_requests', 'request');
  return { status: res.status, rows, errors: [] as { code: string; description: string }[] };
}
function errorsOf(format: Format, res: { text: string; body: unknown; headers: Record<string, string> }): { code: string; description: string }[] {
  if (format === 'xml') {
    expect(res.headers['content-type']).toMatch(/^text\/xml/);
    return records(res.text, 'errors', 'error') as { code: string; description: string }[];
  }
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  return (res.body as { code: number; description: string }[]).map((e) => ({ code: String(e.code), description: e.description }));
}
const ids = (rows: Record<string, string>[]) => rows.map((r) => r.service_request_id).sort();

function post(format: Format, fields: Record<string, string>) {
  return t.http().post(`/open311/v2/requests.${format}`).set('content-type', 'application/x-www-form-urlencoded').send(new URLSearchParams(fields).toString());
}
/** Posts and answers the new service_request_id, as either format gives it. */
async function file(format: Format, fields: Record<string, string>): Promise<string> {
  const res = await post(format, fields);
  expect(res.status, res.text).toBe(201);
  const [created] = format === 'json' ? (res.body as Record<string, string>[]) : records(res.text, 'service_requests', 'request');
  return created!.service_request_id!;
}
async function ticketCount(): Promise<number> {
  const [row] = await t.database.db.select({ n: count() }).from(schema.tickets);
  return row!.n;
}
async function ticket(code: string) {
  const [row] = await t.database.db.select().from(schema.tickets).where(eq(schema.tickets.code, code));
  return row!;
}
async function setCreated(code: string, at: Date) {
  await t.database.db.update(schema.tickets).set({ createdAt: at }).where(eq(schema.tickets.code, code));
}

const ZZ_POINT = { lat: '34.7801', long: '113.6602' };
const ORDOS_POINT = { lat: '39.6070', long: '109.7850' };

const codes = {} as Record<'zzWalker' | 'zzTwister' | 'zzLighting' | 'ordosLighting' | 'old' | 'edge', string>;

beforeAll(async () => {
  t = await createTestApp({}, () => now);
  const db = t.database.db;
  orgs = await insertCityFixture(db);
  const [venue] = await db
    .insert(schema.venues)
    .values({ name: '金水滨河健身路径', address: '郑州市金水区滨河路18号', kind: 'fitness_path', organisationId: orgs.venueCo.id, cityCode: ZHENGZHOU, districtCode: JINSHUI, lat: 34.78, lng: 113.66, priceLevel: 'free' })
    .returning({ id: schema.venues.id });
  zzVenueId = venue!.id;
  await db
    .insert(schema.venues)
    .values({ name: '康巴什体育公园', address: '鄂尔多斯市康巴什区体育路1号', kind: 'park', organisationId: orgs.ordosBureau.id, cityCode: ORDOS, districtCode: '150603', lat: 39.607, lng: 109.785, priceLevel: 'free' });
  const issue = async (organisationId: string, name: string) => {
    const admin = await insertUser(db, [{ role: 'bureau_admin', organisationId }]);
    const res = await t.http().post('/api/v1/open311-clients').set('authorization', `Bearer ${t.app.jwt.sign({ sub: admin.id })}`).send({ name });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.apiKey as string;
  };
  zzKey = await issue(orgs.zzBureau.id, '郑州 12345');
  ordosKey = await issue(orgs.ordosBureau.id, '鄂尔多斯 12345');

  codes.zzWalker = await file('json', { api_key: zzKey, service_code: 'walker', 'attribute[fault]': 'pedal_loose', ...ZZ_POINT });
  codes.zzTwister = await file('xml', { api_key: zzKey, service_code: 'twister', 'attribute[fault]': 'disc_stuck', ...ZZ_POINT });
  codes.zzLighting = await file('json', { api_key: zzKey, service_code: 'lighting', 'attribute[fault]': 'light_out', ...ZZ_POINT });
  codes.ordosLighting = await file('json', { api_key: ordosKey, service_code: 'lighting', 'attribute[fault]': 'light_out', ...ORDOS_POINT });
  codes.old = await file('json', { api_key: zzKey, service_code: 'lighting', 'attribute[fault]': 'light_out', ...ZZ_POINT });
  await setCreated(codes.old, new Date(now.getTime() - 100 * DAY));
  codes.edge = await file('json', { api_key: zzKey, service_code: 'lighting', 'attribute[fault]': 'light_out', ...ZZ_POINT });
  await setCreated(codes.edge, new Date(now.getTime() - 89 * DAY));
  // The zz lighting request is closed.
  await t.database.db.update(schema.tickets).set({ state: 'rejected' }).where(eq(schema.tickets.code, codes.zzLighting));
});
afterAll(() => t.close());

describe('GET requests: the spec’s parameters', () => {
  it('service_code takes a comma list; an unknown code matches nothing (200, empty), never a 500', async () => {
    for (const format of FORMATS) {
      expect(ids((await getRequests(format, { service_code: 'walker,twister' })).rows), format).toEqual([codes.zzWalker, codes.zzTwister].sort());
      expect(ids((await getRequests(format, { service_code: 'walker, pothole' })).rows), format).toEqual([codes.zzWalker]);
      for (const unknown of ['pothole', 'WALKER', 'walker;drop table', ',,']) {
        const res = await getRequests(format, { service_code: unknown });
        expect(res.status, `${format} ${unknown}`).toBe(200);
        expect(res.rows, `${format} ${unknown}`).toEqual(unknown === ',,' ? res.rows : []);
      }
    }
  });

  it('status takes a comma list of open and closed; an unknown status matches nothing', async () => {
    for (const format of FORMATS) {
      const closed = await getRequests(format, { status: 'closed' });
      expect(ids(closed.rows)).toEqual([codes.zzLighting]);
      expect(closed.rows[0]!.status).toBe('closed');
      const open = await getRequests(format, { status: 'open' });
      expect(ids(open.rows)).not.toContain(codes.zzLighting);
      expect(open.rows.every((r) => r.status === 'open')).toBe(true);
      const both = await getRequests(format, { status: 'open,closed' });
      expect(ids(both.rows)).toEqual(ids((await getRequests(format)).rows));
      const maybe = await getRequests(format, { status: 'maybe' });
      expect(maybe.status).toBe(200);
      expect(maybe.rows).toEqual([]);
    }
  });

  it('empty optional parameters are as if not sent', async () => {
    for (const format of FORMATS) {
      const plain = await getRequests(format);
      const empty = await getRequests(format, 'service_request_id=&service_code=&start_date=&end_date=&status=&jurisdiction_id=&api_key=&page=&page_size=');
      expect(empty.status, JSON.stringify(empty.errors)).toBe(200);
      expect(ids(empty.rows)).toEqual(ids(plain.rows));
      expect(plain.rows.length).toBeGreaterThanOrEqual(5);
    }
  });

  it('service_request_id, a comma list, overrides every other parameter', async () => {
    for (const format of FORMATS) {
      const res = await getRequests(format, { service_request_id: `${codes.zzWalker},${codes.old.toLowerCase()}`, service_code: 'pothole', status: 'closed', start_date: '2026-11-24T09:00:00+08:00' });
      expect(ids(res.rows), format).toEqual([codes.zzWalker, codes.old].sort());
    }
  });

  it('without dates, the last 90 days; a range may not span more than 90 days', async () => {
    for (const format of FORMATS) {
      const plain = ids((await getRequests(format)).rows);
      expect(plain).toContain(codes.edge);
      expect(plain).not.toContain(codes.old);
      const back = await getRequests(format, { start_date: new Date(now.getTime() - 101 * DAY).toISOString(), end_date: new Date(now.getTime() - 99 * DAY).toISOString() });
      expect(ids(back.rows)).toEqual([codes.old]);
      // Only an end: the 90 days up to it.
      expect(ids((await getRequests(format, { end_date: new Date(now.getTime() - 95 * DAY).toISOString() })).rows)).toEqual([codes.old]);
      const long = await getRequests(format, { start_date: '2026-01-01T00:00:00Z', end_date: '2026-11-24T00:00:00Z' });
      expect(long.status).toBe(400);
      expect(long.errors).toEqual([{ code: '400', description: expect.stringMatching(/90 days/) }]);
    }
  });

  it('a date-time without an offset is read in the jurisdiction’s time zone (Asia/Shanghai)', async () => {
    // All but two were requested at 10:00 in Zhengzhou (02:00Z).
    for (const format of FORMATS) {
      expect(ids((await getRequests(format, { start_date: '2026-11-24T09:59:00' })).rows)).toContain(codes.zzWalker);
      expect(ids((await getRequests(format, { start_date: '2026-11-24T10:01:00' })).rows)).toEqual([]);
      expect(ids((await getRequests(format, { start_date: '2026-11-24T09:59:00', jurisdiction_id: ZHENGZHOU })).rows)).toContain(codes.zzWalker);
      expect(ids((await getRequests(format, { end_date: '2026-11-24T09:59' })).rows)).not.toContain(codes.zzWalker);
      expect(ids((await getRequests(format, { start_date: '2026-11-24' })).rows)).toContain(codes.zzWalker);
      for (const bad of ['2026-13-01T00:00:00', '2026-02-30', 'yesterday', '2026-11-24T25:00:00+08:00']) {
        const res = await getRequests(format, { start_date: bad });
        expect(res.status, bad).toBe(400);
        expect(res.errors[0]!.description).toMatch(/start_date/);
      }
    }
  });

  it('a key on a GET is accepted and reads its own jurisdiction only; jurisdiction_id is honoured; unknown ones are 404', async () => {
    for (const format of FORMATS) {
      const everyone = ids((await getRequests(format)).rows);
      expect(everyone).toEqual(expect.arrayContaining([codes.zzWalker, codes.ordosLighting]));
      const zz = await getRequests(format, { api_key: zzKey });
      expect(zz.status).toBe(200);
      expect(ids(zz.rows)).toContain(codes.zzWalker);
      expect(ids(zz.rows)).not.toContain(codes.ordosLighting);
      expect(ids((await getRequests(format, { api_key: ordosKey })).rows)).toEqual([codes.ordosLighting]);
      expect(ids((await getRequests(format, { jurisdiction_id: ORDOS })).rows)).toEqual([codes.ordosLighting]);
      expect(ids((await getRequests(format, { jurisdiction_id: ZHENGZHOU })).rows)).toEqual(ids(zz.rows));
      // Even by id, another city's request is not this key's to read.
      expect((await getRequests(format, { api_key: zzKey, service_request_id: codes.ordosLighting })).rows).toEqual([]);
      const one = await t.http().get(`/open311/v2/requests/${codes.ordosLighting}.${format}`).query({ api_key: zzKey });
      expect(one.status).toBe(404);
      expect((await t.http().get(`/open311/v2/requests/${codes.ordosLighting}.${format}`).query({ jurisdiction_id: ORDOS })).status).toBe(200);

      const unknown = await getRequests(format, { jurisdiction_id: '999999' });
      expect(unknown.status).toBe(404);
      expect(unknown.errors).toEqual([{ code: '404', description: expect.stringMatching(/jurisdiction_id/) }]);
      const mismatch = await getRequests(format, { api_key: zzKey, jurisdiction_id: ORDOS });
      expect(mismatch.status).toBe(403);
      expect(mismatch.errors[0]!.code).toBe('403');
      const wrongKey = await getRequests(format, { api_key: 'not-a-key' });
      expect(wrongKey.status).toBe(403);
    }
  });

  it('the service list and definitions honour jurisdiction_id and api_key as every read does', async () => {
    for (const format of FORMATS) {
      for (const path of ['/open311/v2/services', '/open311/v2/services/basketball_hoop']) {
        const plain = await t.http().get(`${path}.${format}`);
        expect(plain.status, path).toBe(200);
        const here = await t.http().get(`${path}.${format}`).query({ jurisdiction_id: ORDOS });
        expect(here.status, path).toBe(200);
        expect(here.text).toBe(plain.text);
        expect((await t.http().get(`${path}.${format}`).query({ api_key: zzKey, jurisdiction_id: ZHENGZHOU })).status, path).toBe(200);
        const unknown = await t.http().get(`${path}.${format}`).query({ jurisdiction_id: '999999' });
        expect(unknown.status, path).toBe(404);
        expect(errorsOf(format, unknown)).toEqual([{ code: '404', description: expect.stringMatching(/jurisdiction_id/) }]);
        expect((await t.http().get(`${path}.${format}`).query({ api_key: zzKey, jurisdiction_id: ORDOS })).status, path).toBe(403);
        expect((await t.http().get(`${path}.${format}`).query({ api_key: 'not-a-key' })).status, path).toBe(403);
      }
    }
  });
});

describe('POST requests', () => {
  it('a request filed without a description reads back with its fault, so the field is never empty', async () => {
    for (const format of FORMATS) {
      const code = await file(format, { api_key: zzKey, service_code: 'lighting', 'attribute[fault]': 'light_out', ...ZZ_POINT });
      const [read] = (await getRequests(format, { service_request_id: code })).rows;
      expect(read!.description).toBe(ASSET_CATALOGUE.lighting.faults.find((f) => f.key === 'light_out')!.zh);
    }
  });

  it('a description up to 4 000 characters is stored as sent; longer is a 400', async () => {
    const description = `灯不亮了。${'很'.repeat(3991)}\n第二行`.slice(0, 4000);
    expect(description).toHaveLength(4000);
    for (const format of FORMATS) {
      const code = await file(format, { api_key: zzKey, service_code: 'lighting', 'attribute[fault]': 'light_out', ...ZZ_POINT, description });
      expect((await ticket(code)).description).toBe(description);
      // …and read back as sent: the fault is a field of the ticket, not a prefix of the client's text
      const [read] = (await getRequests(format, { service_request_id: code })).rows;
      expect(read!.description).toBe(description);
      const before = await ticketCount();
      const long = await post(format, { api_key: zzKey, service_code: 'lighting', 'attribute[fault]': 'light_out', ...ZZ_POINT, description: `${description}多` });
      expect(long.status).toBe(400);
      expect(errorsOf(format, long)[0]!.code).toBe('400');
      expect(await ticketCount()).toBe(before);
    }
  });

  it('answers service_request_id and no token (the spec: one or the other), with service_notice and account_id', async () => {
    const json = await post('json', { api_key: zzKey, service_code: 'lighting', 'attribute[fault]': 'light_out', ...ZZ_POINT });
    expect(json.status).toBe(201);
    expect(json.body).toEqual([{ service_request_id: expect.stringMatching(/^[2-9A-Z]{8}$/), service_notice: '', account_id: '' }]);
    const xml = await post('xml', { api_key: zzKey, service_code: 'lighting', 'attribute[fault]': 'light_out', ...ZZ_POINT });
    const [created] = records(xml.text, 'service_requests', 'request');
    expect(Object.keys(created!)).toEqual(['service_request_id', 'service_notice', 'account_id']);
  });

  it('a missing api_key is 403; a key files only into its own jurisdiction; a point outside every city is 400; nothing is written', async () => {
    const before = await ticketCount();
    const cases: [Record<string, string>, number, RegExp][] = [
      [{ service_code: 'lighting', 'attribute[fault]': 'light_out', ...ZZ_POINT }, 403, /api_key/],
      [{ api_key: '', service_code: 'lighting', 'attribute[fault]': 'light_out', ...ZZ_POINT }, 403, /api_key/],
      [{ api_key: zzKey, service_code: 'lighting', 'attribute[fault]': 'light_out', ...ORDOS_POINT }, 403, /jurisdiction/],
      [{ api_key: zzKey, jurisdiction_id: ORDOS, service_code: 'lighting', 'attribute[fault]': 'light_out', ...ORDOS_POINT }, 403, /jurisdiction/],
      [{ api_key: zzKey, jurisdiction_id: '999999', service_code: 'lighting', 'attribute[fault]': 'light_out', ...ZZ_POINT }, 404, /jurisdiction_id/],
      [{ api_key: ordosKey, service_code: 'walker', 'attribute[fault]': 'pedal_loose', address_id: zzVenueId }, 403, /jurisdiction/],
      [{ api_key: zzKey, service_code: 'lighting', 'attribute[fault]': 'light_out', lat: '0', long: '0' }, 400, /outside every jurisdiction/],
      [{ api_key: zzKey, service_code: 'lighting', 'attribute[fault]': 'light_out', lat: '48.8566', long: '2.3522' }, 400, /outside every jurisdiction/],
      [{ api_key: zzKey, service_code: 'lighting', 'attribute[fault]': 'light_out', lat: '34.78' }, 400, /lat and long/],
    ];
    for (const format of FORMATS) {
      for (const [fields, status, description] of cases) {
        const res = await post(format, fields);
        expect(res.status, `${format} ${JSON.stringify(fields)}`).toBe(status);
        expect(errorsOf(format, res)).toEqual([{ code: String(status), description: expect.stringMatching(description) }]);
      }
    }
    expect(await ticketCount()).toBe(before);
    // Its own key, jurisdiction named or not, files there.
    const code = await file('xml', { api_key: ordosKey, jurisdiction_id: ORDOS, service_code: 'lighting', 'attribute[fault]': 'light_out', ...ORDOS_POINT });
    expect((await ticket(code)).organisationId).toBe(orgs.ordosBureau.id);
  });

  it('address_string alone is placed at the one venue of the key’s city it names; none or another city’s is a 400', async () => {
    for (const format of FORMATS) {
      for (const address of ['金水滨河健身路径', '郑州市金水区滨河路18号', '滨河路18号']) {
        const code = await file(format, { api_key: zzKey, service_code: 'walker', 'attribute[fault]': 'pedal_loose', address_string: address });
        const row = await ticket(code);
        expect(row.venueId).toBe(zzVenueId);
        await t.database.db.update(schema.tickets).set({ state: 'closed' }).where(eq(schema.tickets.id, row.id));
        const [listed] = (await getRequests(format, { service_request_id: code })).rows;
        expect(listed).toMatchObject({ address: '郑州市金水区滨河路18号', address_id: zzVenueId });
      }
      const before = await ticketCount();
      for (const address of ['火星基地', '康巴什体育公园']) {
        const res = await post(format, { api_key: zzKey, service_code: 'walker', 'attribute[fault]': 'pedal_loose', address_string: address });
        expect(res.status, address).toBe(400);
        expect(errorsOf(format, res)[0]!.description).toMatch(/address_string/);
      }
      expect(await ticketCount()).toBe(before);
    }
    // address_id is the venue's id, as GET requests answers it.
    const byId = await file('json', { api_key: zzKey, service_code: 'net', 'attribute[fault]': 'net_torn', address_id: zzVenueId });
    expect((await ticket(byId)).venueId).toBe(zzVenueId);
  });

  it('takes multipart/form-data as well as a urlencoded form', async () => {
    for (const format of FORMATS) {
      const res = await t
        .http()
        .post(`/open311/v2/requests.${format}`)
        .field('api_key', zzKey)
        .field('service_code', 'lighting')
        .field('attribute[fault]', 'light_out')
        .field('lat', ZZ_POINT.lat)
        .field('long', ZZ_POINT.long)
        .field('description', '多部分表单')
        .field('email', 'someone@example.com')
        .field('first_name', 'Li')
        .field('last_name', 'Lei');
      expect(res.headers['content-type']).toBeDefined();
      expect(res.status, res.text).toBe(201);
      const [created] = format === 'json' ? res.body : records(res.text, 'service_requests', 'request');
      expect((await ticket(created.service_request_id)).description).toBe('多部分表单');
    }
    const before = await ticketCount();
    const broken = await t.http().post('/open311/v2/requests.xml').set('content-type', 'multipart/form-data; boundary=x').send('--x\r\nContent-Disposition: form-data; name="api_key"\r\n\r\nabc');
    expect(broken.status).toBe(400);
    expect(errorsOf('xml', broken)[0]!.code).toBe('400');
    expect(await ticketCount()).toBe(before);
  });
});

describe('errors', () => {
  it('an unknown path under /open311/v2 answers the spec’s <errors> in the format asked for', async () => {
    for (const format of FORMATS) {
      for (const [method, path] of [
        ['get', `/open311/v2/nothing.${format}`],
        ['get', `/open311/v2/requests/${codes.zzWalker}/more.${format}`],
        ['post', `/open311/v2/services.${format}`],
      ] as const) {
        const res = await t.http()[method](path);
        expect(res.status, path).toBeGreaterThanOrEqual(400);
        expect(res.status, path).toBeLessThan(500);
        expect(errorsOf(format, res), path).toEqual([{ code: String(res.status), description: expect.any(String) }]);
      }
    }
    // The XML is a well-formed document a generic parser reads.
    expect(parseXml((await t.http().get('/open311/v2/nothing.xml')).text).name).toBe('errors');
  });
});

describe('the service request updates extension', () => {
  it('GET servicerequestupdates: each public event in the window, with the status it left; internal notes never', async () => {
    const lighting = await ticket(codes.zzLighting);
    const ordos = await ticket(codes.ordosLighting);
    const e = schema.ticketEvents;
    await t.database.db.insert(e).values([
      { ticketId: lighting.id, at: new Date(now.getTime() + 60_000), kind: 'reject', fromState: 'submitted', toState: 'rejected', note: '经核实设施完好' },
      { ticketId: lighting.id, at: new Date(now.getTime() + 120_000), kind: 'note', note: '预算还没批', internal: true },
      { ticketId: ordos.id, at: new Date(now.getTime() + 60_000), kind: 'note', note: '已安排维修' },
    ]);
    const read = async (format: Format, query: Record<string, string>) => {
      const res = await t.http().get(`/open311/v2/servicerequestupdates.${format}`).query(query);
      expect(res.status, res.text).toBe(200);
      return format === 'json' ? (res.body as Record<string, unknown>[]).map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, String(v)]))) : records(res.text, 'service_request_updates', 'request_update');
    };
    for (const format of FORMATS) {
      const mine = await read(format, { service_request_id: codes.zzLighting, end_date: '2026-11-24T10:05:00+08:00' });
      expect(mine.map(({ service_request_id, status, description }) => ({ service_request_id, status, description }))).toEqual([
        { service_request_id: codes.zzLighting, status: 'open', description: '' },
        { service_request_id: codes.zzLighting, status: 'closed', description: '经核实设施完好' },
      ]);
      expect(Object.keys(mine[0]!)).toEqual(['update_id', 'service_request_id', 'status', 'updated_datetime', 'description', 'media_url']);
      expect(mine[1]!.updated_datetime).toBe('2026-11-24T02:01:00.000Z');
      expect(JSON.stringify(await read(format, {}))).not.toContain('预算');
      // A date without an offset is Zhengzhou time: from 10:00:30 on, only the move and the Ordos note.
      const later = await read(format, { start_date: '2026-11-24T10:00:30', end_date: '2026-11-24T11:00:00' });
      expect(later.map((u) => u.description).sort()).toEqual(['已安排维修', '经核实设施完好']);
      expect((await read(format, { start_date: '2026-11-24T10:00:30', api_key: ordosKey })).map((u) => u.service_request_id)).toEqual([codes.ordosLighting]);
      const wide = await t.http().get(`/open311/v2/servicerequestupdates.${format}`).query({ start_date: '2026-01-01T00:00:00Z', end_date: '2026-11-24T00:00:00Z' });
      expect(wide.status).toBe(400);
      expect(errorsOf(format, wide)[0]!.description).toMatch(/90 days/);
    }
  });
});

describe('posting service request updates', () => {
  const postUpdate = (format: Format, fields: Record<string, string>) =>
    t.http().post(`/open311/v2/servicerequestupdates.${format}`).set('content-type', 'application/x-www-form-urlencoded').send(new URLSearchParams(fields).toString());

  it('a client adds to its own request; the update is in the feed and the ticket’s history; others’ are 403, bad ones write nothing', async () => {
    const events = async () => {
      const [row] = await t.database.db.select({ n: count() }).from(schema.ticketEvents);
      return row!.n;
    };
    const before = await events();
    const cases: [Record<string, string>, number][] = [
      [{ service_request_id: codes.zzWalker, description: '还有一处' }, 403],
      [{ api_key: 'nope', service_request_id: codes.zzWalker, description: '还有一处' }, 403],
      [{ api_key: ordosKey, service_request_id: codes.zzWalker, description: '别人的' }, 403],
      [{ api_key: zzKey, service_request_id: 'ZZZZZZZZ', description: '没有这单' }, 404],
      [{ api_key: zzKey, service_request_id: codes.zzWalker, description: '  ' }, 400],
      [{ api_key: zzKey, service_request_id: codes.zzWalker }, 400],
      [{ api_key: zzKey, service_request_id: codes.zzWalker, description: 'x'.repeat(4001) }, 400],
    ];
    for (const format of FORMATS) {
      for (const [fields, status] of cases) {
        const res = await postUpdate(format, fields);
        expect(res.status, `${format} ${JSON.stringify(fields).slice(0, 80)}`).toBe(status);
        expect(errorsOf(format, res)[0]!.code).toBe(String(status));
      }
    }
    expect(await events()).toBe(before);
    const owner = (await ticket(codes.zzWalker)).organisationId;
    const dispatcher = await insertUser(t.database.db, [{ role: 'operator', organisationId: owner }]);

    const json = await postUpdate('json', { api_key: zzKey, service_request_id: codes.zzWalker.toLowerCase(), description: '左侧踏板也松了' });
    expect(json.status, json.text).toBe(201);
    expect(json.body).toEqual([{ update_id: expect.any(String), service_request_id: codes.zzWalker, status: 'open', updated_datetime: now.toISOString(), description: '左侧踏板也松了', media_url: '' }]);
    const xml = await postUpdate('xml', { api_key: zzKey, service_request_id: codes.zzWalker, description: '第二条' });
    expect(records(xml.text, 'service_request_updates', 'request_update')[0]).toMatchObject({ service_request_id: codes.zzWalker, description: '第二条' });
    const feed = (await t.http().get('/open311/v2/servicerequestupdates.json').query({ service_request_id: codes.zzWalker })).body as { description: string }[];
    expect(feed.map((u) => u.description)).toEqual(expect.arrayContaining(['左侧踏板也松了', '第二条']));
    const walker = await ticket(codes.zzWalker);
    const history = await t.database.db.select().from(schema.ticketEvents).where(eq(schema.ticketEvents.ticketId, walker.id));
    expect(history.filter((h) => h.kind === 'open311_note').map((h) => [h.note, h.internal, h.actorId])).toEqual([
      ['左侧踏板也松了', false, null],
      ['第二条', false, null],
    ]);
    // the dispatchers of the ticket's owner hear of each
    const told = await renderedNotifications(t.database.db, eq(schema.notifications.userId, dispatcher.id));
    expect(told.map((n) => [n.kind, n.body.includes(codes.zzWalker), n.data])).toEqual([
      ['ticket.update', true, { ticketId: walker.id, code: codes.zzWalker }],
      ['ticket.update', true, { ticketId: walker.id, code: codes.zzWalker }],
    ]);
    expect(told.map((n) => n.body).join()).toContain('左侧踏板也松了');
  });
});

describe('at most 1 000 requests in one answer', () => {
  it('without page_size, the first 1 000; page goes on from there', async () => {
    const base = await t.database.db.select().from(schema.tickets).where(eq(schema.tickets.code, codes.zzWalker));
    const alphabet = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
    const rows = Array.from({ length: 1001 }, (_, i) => ({
      ...base[0]!,
      id: undefined as unknown as string,
      code: `Z${[0, 1, 2, 3, 4, 5, 6].map((k) => alphabet[Math.floor(i / alphabet.length ** k) % alphabet.length]).join('')}`,
      assetId: null,
      createdAt: new Date(now.getTime() - 30 * DAY),
    }));
    for (const row of rows) delete (row as { id?: string }).id;
    const inserted = await t.database.db.insert(schema.tickets).values(rows).returning({ code: schema.tickets.code });
    expect(inserted).toHaveLength(1001);
    const window = { start_date: new Date(now.getTime() - 31 * DAY).toISOString(), end_date: new Date(now.getTime() - 29 * DAY).toISOString() };
    for (const format of FORMATS) {
      const first = await getRequests(format, window);
      expect(first.rows).toHaveLength(1000);
      const second = await getRequests(format, { ...window, page: '2' });
      expect(second.rows).toHaveLength(1);
      expect(new Set([...ids(first.rows), ...ids(second.rows)]).size).toBe(1001);
      expect((await getRequests(format, { ...window, page_size: '1001' })).status).toBe(400);
    }
    await t.database.db.delete(schema.tickets).where(inArray(schema.tickets.code, inserted.map((r) => r.code)));
  });
});
