import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { count, eq } from 'drizzle-orm';
import QRCode from 'qrcode';
import { schema, sqlState } from '@sports/db';
import { ASSET_CATALOGUE, ASSET_CODE_PATTERN } from '@sports/domain';
import { loadConfig } from '../src/config.ts';
import { LABEL_QR_OPTIONS } from '../src/services/repairs/asset-labels.ts';
import { createTestApp, type TestApp } from './support/app.ts';
import { JINSHUI, ZHENGZHOU, insertCityFixture, insertOrganisation, insertUser } from './support/fixtures.ts';

/** Tuesday 2026-11-24 10:00 in Zhengzhou: "today" for install dates and service life. */
const now = new Date('2026-11-24T10:00:00+08:00');
const BASE = 'https://sports.example.cn';

let t: TestApp;
let orgs: Awaited<ReturnType<typeof insertCityFixture>>;
const ids = {} as Record<'courtVenue' | 'court' | 'badmintonCourt' | 'retiredCourt' | 'pathVenue' | 'path' | 'schoolVenue' | 'schoolCourt' | 'emptyVenue', string>;
type Person = { id: string; phone: string; token: string };
const people = {} as Record<'operator' | 'technician' | 'schoolAdmin' | 'cityBureau' | 'jinshuiBureau' | 'ordosBureau' | 'resident', Person>;

async function person(roles: { role: 'operator' | 'technician' | 'school_admin' | 'bureau_admin'; organisationId: string }[] = []): Promise<Person> {
  const user = await insertUser(t.database.db, roles);
  return { ...user, token: `Bearer ${t.app.jwt.sign({ sub: user.id })}` };
}

function hoop(overrides: Record<string, unknown> = {}) {
  return {
    venueId: ids.courtVenue,
    resourceId: ids.court,
    type: 'basketball_hoop',
    name: '1号场东侧篮球架',
    installDate: '2024-05-01',
    serviceLifeYears: 8,
    warrantyUntil: '2026-04-30',
    ...overrides,
  };
}

function create(who: Person | null, body: Record<string, unknown>) {
  const req = t.http().post('/api/v1/assets');
  return (who ? req.set('authorization', who.token) : req).send(body);
}

async function created(body: Record<string, unknown> = hoop(), who = people.operator) {
  const res = await create(who, body);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: string; code: string; labelUrl: string; name: string; status: string };
}

async function assetCount() {
  const [row] = await t.database.db.select({ n: count() }).from(schema.assets);
  return row!.n;
}

async function auditOf(assetId: string) {
  return t.database.db
    .select({ action: schema.auditLog.action, actorId: schema.auditLog.actorId, organisationId: schema.auditLog.organisationId, detail: schema.auditLog.detail })
    .from(schema.auditLog)
    .where(eq(schema.auditLog.targetId, assetId))
    .orderBy(schema.auditLog.id);
}

