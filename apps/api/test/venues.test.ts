import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { count, eq } from 'drizzle-orm';
import { schema } from '@sports/db';
import { haversineMeters } from '@sports/domain';
import { extendOpenIntervals } from '../src/services/venues/open-intervals.ts';
import { createTestApp, type TestApp } from './support/app.ts';
import { rawClient } from './support/fuzz-http.ts';
import { JINSHUI, ORDOS, ZHENGZHOU, ZHONGYUAN, bearerFor, insertCityFixture, insertUser } from './support/fixtures.ts';

/** Tuesday 2026-09-29, 10:00 in Zhengzhou. National Day (a holiday) is Thursday 2026-10-01. */
let now = new Date('2026-09-29T10:00:00+08:00');
let t: TestApp;
let orgs: Awaited<ReturnType<typeof insertCityFixture>>;
const as: Record<string, string> = {};
const ids = {} as Record<'ordosSchool' | 'stadium' | 'gym' | 'park' | 'schoolField' | 'hidden' | 'ordosGym', string>;

const allDay = { start: '00:00', end: '24:00' };
const week = (ranges: { start: string; end: string }[]) => Object.fromEntries([1, 2, 3, 4, 5, 6, 7].map((d) => [d, ranges]));

async function createVenue(token: string, body: Record<string, unknown>) {
  const res = await t.http().post('/api/v1/venues').set('authorization', token).send(body);
  if (res.status !== 201) throw new Error(`venue not created: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { id: string };
}

async function setHours(token: string, id: string, weeklyHours: object, holidayRule = 'as_usual') {
  const res = await t.http().put(`/api/v1/venues/${id}/hours`).set('authorization', token).send({ weeklyHours, holidayRule });
  if (res.status !== 200) throw new Error(`hours not set: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

const base = { address: '测试路1号', priceLevel: 'paid', sports: ['basketball'] };

beforeAll(async () => {
  t = await createTestApp({}, () => now);
  const db = t.database.db;
  orgs = await insertCityFixture(db);
  const ordosSchool = await db
    .insert(schema.organisations)
    .values({ kind: 'school', name: '康巴什测试学校', cityCode: ORDOS, districtCode: '150603', parentId: orgs.ordosBureau.id })
    .returning({ id: schema.organisations.id });
  ids.ordosSchool = ordosSchool[0]!.id;
  const users = {
    cityAdmin: await insertUser(db, [{ role: 'bureau_admin', organisationId: orgs.zzBureau.id }]),
    ordosAdmin: await insertUser(db, [{ role: 'bureau_admin', organisationId: orgs.ordosBureau.id }]),
    operator: await insertUser(db, [{ role: 'operator', organisationId: orgs.venueCo.id }]),
    schoolX: await insertUser(db, [{ role: 'school_admin', organisationId: orgs.schoolX.id }]),
    technician: await insertUser(db, [{ role: 'technician', organisationId: orgs.venueCo.id }]),
    resident: await insertUser(db),
  };
  for (const [name, user] of Object.entries(users)) as[name] = await bearerFor(t.app, user.phone);

  // Zhengzhou: an Olympic-centre-like stadium, a basketball gym by the river, a free park, a school field.
  ids.stadium = (await createVenue(as.operator!, {
    ...base, name: '郑州奥体中心（测试）', kind: 'stadium', organisationId: orgs.venueCo.id, districtCode: ZHONGYUAN,
    lat: 34.7426, lng: 113.5308, sports: ['athletics', 'football', 'swimming'],
  })).id;
  ids.gym = (await createVenue(as.operator!, {
    ...base, name: '金水河篮球馆', kind: 'gym', organisationId: orgs.venueCo.id, districtCode: JINSHUI,
    lat: 34.7790, lng: 113.6640, sports: ['basketball', 'badminton'], address: '金水路88号',
  })).id;
  ids.park = (await createVenue(as.cityAdmin!, {
    ...base, name: '航海体育公园', kind: 'park', organisationId: orgs.jinshuiBureau.id, districtCode: JINSHUI,
    lat: 34.7167, lng: 113.7250, sports: ['basketball', 'fitness'], priceLevel: 'free',
  })).id;
  ids.schoolField = (await createVenue(as.schoolX!, {
    ...base, name: '甲中学操场', kind: 'school', organisationId: orgs.schoolX.id, districtCode: JINSHUI,
    lat: 34.8011, lng: 113.6545, sports: ['athletics'], priceLevel: 'free',
  })).id;
  ids.hidden = (await createVenue(as.operator!, {
    ...base, name: '内部训练馆', kind: 'gym', organisationId: orgs.venueCo.id, districtCode: JINSHUI,
    lat: 34.78, lng: 113.66, isPublic: false,
  })).id;
  // Ordos: one gym far away.
  ids.ordosGym = (await createVenue(as.ordosAdmin!, {
    ...base, name: '康巴什全民健身馆', kind: 'gym', organisationId: ids.ordosSchool, districtCode: '150603',
    lat: 39.6065, lng: 109.7844, sports: ['basketball', 'table_tennis'], priceLevel: 'low',
  })).id;

  // Hours: the stadium 06:00–12:00 and 15:00–21:30 daily; the gym open late on Tuesdays only; the park
  // round the clock; the school closed on holidays with weekday evenings; the Ordos gym uses
  // weekend hours on holidays.
  await setHours(as.operator!, ids.stadium, week([{ start: '06:00', end: '12:00' }, { start: '15:00', end: '21:30' }]));
  await setHours(as.operator!, ids.gym, { 2: [{ start: '09:00', end: '24:00' }], 5: [{ start: '07:00', end: '09:00' }] }, 'closed');
  await setHours(as.cityAdmin!, ids.park, week([allDay]));
  await setHours(
    as.schoolX!,
    ids.schoolField,
    { 1: [{ start: '18:00', end: '20:30' }], 2: [{ start: '18:00', end: '20:30' }], 3: [{ start: '18:00', end: '20:30' }], 4: [{ start: '18:00', end: '20:30' }], 5: [{ start: '18:00', end: '20:30' }], 7: [{ start: '08:00', end: '11:00' }] },
    'closed',
  );
  await setHours(as.ordosAdmin!, ids.ordosGym, { 4: [{ start: '18:00', end: '21:00' }], 7: [{ start: '08:00', end: '12:00' }] }, 'as_weekend');
});
afterAll(() => t.close());

const list = (query: string) => t.http().get(`/api/v1/venues?${query}`);
const names = (res: { body: { items: { name: string }[] } }) => res.body.items.map((v) => v.name).sort();

describe('finding venues', () => {
  it('lists public venues only, paged with a total', async () => {
    const res = await list('pageSize=2');
    expect(res.status).toBe(200);
    expect(res.body.total).toBe(5);
    expect(res.body.items).toHaveLength(2);
    const all = await list('pageSize=100');
    expect(names(all)).not.toContain('内部训练馆');
  });

  it('filters by city and district codes', async () => {
    expect(names(await list(`city=${ORDOS}`))).toEqual(['康巴什全民健身馆']);
    expect(names(await list(`city=${ZHENGZHOU}&district=${JINSHUI}`))).toEqual(['甲中学操场', '航海体育公园', '金水河篮球馆'].sort());
  });

  it('filters by sport, kind and price, alone and combined', async () => {
    expect(names(await list('sport=basketball'))).toEqual(['康巴什全民健身馆', '航海体育公园', '金水河篮球馆'].sort());
    expect(names(await list('kind=gym'))).toEqual(['康巴什全民健身馆', '金水河篮球馆'].sort());
    expect(names(await list('priceLevel=free'))).toEqual(['甲中学操场', '航海体育公园'].sort());
    expect(names(await list(`sport=basketball&priceLevel=free&city=${ZHENGZHOU}`))).toEqual(['航海体育公园']);
    expect(names(await list('sport=swimming&kind=gym'))).toEqual([]);
  });

  it('searches Chinese text in the name and the address', async () => {
    expect(names(await list(`q=${encodeURIComponent('篮球')}`))).toEqual(['金水河篮球馆']);
    expect(names(await list(`q=${encodeURIComponent('金水路')}`))).toEqual(['金水河篮球馆']);
    expect((await list(`q=${encodeURIComponent('%')}`)).body.total).toBe(0);
  });

  it('filters by a bounding box in minLng,minLat,maxLng,maxLat order', async () => {
    expect(names(await list('bbox=113.6,34.7,113.7,34.8'))).toEqual(['金水河篮球馆']);
    expect(names(await list('bbox=109,39,111,40'))).toEqual(['康巴什全民健身馆']);
  });

  it('sorts by distance from a point and gives each distance in metres', async () => {
    const here = { lat: 34.7426, lng: 113.5308 };
    const res = await list(`near=${here.lat},${here.lng}&city=${ZHENGZHOU}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const items = res.body.items as { name: string; distanceMeters: number; lat: number; lng: number }[];
    expect(items.map((v) => v.name)).toEqual(['郑州奥体中心（测试）', '金水河篮球馆', '甲中学操场', '航海体育公园']);
    expect(items[0]!.distanceMeters).toBe(0);
    const distances = items.map((v) => v.distanceMeters);
    expect([...distances].sort((a, b) => a - b)).toEqual(distances);
    // The Olympic centre to the Hanghai park: 17 979 m by the haversine formula of the domain package.
    const park = items.find((v) => v.name === '航海体育公园')!;
    expect(park.distanceMeters).toBe(Math.round(haversineMeters(here, park)));
    expect(park.distanceMeters).toBe(17979);
  });

  it('names the field for bad coordinates, bboxes and sports, and answers nothing else', async () => {
    const cases: [string, string][] = [
      ['bbox=1,2,3', 'bbox'],
      ['bbox=113.7,34.7,113.6,34.8', 'bbox'],
      ['bbox=113,34,200,35', 'bbox'],
      ['bbox=NaN,1,2,3', 'bbox'],
      ['near=91,113', 'near'],
      ['near=abc,def', 'near'],
      ['near=NaN,NaN', 'near'],
      ['sport=quidditch', 'sport'],
      ['kind=castle', 'kind'],
      ['openNow=perhaps', 'openNow'],
    ];
    for (const [query, field] of cases) {
      const res = await list(query);
      expect(res.status, query).toBe(400);
      expect(res.body.errors.map((e: { field: string }) => e.field), query).toEqual([field]);
    }
  });
});

describe('open now', () => {
  it('Tuesday 10:00: the stadium and the park are open, the school field is not', async () => {
    now = new Date('2026-09-29T10:00:00+08:00');
    expect(names(await list(`openNow=true&city=${ZHENGZHOU}`))).toEqual(['航海体育公园', '郑州奥体中心（测试）', '金水河篮球馆'].sort());
  });

  it('across midnight: open at 23:59 on Tuesday, closed at 00:00 on Wednesday', async () => {
    now = new Date('2026-09-29T23:59:00+08:00');
    expect(names(await list('openNow=true&kind=gym'))).toEqual(['金水河篮球馆']);
    now = new Date('2026-09-30T00:00:00+08:00');
    expect(names(await list('openNow=true&kind=gym'))).toEqual([]);
  });

  it('on National Day a venue closed on holidays is closed, one that keeps weekend hours opens', async () => {
    now = new Date('2026-10-01T18:30:00+08:00'); // a Thursday: the school field would be open on a normal one
    const openNames = names(await list('openNow=true'));
    expect(openNames).not.toContain('甲中学操场');
    now = new Date('2026-10-01T09:00:00+08:00'); // Sunday hours at the Ordos gym
    expect(names(await list('openNow=true&kind=gym'))).toEqual(['康巴什全民健身馆']);
  });

  it('on the make-up workday (Saturday 2026-10-10) a holiday-aware venue keeps Friday hours', async () => {
    now = new Date('2026-10-10T08:00:00+08:00');
    expect(names(await list('openNow=true&kind=gym'))).toEqual(['金水河篮球馆']);
  });

});

describe('the sports map', () => {
  it('answers an RFC 7946 FeatureCollection with [lng, lat] points and the same filters', async () => {
    const res = await t.http().get(`/api/v1/map/venues.geojson?city=${ZHENGZHOU}&sport=basketball`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/application\/geo\+json/);
    expect(res.body.type).toBe('FeatureCollection');
    const park = res.body.features.find((f: { properties: { name: string } }) => f.properties.name === '航海体育公园');
    expect(park).toMatchObject({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [113.725, 34.7167] },
      properties: { kind: 'park', priceLevel: 'free', openNow: true, approximate: false },
    });
    expect(res.body.features).toHaveLength(2);
  });

  it('refuses a malformed bbox with the field named', async () => {
    const res = await t.http().get('/api/v1/map/venues.geojson?bbox=oops');
    expect(res.status).toBe(400);
    expect(res.body.errors[0].field).toBe('bbox');
  });
});

describe('a venue’s page', () => {
  it('shows resources, the next 7 days of intervals with holiday notes, and whether I may manage it', async () => {
    now = new Date('2026-09-29T10:00:00+08:00');
    await t
      .http()
      .post(`/api/v1/venues/${ids.stadium}/resources`)
      .set('authorization', as.operator!)
      .send({ name: '1号足球场', sport: 'football', mode: 'exclusive' })
      .expect(201);
    const res = await t.http().get(`/api/v1/venues/${ids.stadium}`);
    expect(res.status).toBe(200);
    expect(res.body.resources.map((r: { name: string }) => r.name)).toEqual(['1号足球场']);
    expect(res.body.canManage).toBe(false);
    const days = [...new Set(res.body.openingIntervals.map((i: { date: string }) => i.date))];
    expect(days).toEqual(['2026-09-29', '2026-09-30', '2026-10-01', '2026-10-02', '2026-10-03', '2026-10-04', '2026-10-05']);
    expect(res.body.openingIntervals[0]).toEqual({ date: '2026-09-29', start: '2026-09-28T22:00:00.000Z', end: '2026-09-29T04:00:00.000Z' });
    const managed = await t.http().get(`/api/v1/venues/${ids.stadium}`).set('authorization', as.operator!);
    expect(managed.body.canManage).toBe(true);
  });

  it('a venue that is not public is 404 to residents and visible to its operator', async () => {
    await t.http().get(`/api/v1/venues/${ids.hidden}`).set('authorization', as.resident!).expect(404);
    await t.http().get(`/api/v1/venues/${ids.hidden}`).set('authorization', as.operator!).expect(200);
    const managed = await list('managed=true&pageSize=100').set('authorization', as.operator!);
    expect(names(managed)).toEqual(['内部训练馆', '郑州奥体中心（测试）', '金水河篮球馆'].sort());
  });

  it('managed listing needs a staff role', async () => {
    await list('managed=true').expect(401);
    await list('managed=true').set('authorization', as.resident!).expect(403);
  });
});

describe('who may change a venue', () => {
  it('an operator edits its own venues and gets 403 on another organisation’s', async () => {
    await t.http().patch(`/api/v1/venues/${ids.gym}`).set('authorization', as.operator!).send({ phone: '0371-12345678' }).expect(200);
    await t.http().patch(`/api/v1/venues/${ids.schoolField}`).set('authorization', as.operator!).send({ phone: '0371-1' }).expect(403);
  });

  it('a school admin manages its school’s field only', async () => {
    await setHours(as.schoolX!, ids.schoolField, { 6: [{ start: '08:00', end: '11:00' }] }, 'closed');
    const res = await t.http().put(`/api/v1/venues/${ids.gym}/hours`).set('authorization', as.schoolX!).send({ weeklyHours: {}, holidayRule: 'closed' });
    expect(res.status).toBe(403);
  });

  it('a technician cannot edit venues', async () => {
    await t.http().patch(`/api/v1/venues/${ids.stadium}`).set('authorization', as.technician!).send({ description: 'x' }).expect(403);
  });

  it('the Ordos bureau cannot touch a Zhengzhou venue, nor create one for a Zhengzhou organisation', async () => {
    await t.http().patch(`/api/v1/venues/${ids.stadium}`).set('authorization', as.ordosAdmin!).send({ description: 'x' }).expect(403);
    const res = await t.http().post('/api/v1/venues').set('authorization', as.ordosAdmin!).send({
      ...base, name: '越权场馆', kind: 'gym', organisationId: orgs.venueCo.id, districtCode: JINSHUI, lat: 34.7, lng: 113.6,
    });
    expect(res.status).toBe(403);
  });

  it('only a bureau admin reassigns a venue to another organisation, and it is audited', async () => {
    await t.http().patch(`/api/v1/venues/${ids.gym}`).set('authorization', as.operator!).send({ organisationId: orgs.schoolY.id }).expect(403);
    await t.http().patch(`/api/v1/venues/${ids.hidden}`).set('authorization', as.cityAdmin!).send({ organisationId: orgs.schoolY.id }).expect(200);
    const audit = await t.database.db.select().from(schema.auditLog).where(eq(schema.auditLog.targetId, ids.hidden ?? ''));
    expect(audit.map((a) => a.action)).toEqual(['venue.create', 'venue.update']);
  });

  it('every resident write is refused', async () => {
    const writes = [
      t.http().post('/api/v1/venues').set('authorization', as.resident!).send({ ...base, name: '居民场馆', kind: 'gym', organisationId: orgs.venueCo.id, districtCode: JINSHUI, lat: 34.7, lng: 113.6 }),
      t.http().patch(`/api/v1/venues/${ids.park}`).set('authorization', as.resident!).send({ description: 'x' }),
      t.http().put(`/api/v1/venues/${ids.park}/hours`).set('authorization', as.resident!).send({ weeklyHours: {}, holidayRule: 'closed' }),
      t.http().post(`/api/v1/venues/${ids.park}/exceptions`).set('authorization', as.resident!).send({ date: '2026-10-02', kind: 'closed', reason: '维修' }),
      t.http().post(`/api/v1/venues/${ids.park}/resources`).set('authorization', as.resident!).send({ name: 'x', sport: 'basketball', mode: 'exclusive' }),
    ];
    for (const res of await Promise.all(writes)) expect(res.status).toBe(403);
  });
});

describe('bad input changes nothing', () => {
  it('coordinates out of range, unknown sports and overlapping hours are refused with the field named', async () => {
    const before = (await t.database.db.select({ n: count() }).from(schema.venues))[0]!.n;
    const badLat = await t.http().post('/api/v1/venues').set('authorization', as.operator!).send({
      ...base, name: '坐标错误', kind: 'gym', organisationId: orgs.venueCo.id, districtCode: JINSHUI, lat: 91, lng: 113.6,
    });
    expect(badLat.status).toBe(400);
    expect(badLat.body.errors).toEqual([expect.objectContaining({ field: 'lat' })]);
    const badSport = await t.http().post('/api/v1/venues').set('authorization', as.operator!).send({
      ...base, name: '运动错误', kind: 'gym', organisationId: orgs.venueCo.id, districtCode: JINSHUI, lat: 34, lng: 113, sports: ['quidditch'],
    });
    expect(badSport.status).toBe(400);
    expect(badSport.body.errors[0].field).toBe('sports.0');
    const wrongDistrict = await t.http().post('/api/v1/venues').set('authorization', as.operator!).send({
      ...base, name: '区县错误', kind: 'gym', organisationId: orgs.venueCo.id, districtCode: '150603', lat: 34, lng: 113,
    });
    expect(wrongDistrict.status).toBe(422);
    expect((await t.database.db.select({ n: count() }).from(schema.venues))[0]!.n).toBe(before);

    const overlap = await t.http().put(`/api/v1/venues/${ids.stadium}/hours`).set('authorization', as.operator!).send({
      weeklyHours: { 2: [{ start: '08:00', end: '12:00' }, { start: '11:00', end: '13:00' }] },
      holidayRule: 'as_usual',
    });
    expect(overlap.status).toBe(400);
    expect(overlap.body.errors[0].field).toBe('weeklyHours.2');
    const badTime = await t.http().put(`/api/v1/venues/${ids.stadium}/hours`).set('authorization', as.operator!).send({
      weeklyHours: { 2: [{ start: '25:00', end: '26:00' }] },
      holidayRule: 'as_usual',
    });
    expect(badTime.status).toBe(400);
    const stadium = await t.http().get(`/api/v1/venues/${ids.stadium}`);
    expect(stadium.body.weeklyHours['2']).toEqual([{ start: '06:00', end: '12:00' }, { start: '15:00', end: '21:30' }]);
  });
});

describe('dated closures and special hours', () => {
  it('a closure with a reason removes that day from the intervals and from open-now; deleting it restores both', async () => {
    now = new Date('2026-09-29T10:00:00+08:00');
    const added = await t
      .http()
      .post(`/api/v1/venues/${ids.park}/exceptions`)
      .set('authorization', as.cityAdmin!)
      .send({ date: '2026-09-29', kind: 'closed', reason: '草坪养护' });
    expect(added.status).toBe(201);
    expect(names(await list('openNow=true&kind=park'))).toEqual([]);
    const detail = await t.http().get(`/api/v1/venues/${ids.park}`);
    expect(detail.body.openingIntervals.some((i: { date: string }) => i.date === '2026-09-29')).toBe(false);
    expect(detail.body.exceptions).toEqual([expect.objectContaining({ date: '2026-09-29', kind: 'closed', reason: '草坪养护' })]);
    const again = await t
      .http()
      .post(`/api/v1/venues/${ids.park}/exceptions`)
      .set('authorization', as.cityAdmin!)
      .send({ date: '2026-09-29', kind: 'closed', reason: '重复' });
    expect(again.status).toBe(409);
    await t.http().delete(`/api/v1/venues/${ids.park}/exceptions/${added.body.id}`).set('authorization', as.cityAdmin!).expect(204);
    expect(names(await list('openNow=true&kind=park'))).toEqual(['航海体育公园']);
  });

  it('special hours need at least one well-formed range', async () => {
    const res = await t
      .http()
      .post(`/api/v1/venues/${ids.park}/exceptions`)
      .set('authorization', as.cityAdmin!)
      .send({ date: '2026-10-03', kind: 'special', reason: '活动' });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].field).toBe('ranges');
  });
});

describe('resources', () => {
  it('a shared resource needs a capacity; an exclusive one holds one party; names are unique per venue', async () => {
    const post = (body: object) => t.http().post(`/api/v1/venues/${ids.gym}/resources`).set('authorization', as.operator!).send(body);
    expect((await post({ name: '健身房', sport: 'fitness', mode: 'shared' })).body.errors[0].field).toBe('capacity');
    expect((await post({ name: '篮球A', sport: 'basketball', mode: 'exclusive', capacity: 4 })).status).toBe(400);
    const ok = await post({ name: '篮球A', sport: 'basketball', mode: 'exclusive', indoor: true });
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({ capacity: 1, status: 'active', indoor: true });
    expect((await post({ name: '篮球A', sport: 'basketball', mode: 'exclusive' })).body.code).toBe('RESOURCE_NAME_TAKEN');
    const outOfService = await t
      .http()
      .patch(`/api/v1/venues/${ids.gym}/resources/${ok.body.id}`)
      .set('authorization', as.operator!)
      .send({ status: 'out_of_service' });
    expect(outOfService.body.status).toBe('out_of_service');
  });
});

describe('photos', () => {
  it('a real JPEG with GPS EXIF is stored re-encoded, with a thumbnail, and without any metadata', async () => {
    const jpeg = await sharp({ create: { width: 2400, height: 1600, channels: 3, background: '#2a7' } })
      .withExif({
        IFD0: { Make: 'PhoneCam', Model: 'P1' },
        IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '34/1 44/1 3348/100', GPSLongitudeRef: 'E', GPSLongitude: '113/1 31/1 5088/100' },
      })
      .jpeg()
      .toBuffer();
    const original = await sharp(jpeg).metadata();
    expect(original.exif?.includes(Buffer.from('PhoneCam'))).toBe(true);

    const res = await t
      .http()
      .post(`/api/v1/venues/${ids.gym}/photos`)
      .set('authorization', as.operator!)
      .attach('file', jpeg, { filename: 'court.jpg', contentType: 'image/jpeg' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ width: 1600, height: 1067 });

    const stored = await t.http().get(res.body.url).buffer(true).parse((r, done) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => done(null, Buffer.concat(chunks)));
    });
    expect(stored.status).toBe(200);
    const meta = await sharp(stored.body as Buffer).metadata();
    expect(meta.format).toBe('webp');
    expect(meta.exif).toBeUndefined();
    expect(meta.xmp).toBeUndefined();
    expect((stored.body as Buffer).includes(Buffer.from('PhoneCam'))).toBe(false);

    const folder = path.join(t.dataDir, 'uploads', 'venues', ids.gym!);
    const files = await readdir(folder);
    expect(files).toHaveLength(2);
    for (const file of files) expect((await sharp(await readFile(path.join(folder, file))).metadata()).exif).toBeUndefined();

    const detail = await t.http().get(`/api/v1/venues/${ids.gym}`);
    expect(detail.body.photos).toHaveLength(1);
    expect(detail.body.thumbUrl).toBe(res.body.thumbUrl);
  });

  it('a file that is not an image is refused whatever it claims to be, and nothing is stored', async () => {
    const before = (await t.database.db.select({ n: count() }).from(schema.venuePhotos))[0]!.n;
    const res = await t
      .http()
      .post(`/api/v1/venues/${ids.park}/photos`)
      .set('authorization', as.cityAdmin!)
      .attach('file', Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"></svg>'), { filename: 'x.jpg', contentType: 'image/jpeg' });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('UNSUPPORTED_IMAGE');
    expect((await t.database.db.select({ n: count() }).from(schema.venuePhotos))[0]!.n).toBe(before);
  });

  it('a body that is not a multipart form is 415 problem+json, not a 500, and nothing is stored', async () => {
    const before = (await t.database.db.select({ n: count() }).from(schema.venuePhotos))[0]!.n;
    const asJson = await t.http().post(`/api/v1/venues/${ids.park}/photos`).set('authorization', as.cityAdmin!).send({ file: 'x' });
    const asText = await t.http().post(`/api/v1/venues/${ids.park}/photos`).set('authorization', as.cityAdmin!).set('content-type', 'text/plain').send('hello');
    const empty = await t.http().post(`/api/v1/venues/${ids.park}/photos`).set('authorization', as.cityAdmin!);
    for (const res of [asJson, asText, empty]) {
      expect(res.status, JSON.stringify(res.body)).toBe(415);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    }
    expect((await t.database.db.select({ n: count() }).from(schema.venuePhotos))[0]!.n).toBe(before);
  });

  it('a broken multipart form (a boundary that never comes, a part cut short) is 400 problem+json, not a 500', async () => {
    const before = (await t.database.db.select({ n: count() }).from(schema.venuePhotos))[0]!.n;
    for (const body of ['--elsewhere\r\n\r\nx', '--b\r\ncontent-disposition: form-data; name="file"; filename="a.png"\r\ncontent-type: image/png\r\n\r\n\x89PNG']) {
      const res = await t.http().post(`/api/v1/venues/${ids.park}/photos`).set('authorization', as.cityAdmin!).set('content-type', 'multipart/form-data; boundary=b').send(body);
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
    expect((await t.database.db.select({ n: count() }).from(schema.venuePhotos))[0]!.n).toBe(before);
  });

  it('paths that leave the photo folder or name no file are 404 problem+json, never a 500', async () => {
    for (const url of ['/media/../package.json', '/media/%2e%2e/package.json', '/media/', '/media/venues/../../x']) {
      // supertest would resolve the dot segments itself: the path goes out as written.
      const client = await rawClient(t.app);
      const res = await client.send({ method: 'GET', path: url, headers: {} }).finally(() => client.close());
      expect(res.status, url).toBe(404);
      expect(res.headers['content-type'], url).toMatch(/^application\/problem\+json/);
    }
  });

  it('an operator cannot add photos to another organisation’s venue', async () => {
    const png = await sharp({ create: { width: 10, height: 10, channels: 3, background: '#000' } }).png().toBuffer();
    const res = await t
      .http()
      .post(`/api/v1/venues/${ids.park}/photos`)
      .set('authorization', as.operator!)
      .attach('file', png, { filename: 'p.png', contentType: 'image/png' });
    expect(res.status).toBe(403);
  });
});

// Last: it moves every venue's expanded window eight weeks on.
describe('the sweep', () => {
  it('the sweep keeps the answer right when time moves on past the expanded window', async () => {
    now = new Date('2026-11-24T10:00:00+08:00'); // also a Tuesday, eight weeks later
    await extendOpenIntervals(t.database.db, now);
    expect(names(await list('openNow=true&kind=gym'))).toEqual(['金水河篮球馆']);
  });
});
