import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { and, count, eq, sql } from 'drizzle-orm';
import sharp from 'sharp';
import { schema } from '@sports/db';
import { createTestApp, type TestApp } from './support/app.ts';
import { renderedNotifications } from './support/notifications.ts';
import { JINSHUI, ZHENGZHOU, insertCityFixture, insertUser } from './support/fixtures.ts';

/**
 * Repair-aware booking, the dispatcher's choices, an organisation's promise and anonymous photos. Tuesday 2026-11-24 10:00 in Zhengzhou.
 */
const now = new Date('2026-11-24T10:00:00+08:00');
const at = (local: string) => new Date(`${local}+08:00`);

let t: TestApp;
let orgs: Awaited<ReturnType<typeof insertCityFixture>>;
const ids = {} as Record<'venue' | 'court1' | 'court2' | 'hoop1' | 'hoop2' | 'light', string>;
type Person = { id: string; phone: string; token: string };
const people = {} as Record<'operator' | 'technician' | 'idleTechnician' | 'alice' | 'bob' | 'stranger', Person>;
const week = Object.fromEntries([1, 2, 3, 4, 5, 6, 7].map((d) => [d, [{ start: '08:00', end: '22:00' }]]));

async function person(roles: { role: 'operator' | 'technician' | 'bureau_admin'; organisationId: string }[] = []): Promise<Person> {
  const user = await insertUser(t.database.db, roles);
  return { ...user, token: `Bearer ${t.app.jwt.sign({ sub: user.id })}` };
}

async function booking(who: Person, resourceId: string, start: string, end: string) {
  const [row] = await t.database.db
    .insert(schema.reservations)
    .values({
      code: `R${Math.random().toString(36).slice(2, 10).toUpperCase()}`,
      resourceId,
      venueId: ids.venue,
      userId: who.id,
      during: `[${at(start).toISOString()},${at(end).toISOString()})`,
      sport: 'basketball',
    })
    .returning({ id: schema.reservations.id });
  return row!.id;
}

const reservation = async (id: string) =>
  (await t.database.db.select().from(schema.reservations).where(eq(schema.reservations.id, id)))[0]!;

function setStatus(who: Person, assetId: string, body: Record<string, unknown>) {
  return t.http().put(`/api/v1/assets/${assetId}/status`).set('authorization', who.token).send(body);
}

async function slotsOn(resourceId: string, date: string) {
  const res = await t.http().get(`/api/v1/venues/${ids.venue}/availability?date=${date}&days=1`);
  expect(res.status).toBe(200);
  return (res.body.resources as { id: string; slots: { start: string; status: string }[] }[]).find((r) => r.id === resourceId)!.slots;
}
const statusAt = async (resourceId: string, local: string) =>
  (await slotsOn(resourceId, local.slice(0, 10))).find((s) => new Date(s.start).getTime() === at(local).getTime())?.status;

beforeAll(async () => {
  t = await createTestApp({}, () => now);
  const db = t.database.db;
  orgs = await insertCityFixture(db);
  const [venue] = await db
    .insert(schema.venues)
    .values([
      {
        name: '金水篮球公园',
        kind: 'gym',
        organisationId: orgs.venueCo.id,
        cityCode: ZHENGZHOU,
        districtCode: JINSHUI,
        lat: 34.78,
        lng: 113.66,
        priceLevel: 'paid',
        weeklyHours: week,
        bookingSettings: { slotMinutes: 60, maxSlots: 2, windowDays: 7, releaseTime: '00:00', cancelHours: 2, defaultPriceFen: 2000, bands: [] },
      },
    ])
    .returning({ id: schema.venues.id });
  ids.venue = venue!.id;
  const courts = await db
    .insert(schema.venueResources)
    .values([
      { venueId: ids.venue, name: '1号场', sport: 'basketball', mode: 'exclusive', sortOrder: 1 },
      { venueId: ids.venue, name: '2号场', sport: 'basketball', mode: 'exclusive', sortOrder: 2 },
    ])
    .returning({ id: schema.venueResources.id });
  [ids.court1, ids.court2] = courts.map((c) => c.id) as [string, string];
  const assets = await db
    .insert(schema.assets)
    .values([
      { venueId: ids.venue, resourceId: ids.court1, code: 'RPRHP222', type: 'basketball_hoop', name: '1号场东侧篮球架', installDate: '2023-03-01', serviceLifeYears: 8 },
      { venueId: ids.venue, resourceId: ids.court2, code: 'RPRHP333', type: 'basketball_hoop', name: '2号场篮球架', installDate: '2023-03-01', serviceLifeYears: 8 },
      { venueId: ids.venue, code: 'RPRGT222', type: 'lighting', name: '场边照明', installDate: '2023-03-01', serviceLifeYears: 8 },
    ])
    .returning({ id: schema.assets.id });
  [ids.hoop1, ids.hoop2, ids.light] = assets.map((a) => a.id) as [string, string, string];
  people.operator = await person([{ role: 'operator', organisationId: orgs.venueCo.id }]);
  people.technician = await person([{ role: 'technician', organisationId: orgs.venueCo.id }]);
  people.idleTechnician = await person([{ role: 'technician', organisationId: orgs.venueCo.id }]);
  for (const name of ['alice', 'bob', 'stranger'] as const) people[name] = await person();
});
afterAll(() => t.close());