beforeAll(async () => {
  // A trailing slash in the setting must not double up in the label URL.
  t = await createTestApp({ PUBLIC_BASE_URL: `${BASE}/` }, () => now);
  const db = t.database.db;
  orgs = await insertCityFixture(db);
  const place = { cityCode: ZHENGZHOU, districtCode: JINSHUI, lat: 34.78, lng: 113.66, priceLevel: 'free' as const };
  const [courtVenue, pathVenue, schoolVenue, emptyVenue] = await db
    .insert(schema.venues)
    .values([
      { ...place, name: '金水全民健身馆', kind: 'gym', organisationId: orgs.venueCo.id },
      { ...place, name: '金水河滨河健身路径', kind: 'fitness_path', organisationId: orgs.jinshuiBureau.id, lat: 34.79, lng: 113.67 },
      { ...place, name: '金水区甲中学运动场', kind: 'school', organisationId: orgs.schoolX.id },
      { ...place, name: '尚无设施的球场', kind: 'park', organisationId: orgs.venueCo.id },
    ])
    .returning({ id: schema.venues.id });
  ids.courtVenue = courtVenue!.id;
  ids.pathVenue = pathVenue!.id;
  ids.schoolVenue = schoolVenue!.id;
  ids.emptyVenue = emptyVenue!.id;
  const resources = await db
    .insert(schema.venueResources)
    .values([
      { venueId: ids.courtVenue, name: '1号场', sport: 'basketball', mode: 'exclusive' },
      { venueId: ids.courtVenue, name: '羽毛球2号场', sport: 'badminton', mode: 'exclusive' },
      { venueId: ids.courtVenue, name: '旧场', sport: 'basketball', mode: 'exclusive', status: 'retired' },
      { venueId: ids.pathVenue, name: '健身路径', sport: 'fitness', mode: 'shared', capacity: 40 },
      { venueId: ids.schoolVenue, name: '篮球场', sport: 'basketball', mode: 'exclusive' },
    ])
    .returning({ id: schema.venueResources.id });
  [ids.court, ids.badmintonCourt, ids.retiredCourt, ids.path, ids.schoolCourt] = resources.map((r) => r.id) as [string, string, string, string, string];

  people.operator = await person([{ role: 'operator', organisationId: orgs.venueCo.id }]);
  people.technician = await person([{ role: 'technician', organisationId: orgs.venueCo.id }]);
  people.schoolAdmin = await person([{ role: 'school_admin', organisationId: orgs.schoolX.id }]);
  people.cityBureau = await person([{ role: 'bureau_admin', organisationId: orgs.zzBureau.id }]);
  people.jinshuiBureau = await person([{ role: 'bureau_admin', organisationId: orgs.jinshuiBureau.id }]);
  people.ordosBureau = await person([{ role: 'bureau_admin', organisationId: orgs.ordosBureau.id }]);
  people.resident = await person();
});
afterAll(() => t.close());

describe('registering equipment', () => {
  it('an operator registers a hoop on its court: it gets a short unguessable code, the label URL, and an audit entry', async () => {
    const res = await create(people.operator, hoop());
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      venueId: ids.courtVenue,
      venueName: '金水全民健身馆',
      organisationId: orgs.venueCo.id,
      resourceId: ids.court,
      resourceName: '1号场',
      type: 'basketball_hoop',
      name: '1号场东侧篮球架',
      installDate: '2024-05-01',
      serviceLifeYears: 8,
      warrantyUntil: '2026-04-30',
      serviceLifeEnds: '2032-05-01',
      // The warranty ended in April; the hoop is well within its eight years.
      serviceLife: 'warranty_expired',
      status: 'ok',
      lat: null,
      lng: null,
    });
    expect(res.body.code).toMatch(new RegExp(ASSET_CODE_PATTERN));
    expect(res.body.labelUrl).toBe(`${BASE}/r/${res.body.code}`);
    expect(await auditOf(res.body.id)).toEqual([
      {
        action: 'asset.create',
        actorId: people.operator.id,
        organisationId: orgs.venueCo.id,
        detail: { venueId: ids.courtVenue, code: res.body.code, type: 'basketball_hoop', name: '1号场东侧篮球架', status: 'ok' },
      },
    ]);
  });

  it('twenty assets registered at once get twenty different codes', async () => {
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => create(people.operator, hoop({ name: `批量篮球架${i}` }))));
    expect(results.map((r) => r.status)).toEqual(Array(20).fill(201));
    const codes = results.map((r) => r.body.code as string);
    expect(new Set(codes).size).toBe(20);
    for (const code of codes) expect(code).toMatch(/^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{8}$/);
  });

  it('fitness machines on a path carry their own position; old ones show as past their service life', async () => {
    const walker = await create(people.jinshuiBureau, {
      venueId: ids.pathVenue,
      resourceId: ids.path,
      type: 'walker',
      name: '3号点位漫步机',
      installDate: '2017-06-01',
      serviceLifeYears: 8,
      lat: 34.7905,
      lng: 113.6712,
    });
    expect(walker.status).toBe(201);
    expect(walker.body).toMatchObject({ lat: 34.7905, lng: 113.6712, warrantyUntil: null, serviceLifeEnds: '2025-06-01', serviceLife: 'beyond_service_life' });
  });

  it('refuses anonymous callers (401), residents, technicians and other organisations (403), and writes nothing', async () => {
    const before = await assetCount();
    expect((await create(null, hoop())).status).toBe(401);
    for (const who of [people.resident, people.technician, people.schoolAdmin, people.ordosBureau]) {
      const res = await create(who, hoop());
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('FORBIDDEN');
    }
    // A district bureau reaches its district's organisations, not a city-wide company.
    expect((await create(people.jinshuiBureau, hoop())).status).toBe(403);
    expect(await assetCount()).toBe(before);
    // The city bureau reaches every venue in the city.
    expect((await create(people.cityBureau, hoop({ name: '市局登记的篮球架' }))).status).toBe(201);
    // A school admin keeps the school's own equipment.
    expect((await create(people.schoolAdmin, hoop({ venueId: ids.schoolVenue, resourceId: ids.schoolCourt, name: '校篮球架' }))).status).toBe(201);
  });

  it('an unknown venue is a 404', async () => {
    const res = await create(people.operator, hoop({ venueId: '00000000-0000-4000-8000-000000000000', resourceId: null }));
    expect(res.status).toBe(404);
  });
});

describe('bad input is refused field by field, and nothing is written', () => {
  it('by the request schema: missing name, unknown type, zero years of life, latitude out of range, a field that does not exist', async () => {
    const before = await assetCount();
    const { name: _name, ...withoutName } = hoop();
    const res = await create(people.operator, { ...withoutName, type: 'trampoline', serviceLifeYears: 0, lat: 91, lng: 113.66, code: 'AAAAAAAA' });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    const fields = (res.body.errors as { field: string }[]).map((e) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['name', 'type', 'serviceLifeYears', 'lat', 'code']));
    const blank = await create(people.operator, hoop({ name: '   ' }));
    expect(blank.status).toBe(400);
    expect(blank.body.errors.map((e: { field: string }) => e.field)).toEqual(['name']);
    expect(await assetCount()).toBe(before);
  });

  it('by the rules: installed tomorrow, a warranty ending before installation, half a position, a court of another venue', async () => {
    const before = await assetCount();
    const res = await create(people.operator, hoop({ installDate: '2026-11-25', warrantyUntil: '2026-11-01', lat: 34.78, resourceId: ids.schoolCourt }));
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([
      { field: 'installDate', message: '安装日期不能晚于今天' },
      { field: 'warrantyUntil', message: '保修截止日期不能早于安装日期' },
      { field: 'lng', message: '经纬度须同时填写或同时留空' },
      { field: 'resourceId', message: '请选择本场馆在用的场地' },
    ]);
    const english = await create(people.operator, hoop({ installDate: '2026-02-30' })).set('accept-language', 'en');
    expect(english.status).toBe(400);
    expect(english.body.errors).toEqual([{ field: 'installDate', message: 'is not a calendar date' }]);
    const far = await create(people.operator, hoop({ lat: 39.9, lng: 116.4 }));
    expect(far.body.errors.map((e: { field: string }) => e.field)).toEqual(['lat']);
    const retired = await create(people.operator, hoop({ resourceId: ids.retiredCourt }));
    expect(retired.body.errors.map((e: { field: string }) => e.field)).toEqual(['resourceId']);
    expect(await assetCount()).toBe(before);
  });

  it('the database itself refuses an asset whose court belongs to another venue', async () => {
    const insert = t.database.db
      .insert(schema.assets)
      .values({ venueId: ids.courtVenue, resourceId: ids.schoolCourt, code: 'ZZZZ2222', type: 'net', name: '越界', installDate: '2025-01-01', serviceLifeYears: 3 });
    const err = await insert.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(sqlState(err)).toBe('23503');
  });
});