describe('repair-aware booking', () => {
  it('out of service until a day: bookings in that span are cancelled without penalty and told; the slots leave booking; the rest stay', async () => {
    const inSpan = await booking(people.alice, ids.court1, '2026-11-25T19:00:00', '2026-11-25T20:00:00');
    const afterSpan = await booking(people.bob, ids.court1, '2026-11-27T19:00:00', '2026-11-27T20:00:00');
    const otherCourt = await booking(people.bob, ids.court2, '2026-11-25T19:00:00', '2026-11-25T20:00:00');
    expect(await statusAt(ids.court1, '2026-11-25T18:00:00')).toBe('free');

    const res = await setStatus(people.operator, ids.hoop1, { status: 'out_of_service', reason: '篮板开裂', expectedFixDate: '2026-11-26' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ status: 'out_of_service', expectedFixDate: '2026-11-26' });

    expect(await reservation(inSpan)).toMatchObject({ status: 'cancelled', cancelledWithoutPenalty: true });
    expect((await reservation(afterSpan)).status).toBe('confirmed');
    expect((await reservation(otherCourt)).status).toBe('confirmed');
    const told = await renderedNotifications(
      t.database.db,
      and(eq(schema.notifications.userId, people.alice.id), eq(schema.notifications.kind, 'reservation.cancelled_by_venue')),
    );
    expect(told).toHaveLength(1);
    expect(told[0]!.body).toContain('1号场东侧篮球架');
    expect(told[0]!.body).toContain('不计违约');

    expect(await statusAt(ids.court1, '2026-11-25T18:00:00')).toBe('closed');
    expect(await statusAt(ids.court1, '2026-11-26T21:00:00')).toBe('closed');
    expect(await statusAt(ids.court1, '2026-11-27T09:00:00')).toBe('free');
    expect(await statusAt(ids.court2, '2026-11-25T18:00:00')).toBe('free');

    // A resident cannot book what repair took out.
    const refused = await t
      .http()
      .post('/api/v1/reservations')
      .set('authorization', people.bob.token)
      .set('idempotency-key', 'repair-refused-1')
      .send({ resourceId: ids.court1, start: at('2026-11-25T18:00:00').toISOString(), end: at('2026-11-25T19:00:00').toISOString() });
    expect(refused.status).toBe(409);

    // The public report page shows the date.
    const page = await t.http().get('/api/v1/assets/by-code/RPRHP222');
    expect(page.body).toMatchObject({ status: 'out_of_service', expectedFixDate: '2026-11-26', openTicket: null });
  });

  it('resolving the equipment’s ticket puts it back in order and the court back in booking', async () => {
    const reported = await t.http().post('/api/v1/tickets').set('authorization', people.alice.token).send({ assetCode: 'RPRHP222', category: 'basketball_hoop', fault: 'backboard_cracked' });
    expect(reported.status, JSON.stringify(reported.body)).toBe(201);
    const id = reported.body.id as string;
    const page = await t.http().get('/api/v1/assets/by-code/RPRHP222');
    expect(page.body.openTicket).toMatchObject({ id, code: reported.body.code, state: 'submitted', meTooCount: 0 });

    const move = (who: Person, body: Record<string, unknown>) => t.http().post(`/api/v1/tickets/${id}/moves`).set('authorization', who.token).send(body);
    expect((await move(people.operator, { move: 'accept' })).status).toBe(200);
    expect((await move(people.operator, { move: 'dispatch', assigneeId: people.technician.id })).status).toBe(200);
    expect((await move(people.technician, { move: 'start' })).status).toBe(200);
    const png = await sharp({ create: { width: 40, height: 40, channels: 3, background: '#fff' } }).png().toBuffer();
    const photo = await t.http().post(`/api/v1/tickets/${id}/photos?kind=after`).set('authorization', people.technician.token).attach('file', png, { filename: 'after.png', contentType: 'image/png' });
    expect(photo.status).toBe(201);
    const resolved = await move(people.technician, { move: 'resolve' });
    expect(resolved.status).toBe(200);
    expect(resolved.body.timeline.map((e: { kind: string }) => e.kind)).toContain('asset_restored');

    const asset = await t.http().get(`/api/v1/assets/${ids.hoop1}`).set('authorization', people.operator.token);
    expect(asset.body).toMatchObject({ status: 'ok', expectedFixDate: null });
    expect(await statusAt(ids.court1, '2026-11-25T18:00:00')).toBe('free');
    expect(await statusAt(ids.court1, '2026-11-26T21:00:00')).toBe('free');
    // The part of the block already past stays on record; nothing of it lies ahead.
    const ahead = await t.database.db
      .select({ n: count() })
      .from(schema.reservations)
      .where(and(eq(schema.reservations.repairAssetId, ids.hoop1), eq(schema.reservations.status, 'confirmed'), sql`upper(${schema.reservations.during}) > ${now.toISOString()}::timestamptz`));
    expect(ahead[0]!.n).toBe(0);
  });

  it('without a date the court stays out until the equipment is marked ok; an operator’s block already there is kept and filled around', async () => {
    const db = t.database.db;
    const [block] = await db
      .insert(schema.reservations)
      .values({ code: 'RBLOCKA1', kind: 'block', resourceId: ids.court2, venueId: ids.venue, during: `[${at('2026-11-28T08:00:00').toISOString()},${at('2026-11-28T12:00:00').toISOString()})`, sport: 'basketball', note: '比赛' })
      .returning({ id: schema.reservations.id });
    const res = await setStatus(people.operator, ids.hoop2, { status: 'out_of_service', reason: '篮筐脱落' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect((await reservation(block!.id)).status).toBe('confirmed');
    const repairBlocks = await db.select().from(schema.reservations).where(eq(schema.reservations.repairAssetId, ids.hoop2));
    expect(repairBlocks).toHaveLength(2);
    expect(await statusAt(ids.court2, '2026-12-01T10:00:00')).toBe('closed');

    const back = await setStatus(people.operator, ids.hoop2, { status: 'ok' });
    expect(back.status).toBe(200);
    expect(await statusAt(ids.court2, '2026-12-01T10:00:00')).toBe('free');
    expect(await statusAt(ids.court2, '2026-11-28T09:00:00')).toBe('closed');
    expect((await reservation(block!.id)).status).toBe('confirmed');
  });

  it('a court itself taken out of service loses its bookings still to come (without penalty, told); back in service its slots return', async () => {
    const db = t.database.db;
    const [court3] = await db.insert(schema.venueResources).values({ venueId: ids.venue, name: '3号场', sport: 'basketball', mode: 'exclusive', sortOrder: 3 }).returning({ id: schema.venueResources.id });
    const ahead = await booking(people.alice, court3!.id, '2026-11-26T09:00:00', '2026-11-26T10:00:00');
    const url = `/api/v1/venues/${ids.venue}/resources/${court3!.id}`;
    const res = await t.http().patch(url).set('authorization', people.operator.token).send({ status: 'out_of_service' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(await reservation(ahead)).toMatchObject({ status: 'cancelled', cancelledWithoutPenalty: true });
    const told = await renderedNotifications(db, eq(schema.notifications.userId, people.alice.id));
    expect(told.some((n) => n.body.includes('3号场') && (n.data as { reservationId?: string }).reservationId === ahead)).toBe(true);
    expect(await statusAt(court3!.id, '2026-11-26T09:00:00')).toBe('out_of_service');
    expect((await t.http().patch(url).set('authorization', people.operator.token).send({ status: 'active' })).status).toBe(200);
    expect(await statusAt(court3!.id, '2026-11-26T09:00:00')).toBe('free');
  });

  it('refuses a fix date in the past, with another status, or that is no date, and changes nothing', async () => {
    for (const [body, field] of [
      [{ status: 'out_of_service', reason: '损坏', expectedFixDate: '2026-11-20' }, 'expectedFixDate'],
      [{ status: 'degraded', reason: '松动', expectedFixDate: '2026-12-01' }, 'expectedFixDate'],
      [{ status: 'out_of_service', reason: '损坏', expectedFixDate: '2026-02-30' }, 'expectedFixDate'],
      [{ status: 'out_of_service' }, 'reason'],
    ] as const) {
      const res = await setStatus(people.operator, ids.light, body);
      expect(res.status).toBe(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual([field]);
    }
    const res = await setStatus(people.stranger, ids.light, { status: 'out_of_service', reason: '损坏' });
    expect(res.status).toBe(403);
    const [light] = await t.database.db.select().from(schema.assets).where(eq(schema.assets.id, ids.light));
    expect(light).toMatchObject({ status: 'ok', expectedFixDate: null });
  });
});

describe('the dispatcher’s choices and the owner’s promise', () => {
  let ticketId: string;
  beforeAll(async () => {
    const res = await t.http().post('/api/v1/tickets').set('authorization', people.bob.token).send({ venueId: ids.venue, category: 'court_surface', fault: 'cracked' });
    ticketId = res.body.id;
  });

  it('tells the owner’s dispatchers of a new report', async () => {
    const told = await t.database.db
      .select()
      .from(schema.notifications)
      .where(and(eq(schema.notifications.userId, people.operator.id), eq(schema.notifications.kind, 'ticket.new')));
    expect(told.some((n) => (n.data as { ticketId?: string }).ticketId === ticketId)).toBe(true);
    const technicianTold = await t.database.db.select({ n: count() }).from(schema.notifications).where(and(eq(schema.notifications.userId, people.technician.id), eq(schema.notifications.kind, 'ticket.new')));
    expect(technicianTold[0]!.n).toBe(0);
  });

  it('lists the owner’s technicians, least busy first, with masked numbers; only to dispatchers and bureaus', async () => {
    await t.database.db.insert(schema.tickets).values({
      code: 'RPRBUSY2',
      organisationId: orgs.venueCo.id,
      venueId: ids.venue,
      category: 'fence',
      fault: 'hole',
      reporterPhone: '13700000001',
      state: 'dispatched',
      assigneeId: people.technician.id,
      dueAt: new Date(now.getTime() + 3_600_000),
    });
    const res = await t.http().get(`/api/v1/tickets/${ticketId}/technicians`).set('authorization', people.operator.token);
    expect(res.status).toBe(200);
    expect(res.body.map((x: { id: string }) => x.id)).toEqual([people.idleTechnician.id, people.technician.id]);
    expect(res.body[0].phone).toMatch(/^1\d{2}\*{4}\d{4}$/);
    expect(res.body.map((x: { openTickets: number }) => x.openTickets)).toEqual([0, 1]);
    for (const who of [people.bob, people.technician, people.stranger]) {
      expect((await t.http().get(`/api/v1/tickets/${ticketId}/technicians`).set('authorization', who.token)).status).toBe(403);
    }
    expect((await t.http().get(`/api/v1/tickets/${ticketId}/transfer-targets`).set('authorization', people.bob.token)).status).toBe(403);
    const targets = await t.http().get(`/api/v1/tickets/${ticketId}/transfer-targets`).set('authorization', people.operator.token);
    expect(targets.status).toBe(200);
    expect(targets.body.map((x: { id: string }) => x.id)).toContain(orgs.jinshuiBureau.id);
    expect(targets.body.map((x: { id: string }) => x.id)).not.toContain(orgs.venueCo.id);
  });

  it('an organisation sets its promise; new tickets and priorities on acceptance are due by it; a slower urgent is refused', async () => {
    const url = `/api/v1/organisations/${orgs.venueCo.id}/ticket-sla`;
    expect((await t.http().get(url).set('authorization', people.operator.token)).body).toEqual({ urgent: 24, normal: 72, low: 168 });
    const bad = await t.http().put(url).set('authorization', people.operator.token).send({ urgent: 80, normal: 72, low: 168 });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field)).toEqual(['urgent']);
    expect((await t.http().put(url).set('authorization', people.technician.token).send({ urgent: 4, normal: 48, low: 120 })).status).toBe(403);
    expect((await t.http().put(url).set('authorization', people.operator.token).send({ urgent: 4, normal: 48, low: 120, extra: 1 })).status).toBe(400);
    expect((await t.http().get(url).set('authorization', people.operator.token)).body).toEqual({ urgent: 24, normal: 72, low: 168 });

    const set = await t.http().put(url).set('authorization', people.operator.token).send({ urgent: 4, normal: 48, low: 120 });
    expect(set.status).toBe(200);
    const fresh = await t.http().post('/api/v1/tickets').set('authorization', people.alice.token).send({ venueId: ids.venue, category: 'fence', fault: 'hole' });
    expect(fresh.status, JSON.stringify(fresh.body)).toBe(201);
    expect(new Date(fresh.body.dueAt).getTime() - now.getTime()).toBe(48 * 3_600_000);
    const accepted = await t.http().post(`/api/v1/tickets/${fresh.body.id}/moves`).set('authorization', people.operator.token).send({ move: 'accept', priority: 'urgent' });
    expect(accepted.status).toBe(200);
    expect(new Date(accepted.body.dueAt).getTime() - now.getTime()).toBe(4 * 3_600_000);
  });
});

describe('photos from a report without an account', () => {
  it('a body that is not a multipart form is 415 problem+json, not a 500, and nothing is stored', async () => {
    const reported = await t.http().post('/api/v1/tickets').set('authorization', people.alice.token).send({ venueId: ids.venue, category: 'fence', fault: 'hole' });
    expect(reported.status, JSON.stringify(reported.body)).toBe(201);
    const photos = async () => (await t.database.db.select({ n: count() }).from(schema.ticketPhotos))[0]!.n;
    const before = await photos();
    const url = `/api/v1/tickets/${reported.body.id}/photos?kind=report`;
    for (const res of [
      await t.http().post(url).set('authorization', people.alice.token).send({ file: 'x' }),
      await t.http().post(url).set('authorization', people.alice.token).set('content-type', 'text/plain').send('hello'),
      await t.http().post(url).set('authorization', people.alice.token),
    ]) {
      expect(res.status, JSON.stringify(res.body)).toBe(415);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    }
    expect(await photos()).toBe(before);
  });

  it('a broken multipart form (a boundary that never comes, a part cut short) is 400 problem+json, not a 500', async () => {
    const reported = await t.http().post('/api/v1/tickets').set('authorization', people.alice.token).send({ venueId: ids.venue, category: 'fence', fault: 'hole' });
    const url = `/api/v1/tickets/${reported.body.id}/photos?kind=report`;
    const photos = async () => (await t.database.db.select({ n: count() }).from(schema.ticketPhotos))[0]!.n;
    const before = await photos();
    for (const body of ['--elsewhere\r\n\r\nx', '--b\r\ncontent-disposition: form-data; name="file"; filename="a.png"\r\ncontent-type: image/png\r\n\r\n\x89PNG']) {
      const res = await t.http().post(url).set('authorization', people.alice.token).set('content-type', 'multipart/form-data; boundary=b').send(body);
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
    expect(await photos()).toBe(before);
  });

  it('the report’s upload token lets its reporter add a JPEG, stored without its GPS EXIF; no token, a wrong one or another ticket’s is refused', async () => {
    const res = await t.http().post('/api/v1/tickets').send({ assetCode: 'RPRGT222', category: 'lighting', fault: 'light_out', phone: '13712345678' });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const token = res.body.uploadToken as string;
    expect(token).toMatch(/^\d+\.[\w-]+$/);
    const other = await t.http().post('/api/v1/tickets').send({ venueId: ids.venue, category: 'fence', fault: 'hole', phone: '13712345679' });
    const jpeg = await sharp({ create: { width: 1200, height: 900, channels: 3, background: '#468' } })
      .withExif({ IFD0: { Make: 'PhoneCam' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '34/1 46/1 48/1', GPSLongitudeRef: 'E', GPSLongitude: '113/1 39/1 36/1' } })
      .jpeg()
      .toBuffer();
    const send = (id: string, header?: string) => {
      const req = t.http().post(`/api/v1/tickets/${id}/photos?kind=report`);
      return (header ? req.set('x-report-token', header) : req).attach('file', jpeg, { filename: 'light.jpg', contentType: 'image/jpeg' });
    };
    expect((await send(res.body.id)).status).toBe(401);
    expect((await send(res.body.id, `${token}x`)).status).toBe(401);
    expect((await send(other.body.id, token)).status).toBe(401);
    expect((await t.http().post(`/api/v1/tickets/${res.body.id}/photos?kind=after`).set('x-report-token', token).attach('file', jpeg, { filename: 'a.jpg', contentType: 'image/jpeg' })).status).toBe(403);

    const photo = await send(res.body.id, token);
    expect(photo.status, JSON.stringify(photo.body)).toBe(201);
    const folder = path.join(t.dataDir, 'uploads', 'tickets', res.body.id);
    const files = await readdir(folder);
    expect(files).toHaveLength(2);
    for (const file of files) {
      const bytes = await readFile(path.join(folder, file));
      expect((await sharp(bytes).metadata()).exif).toBeUndefined();
      expect(bytes.includes(Buffer.from('PhoneCam'))).toBe(false);
    }
    // A signed-in resident's token is their session, not this: the report answer carries none.
    const signedIn = await t.http().post('/api/v1/tickets').set('authorization', people.bob.token).send({ venueId: ids.venue, category: 'toilet', fault: 'unclean' });
    expect(signedIn.status, JSON.stringify(signedIn.body)).toBe(201);
    expect(signedIn.body.uploadToken).toBeUndefined();
  });
});