describe('the register', () => {
  it('lists, page by page, only the equipment of venues the caller keeps, with filters', async () => {
    const list = (who: Person, query: Record<string, string | number> = {}) =>
      t.http().get('/api/v1/assets').query(query).set('authorization', who.token);
    const mine = await list(people.operator, { pageSize: 100 });
    expect(mine.status).toBe(200);
    expect(mine.body.total).toBe(22);
    expect(new Set(mine.body.items.map((a: { venueId: string }) => a.venueId))).toEqual(new Set([ids.courtVenue]));

    const pageTwo = await list(people.operator, { pageSize: 5, page: 2 });
    expect(pageTwo.body).toMatchObject({ page: 2, pageSize: 5, total: mine.body.total });
    expect(pageTwo.body.items).toHaveLength(5);
    expect(pageTwo.body.items.map((a: { id: string }) => a.id)).toEqual(mine.body.items.slice(5, 10).map((a: { id: string }) => a.id));

    const district = await list(people.jinshuiBureau, { pageSize: 100 });
    expect(new Set(district.body.items.map((a: { venueId: string }) => a.venueId))).toEqual(new Set([ids.pathVenue, ids.schoolVenue]));
    const city = await list(people.cityBureau, { pageSize: 100 });
    expect(city.body.total).toBe(mine.body.total + district.body.total);

    const walkers = await list(people.cityBureau, { type: 'walker' });
    expect(walkers.body.items.map((a: { name: string }) => a.name)).toEqual(['3号点位漫步机']);
    const atSchool = await list(people.cityBureau, { venueId: ids.schoolVenue });
    expect(atSchool.body.items.map((a: { name: string }) => a.name)).toEqual(['校篮球架']);
    expect((await list(people.operator, { status: 'out_of_service' })).body.total).toBe(0);
  });

  it('anonymous is 401; residents, technicians and someone else’s venue are 403; bad filters are 400', async () => {
    expect((await t.http().get('/api/v1/assets')).status).toBe(401);
    expect((await t.http().get('/api/v1/assets').set('authorization', people.resident.token)).status).toBe(403);
    expect((await t.http().get('/api/v1/assets').set('authorization', people.technician.token)).status).toBe(403);
    const other = await t.http().get('/api/v1/assets').query({ venueId: ids.courtVenue }).set('authorization', people.schoolAdmin.token);
    expect(other.status).toBe(403);
    const bad = await t.http().get('/api/v1/assets').query({ type: 'trampoline', pageSize: 1000 }).set('authorization', people.operator.token);
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['pageSize', 'type']);
  });

  it('one asset can be read by its keepers only', async () => {
    const asset = await created(hoop({ name: '单独查看的篮球架' }));
    const mine = await t.http().get(`/api/v1/assets/${asset.id}`).set('authorization', people.operator.token);
    expect(mine.status).toBe(200);
    expect(mine.body).toMatchObject({ id: asset.id, code: asset.code, labelUrl: `${BASE}/r/${asset.code}` });
    expect((await t.http().get(`/api/v1/assets/${asset.id}`).set('authorization', people.schoolAdmin.token)).status).toBe(403);
    expect((await t.http().get(`/api/v1/assets/${asset.id}`)).status).toBe(401);
  });
});

describe('changing an asset', () => {
  it('changes what was asked, keeps venue and code, and logs each change from → to', async () => {
    const asset = await created(hoop({ name: '待修改的篮球架' }));
    const res = await t
      .http()
      .patch(`/api/v1/assets/${asset.id}`)
      .set('authorization', people.operator.token)
      .send({ name: '2号场东侧篮球架', warrantyUntil: '2027-04-30', resourceId: null });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: asset.id, code: asset.code, venueId: ids.courtVenue, name: '2号场东侧篮球架', warrantyUntil: '2027-04-30', resourceId: null, serviceLife: 'in_service' });
    const audit = await auditOf(asset.id);
    expect(audit.at(-1)).toEqual({
      action: 'asset.update',
      actorId: people.operator.id,
      organisationId: orgs.venueCo.id,
      detail: {
        code: asset.code,
        changed: {
          name: { from: '待修改的篮球架', to: '2号场东侧篮球架' },
          warrantyUntil: { from: '2026-04-30', to: '2027-04-30' },
          resourceId: { from: ids.court, to: null },
        },
      },
    });
  });

  it('refuses moving it to another venue’s court, half a position, a new venue or code, and other organisations; nothing changes', async () => {
    const asset = await created(hoop({ name: '不可乱改的篮球架' }));
    const patch = (who: Person, body: Record<string, unknown>) => t.http().patch(`/api/v1/assets/${asset.id}`).set('authorization', who.token).send(body);
    const foreignCourt = await patch(people.operator, { resourceId: ids.schoolCourt });
    expect(foreignCourt.status).toBe(400);
    expect(foreignCourt.body.errors).toEqual([{ field: 'resourceId', message: '请选择本场馆在用的场地' }]);
    const halfPosition = await patch(people.operator, { lat: 34.781 });
    expect(halfPosition.body.errors.map((e: { field: string }) => e.field)).toEqual(['lng']);
    const moved = await patch(people.operator, { venueId: ids.schoolVenue, code: 'ABCDEFGH' });
    expect(moved.status).toBe(400);
    expect(moved.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['code', 'venueId']);
    expect((await patch(people.operator, {})).status).toBe(400);
    expect((await patch(people.schoolAdmin, { name: '别人的' })).status).toBe(403);
    expect((await patch(people.resident, { name: '别人的' })).status).toBe(403);
    expect((await t.http().patch(`/api/v1/assets/${asset.id}`).send({ name: '匿名' })).status).toBe(401);
    const [row] = await t.database.db.select().from(schema.assets).where(eq(schema.assets.id, asset.id));
    expect(row).toMatchObject({ name: '不可乱改的篮球架', resourceId: ids.court, venueId: ids.courtVenue, code: asset.code, lat: null, lng: null });
    expect((await auditOf(asset.id)).map((a) => a.action)).toEqual(['asset.create']);
  });
});

describe('asset status', () => {
  it('degraded or out of service needs a reason, which the audit log keeps; back to ok needs none', async () => {
    const asset = await created(hoop({ name: '状态测试篮球架' }));
    const setStatus = (body: Record<string, unknown>, who = people.operator) =>
      t.http().put(`/api/v1/assets/${asset.id}/status`).set('authorization', who.token).send(body);
    const noReason = await setStatus({ status: 'out_of_service' });
    expect(noReason.status).toBe(400);
    expect(noReason.body.errors).toEqual([{ field: 'reason', message: '请说明原因' }]);
    expect((await setStatus({ status: 'out_of_service', reason: '  ' })).status).toBe(400);

    const down = await setStatus({ status: 'out_of_service', reason: '篮板破裂，已围挡' });
    expect(down.status).toBe(200);
    expect(down.body.status).toBe('out_of_service');
    const up = await setStatus({ status: 'ok' });
    expect(up.status).toBe(200);
    expect(up.body.status).toBe('ok');
    // Setting the status it already has changes nothing and logs nothing.
    expect((await setStatus({ status: 'ok' })).status).toBe(200);
    expect((await auditOf(asset.id)).slice(1)).toEqual([
      { action: 'asset.status', actorId: people.operator.id, organisationId: orgs.venueCo.id, detail: { code: asset.code, from: 'ok', to: 'out_of_service', reason: '篮板破裂，已围挡', cancelledBookings: 0 } },
      { action: 'asset.status', actorId: people.operator.id, organisationId: orgs.venueCo.id, detail: { code: asset.code, from: 'out_of_service', to: 'ok', cancelledBookings: 0 } },
    ]);
  });

  it('only the keepers may change it; an unknown status is refused', async () => {
    const asset = await created(hoop({ name: '他人不可改状态' }));
    const body = { status: 'degraded', reason: '篮网破损' };
    expect((await t.http().put(`/api/v1/assets/${asset.id}/status`).send(body)).status).toBe(401);
    for (const who of [people.resident, people.technician, people.schoolAdmin, people.jinshuiBureau]) {
      expect((await t.http().put(`/api/v1/assets/${asset.id}/status`).set('authorization', who.token).send(body)).status).toBe(403);
    }
    const unknown = await t.http().put(`/api/v1/assets/${asset.id}/status`).set('authorization', people.operator.token).send({ status: 'broken' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors.map((e: { field: string }) => e.field)).toEqual(['status']);
    const [row] = await t.database.db.select({ status: schema.assets.status }).from(schema.assets).where(eq(schema.assets.id, asset.id));
    expect(row!.status).toBe('ok');
  });
});

describe('the public view behind a label (/r/<code>)', () => {
  it('anyone who scans it sees the type, the fault choices, the venue and the status, and nothing staff-only', async () => {
    const asset = await created(hoop({ name: '扫码篮球架' }));
    await t.http().put(`/api/v1/assets/${asset.id}/status`).set('authorization', people.operator.token).send({ status: 'degraded', reason: '篮筐松动' });
    const res = await t.http().get(`/api/v1/assets/by-code/${asset.code}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      code: asset.code,
      type: 'basketball_hoop',
      typeName: { zh: '篮球架', en: 'Basketball hoop' },
      name: '扫码篮球架',
      status: 'degraded',
      venue: { id: ids.courtVenue, name: '金水全民健身馆', address: '' },
      resourceName: '1号场',
      lat: null,
      lng: null,
      faultChoices: ASSET_CATALOGUE.basketball_hoop.faults.map((f) => ({ key: f.key, zh: f.zh, en: f.en })),
      expectedFixDate: null,
      openTicket: null,
    });
    expect(res.body.faultChoices.map((f: { zh: string }) => f.zh)).toEqual(['篮筐松动', '篮网破损', '篮板破裂', '篮架倾斜', '其他']);
  });

  it('a code typed in lower case with a dash still finds it', async () => {
    const asset = await created(hoop({ name: '手输编号篮球架' }));
    const typed = `${asset.code.slice(0, 4)}-${asset.code.slice(4)}`.toLowerCase();
    const res = await t.http().get(`/api/v1/assets/by-code/${typed}`);
    expect(res.status).toBe(200);
    expect(res.body.code).toBe(asset.code);
  });

  it('an unknown code is 404 ASSET_NOT_FOUND in the caller’s language; a malformed one is refused', async () => {
    const unknown = await t.http().get('/api/v1/assets/by-code/ZZZZ9999');
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ code: 'ASSET_NOT_FOUND', detail: '未找到该设施，请确认二维码或编号是否完整。' });
    const english = await t.http().get('/api/v1/assets/by-code/ZZZZ9999').set('accept-language', 'en');
    expect(english.body.detail).toMatch(/^No equipment has this code/);
    // Look-alike characters are never in a code.
    expect((await t.http().get('/api/v1/assets/by-code/OIL01234')).status).toBe(404);
    expect((await t.http().get(`/api/v1/assets/by-code/${encodeURIComponent('<script>')}`)).status).toBe(400);
  });
});

describe('the printable label sheet', () => {
  it('is an A4 HTML page with one QR code per asset, each encoding <PUBLIC_BASE_URL>/r/<code>, with the code, asset and venue in text', async () => {
    const res = await t.http().get(`/api/v1/venues/${ids.courtVenue}/asset-labels`).set('authorization', people.operator.token);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['cache-control']).toBe('private, no-store');
    const html = res.text;
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('@page { size: A4;');
    const rows = await t.database.db
      .select({ code: schema.assets.code, name: schema.assets.name })
      .from(schema.assets)
      .where(eq(schema.assets.venueId, ids.courtVenue));
    expect(rows.length).toBeGreaterThan(20);
    expect(html.match(/<svg /g)).toHaveLength(rows.length);
    expect(html.match(/扫码报修<span>Scan to report<\/span>/g)).toHaveLength(rows.length);
    for (const row of rows) {
      const url = `${BASE}/r/${row.code}`;
      // The page embeds exactly the code qrcode draws for this URL, so scanning it opens the report page.
      expect(html).toContain(await QRCode.toString(url, LABEL_QR_OPTIONS));
      expect(html).toContain(`<p class="code">${row.code}</p>`);
      expect(html).toContain(`<p class="url">${url}</p>`);
    }
    expect(html).toContain('<p class="meta">篮球架 Basketball hoop</p>');
    expect(html).toContain('<p class="meta">金水全民健身馆 · 1号场</p>');
  });

  it('escapes every text it prints', async () => {
    await created(hoop({ venueId: ids.emptyVenue, resourceId: null, name: '<script>alert("x")</script> & 篮架' }));
    const res = await t.http().get(`/api/v1/venues/${ids.emptyVenue}/asset-labels`).set('authorization', people.operator.token);
    expect(res.status).toBe(200);
    expect(res.text).not.toContain('<script>');
    expect(res.text).toContain('<p class="name">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; 篮架</p>');
  });

  it('a venue without equipment gets a page that says so; other organisations, residents and anonymous callers get none', async () => {
    const [bare] = await t.database.db
      .insert(schema.venues)
      .values({ cityCode: ZHENGZHOU, districtCode: JINSHUI, lat: 34.78, lng: 113.66, priceLevel: 'free', name: '新建球场', kind: 'park', organisationId: orgs.venueCo.id })
      .returning({ id: schema.venues.id });
    const empty = await t.http().get(`/api/v1/venues/${bare!.id}/asset-labels`).set('authorization', people.operator.token);
    expect(empty.status).toBe(200);
    expect(empty.text).toContain('该场馆还没有登记设施');
    expect(empty.text).not.toContain('<svg');
    const url = `/api/v1/venues/${ids.courtVenue}/asset-labels`;
    expect((await t.http().get(url)).status).toBe(401);
    expect((await t.http().get(url).set('authorization', people.resident.token)).status).toBe(403);
    expect((await t.http().get(url).set('authorization', people.schoolAdmin.token)).status).toBe(403);
    expect((await t.http().get('/api/v1/venues/00000000-0000-4000-8000-000000000000/asset-labels').set('authorization', people.operator.token)).status).toBe(404);
  });
});

describe('configuration and documentation', () => {
  it('PUBLIC_BASE_URL must be an http(s) address without query or fragment; a trailing slash is dropped', () => {
    expect(loadConfig({ PUBLIC_BASE_URL: 'https://sports.example.cn/city/' }, false).PUBLIC_BASE_URL).toBe('https://sports.example.cn/city');
    expect(loadConfig({}, false).PUBLIC_BASE_URL).toBe('http://localhost:3000');
    for (const bad of ['ftp://sports.example.cn', 'https://sports.example.cn/?a=1', 'sports.example.cn', 'https://exa mple.cn']) {
      expect(() => loadConfig({ PUBLIC_BASE_URL: bad }, false), bad).toThrow(/PUBLIC_BASE_URL/);
    }
  });

  it('the asset routes are in the OpenAPI document', async () => {
    const res = await t.http().get('/api/openapi.json');
    const paths = Object.keys(res.body.paths as object);
    for (const p of ['/api/v1/assets', '/api/v1/assets/{id}', '/api/v1/assets/{id}/status', '/api/v1/assets/by-code/{code}', '/api/v1/venues/{id}/asset-labels']) {
      expect(paths).toContain(p);
    }
  });
});

describe('staff of organisations that keep nothing here', () => {
  it('list nothing and may not read another organisation’s asset', async () => {
    const res = await t.http().get('/api/v1/assets').set('authorization', people.ordosBureau.token);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ items: [], total: 0 });
    const otherCompany = await insertOrganisation(t.database.db, { kind: 'operator', name: '别家运营公司', cityCode: ZHENGZHOU, parentId: orgs.zzBureau.id });
    const stranger = await person([{ role: 'operator', organisationId: otherCompany.id }]);
    const theirs = await t.http().get('/api/v1/assets').set('authorization', stranger.token);
    expect(theirs.body).toMatchObject({ items: [], total: 0 });
    const asset = await created(hoop({ name: '陌生人看不到' }));
    expect((await t.http().get(`/api/v1/assets/${asset.id}`).set('authorization', stranger.token)).status).toBe(403);
  });
});
