import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { count, eq, sql } from 'drizzle-orm';
import fc from 'fast-check';
import sharp from 'sharp';
import { schema } from '@sports/db';
import { TICKET_MOVES, TICKET_WORKFLOW, type TicketMove, type TicketState } from '@sports/domain';
import { runTicketSweep } from '../src/services/repairs/ticket-sweeps.ts';
import { createTestApp, type TestApp } from './support/app.ts';
import { renderedNotifications } from './support/notifications.ts';
import { JINSHUI, ZHENGZHOU, ZHONGYUAN, insertCityFixture, insertOrganisation, insertUser } from './support/fixtures.ts';

/** Tuesday 2026-11-24 10:00 in Zhengzhou. */
const now = new Date('2026-11-24T10:00:00+08:00');

let t: TestApp;
let orgs: Awaited<ReturnType<typeof insertCityFixture>>;
const ids = {} as Record<'gym' | 'court' | 'path' | 'schoolVenue' | 'otherOperator', string>;
type Person = { id: string; phone: string; token: string };
const people = {} as Record<
  'operator' | 'technician' | 'schoolAdmin' | 'schoolTechnician' | 'cityBureau' | 'jinshuiBureau' | 'otherOperator' | 'resident' | 'neighbour' | 'stranger',
  Person
>;
let png: Buffer;

async function person(roles: { role: 'operator' | 'technician' | 'school_admin' | 'bureau_admin'; organisationId: string }[] = []): Promise<Person> {
  const user = await insertUser(t.database.db, roles);
  return { ...user, token: `Bearer ${t.app.jwt.sign({ sub: user.id })}` };
}

let assetCounter = 0;
/** A fresh hoop at the gym (no open ticket yet), or another type of equipment. */
async function newAsset(values: { venueId?: string; type?: 'basketball_hoop' | 'walker'; lat?: number; lng?: number } = {}): Promise<string> {
  assetCounter += 1;
  const alphabet = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
  const unique = `TKT${[3, 2, 1, 0].map((p) => alphabet[Math.floor(assetCounter / 31 ** p) % 31]).join('')}2`;
  await t.database.db.insert(schema.assets).values({
    venueId: values.venueId ?? ids.gym,
    code: unique,
    type: values.type ?? 'basketball_hoop',
    name: `设施${assetCounter}`,
    installDate: '2024-05-01',
    serviceLifeYears: 8,
    lat: values.lat ?? null,
    lng: values.lng ?? null,
  });
  return unique;
}

function report(who: Person | null, body: Record<string, unknown>) {
  const req = t.http().post('/api/v1/tickets');
  return (who ? req.set('authorization', who.token) : req).send(body);
}

async function reported(body: Record<string, unknown>, who: Person = people.resident) {
  const res = await report(who, body);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: string; code: string; state: string; organisationId: string; dueAt: string };
}

/** A report on a venue: any number may be open at once. */
const atGym = (who: Person = people.resident) => reported({ venueId: ids.gym, category: 'court_surface', fault: 'cracked' }, who);

function move(who: Person, id: string, body: Record<string, unknown>) {
  return t.http().post(`/api/v1/tickets/${id}/moves`).set('authorization', who.token).send(body);
}

async function moved(who: Person, id: string, body: Record<string, unknown>) {
  const res = await move(who, id, body);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as { state: string; moves: string[]; timeline: { kind: string; note: string; internal: boolean }[] };
}

function upload(who: Person, id: string, kind: 'report' | 'after', file: Buffer = png) {
  return t.http().post(`/api/v1/tickets/${id}/photos?kind=${kind}`).set('authorization', who.token).attach('file', file, { filename: 'photo.png', contentType: 'image/png' });
}

async function stateOf(id: string): Promise<TicketState> {
  const [row] = await t.database.db.select({ state: schema.tickets.state }).from(schema.tickets).where(eq(schema.tickets.id, id));
  return row!.state;
}

async function written() {
  const db = t.database.db;
  const [tickets] = await db.select({ n: count() }).from(schema.tickets);
  const [events] = await db.select({ n: count() }).from(schema.ticketEvents);
  const [photos] = await db.select({ n: count() }).from(schema.ticketPhotos);
  const [followers] = await db.select({ n: count() }).from(schema.ticketFollowers);
  return { tickets: tickets!.n, events: events!.n, photos: photos!.n, followers: followers!.n };
}

function fieldsOf(res: { body: { errors?: { field: string }[] } }) {
  return (res.body.errors ?? []).map((e) => e.field).sort();
}

beforeAll(async () => {
  t = await createTestApp({}, () => now);
  const db = t.database.db;
  orgs = await insertCityFixture(db);
  const otherOperator = await insertOrganisation(db, { kind: 'operator', name: '另一家运营公司', cityCode: ZHENGZHOU, parentId: orgs.zzBureau.id });
  ids.otherOperator = otherOperator.id;
  const place = { cityCode: ZHENGZHOU, districtCode: JINSHUI, lat: 34.78, lng: 113.66, priceLevel: 'free' as const };
  const [gym, path, schoolVenue] = await db
    .insert(schema.venues)
    .values([
      { ...place, name: '金水全民健身馆', kind: 'gym', organisationId: orgs.venueCo.id },
      // Run by the operator company, but on public land: its equipment is the district bureau's to fix.
      { ...place, name: '金水河滨河健身路径', kind: 'fitness_path', organisationId: orgs.venueCo.id, lat: 34.79, lng: 113.67 },
      { ...place, name: '金水区甲中学运动场', kind: 'school', organisationId: orgs.schoolX.id },
    ])
    .returning({ id: schema.venues.id });
  ids.gym = gym!.id;
  ids.path = path!.id;
  ids.schoolVenue = schoolVenue!.id;
  const [court] = await db
    .insert(schema.venueResources)
    .values({ venueId: ids.gym, name: '1号篮球场', sport: 'basketball', mode: 'exclusive' })
    .returning({ id: schema.venueResources.id });
  ids.court = court!.id;
  people.operator = await person([{ role: 'operator', organisationId: orgs.venueCo.id }]);
  people.technician = await person([{ role: 'technician', organisationId: orgs.venueCo.id }]);
  people.schoolAdmin = await person([{ role: 'school_admin', organisationId: orgs.schoolX.id }]);
  people.schoolTechnician = await person([{ role: 'technician', organisationId: orgs.schoolX.id }]);
  people.cityBureau = await person([{ role: 'bureau_admin', organisationId: orgs.zzBureau.id }]);
  people.jinshuiBureau = await person([{ role: 'bureau_admin', organisationId: orgs.jinshuiBureau.id }]);
  people.otherOperator = await person([{ role: 'operator', organisationId: otherOperator.id }]);
  people.resident = await person();
  people.neighbour = await person();
  people.stranger = await person();
  png = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#c33' } }).png().toBuffer();
});
afterAll(() => t?.close());

describe('reporting a fault', () => {
  it('refuses bad reports field by field and writes nothing', async () => {
    const hoop = await newAsset();
    const before = await written();
    const cases: [Person | null, Record<string, unknown>, string[]][] = [
      [people.resident, { category: 'court_surface', fault: 'cracked' }, ['assetCode']],
      [people.resident, { assetCode: hoop, venueId: ids.gym, category: 'basketball_hoop', fault: 'rim_loose' }, ['assetCode']],
      [people.resident, { lat: 34.8, category: 'other', fault: 'broken' }, ['lng']],
      [people.resident, { resourceId: ids.court, lat: 34.8, lng: 113.65, category: 'other', fault: 'broken' }, ['resourceId']],
      [people.resident, { venueId: ids.gym, category: 'court_surface', fault: 'rim_loose' }, ['fault']],
      [people.resident, { venueId: ids.gym, category: 'spaceship', fault: 'broken' }, ['category']],
      [people.resident, { venueId: ids.gym, category: 'court_surface', fault: 'Cracked!' }, ['fault']],
      [people.resident, { venueId: ids.gym, category: 'court_surface', fault: 'cracked', priority: 'urgent' }, ['priority']],
      [people.resident, { venueId: ids.gym, category: 'court_surface', fault: 'cracked', description: 'x'.repeat(501) }, ['description']],
      [people.resident, { venueId: 'not-a-uuid', category: 'court_surface', fault: 'cracked' }, ['venueId']],
      [people.resident, { venueId: '00000000-0000-4000-8000-000000000000', category: 'court_surface', fault: 'cracked' }, ['venueId']],
      [people.resident, { venueId: ids.schoolVenue, resourceId: ids.court, category: 'court_surface', fault: 'cracked' }, ['resourceId']],
      [people.resident, { assetCode: 'ZZZZZZZZ', category: 'basketball_hoop', fault: 'rim_loose' }, ['assetCode']],
      [people.resident, { assetCode: hoop, category: 'walker', fault: 'pedal_loose' }, ['category']],
      [people.resident, { lat: 91, lng: 113.65, category: 'other', fault: 'broken' }, ['lat']],
      [null, { venueId: ids.gym, category: 'court_surface', fault: 'cracked' }, ['phone']],
      [null, { venueId: ids.gym, category: 'court_surface', fault: 'cracked', phone: '12345' }, ['phone']],
    ];
    for (const [who, body, fields] of cases) {
      const res = await report(who, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(fieldsOf(res), JSON.stringify(body)).toEqual(fields);
    }
    expect(await written()).toEqual(before);
  });

  it('sends a court report to the venue’s operator, due in 72 hours, and tells the reporter nothing staff-only', async () => {
    const ticket = await reported({ venueId: ids.gym, resourceId: ids.court, category: 'court_surface', fault: 'cracked', description: ' 三分线附近开裂 ' });
    expect(ticket).toMatchObject({ state: 'submitted', organisationId: orgs.venueCo.id, priority: 'normal', description: '三分线附近开裂', resourceName: '1号篮球场' });
    expect(ticket.code).toMatch(/^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{8}$/);
    expect(new Date(ticket.dueAt).getTime()).toBe(now.getTime() + 72 * 3_600_000);
    const seen = await t.http().get(`/api/v1/tickets/${ticket.id}`).set('authorization', people.resident.token);
    expect(seen.body).toMatchObject({ mine: true, roles: ['reporter'], moves: [], reporterPhone: null });
    expect(seen.body.timeline).toEqual([expect.objectContaining({ kind: 'report', toState: 'submitted', byStaff: false })]);
  });

  it('sends equipment on a public fitness path to the district bureau, and a bare map point to the bureau of the nearest district', async () => {
    const walker = await newAsset({ venueId: ids.path, type: 'walker' });
    expect((await reported({ assetCode: walker.toLowerCase(), category: 'walker', fault: 'pedal_loose' })).organisationId).toBe(orgs.jinshuiBureau.id);
    expect((await reported({ venueId: ids.path, category: 'other', fault: 'unsafe' })).organisationId).toBe(orgs.jinshuiBureau.id);
    // Near the Jinshui district seat: the Jinshui bureau.
    expect((await reported({ lat: 34.8015, lng: 113.655, category: 'other', fault: 'broken' })).organisationId).toBe(orgs.jinshuiBureau.id);
    // Near the Zhongyuan seat, a district without its own bureau here: the city bureau.
    expect((await reported({ lat: 34.7496, lng: 113.6075, category: 'other', fault: 'broken' })).organisationId).toBe(orgs.zzBureau.id);
    // Far from any city served.
    const nowhere = await report(people.resident, { lat: 0, lng: 0, category: 'other', fault: 'broken' });
    expect(nowhere.status).toBe(422);
    expect(nowhere.body.code).toBe('NO_TICKET_OWNER');
    expect(ZHONGYUAN).toBe('410102');
  });

  it('refuses a second report on equipment with an open ticket, naming that ticket, until it is resolved', async () => {
    const hoop = await newAsset();
    const first = await reported({ assetCode: hoop, category: 'basketball_hoop', fault: 'rim_loose' });
    const before = await written();
    const again = await report(people.neighbour, { assetCode: hoop, category: 'basketball_hoop', fault: 'net_torn' });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: 'ASSET_TICKET_OPEN', existingId: first.id });
    expect(await written()).toEqual(before);
    await moved(people.operator, first.id, { move: 'reject', reason: '不是我们的设施' });
    expect((await reported({ assetCode: hoop, category: 'basketball_hoop', fault: 'net_torn' }, people.neighbour)).id).not.toBe(first.id);
  });

  it('of simultaneous first reports on one piece of equipment, exactly one opens a ticket', async () => {
    const hoop = await newAsset();
    const results = await Promise.all(
      Array.from({ length: 10 }, () => report(people.neighbour, { assetCode: hoop, category: 'basketball_hoop', fault: 'rim_loose' })),
    );
    const created = results.filter((res) => res.status === 201);
    expect(created).toHaveLength(1);
    for (const res of results.filter((r) => r.status !== 201)) expect(res.body).toMatchObject({ code: 'ASSET_TICKET_OPEN', existingId: created[0]!.body.id });
  });

  it('takes anonymous reports with a phone number, shows the number masked to staff only, and throttles them', async () => {
    const phone = '13912345678';
    const first = await reported({ venueId: ids.gym, category: 'lighting', fault: 'light_out', phone }, null as unknown as Person);
    const staffView = await t.http().get(`/api/v1/tickets/${first.id}`).set('authorization', people.operator.token);
    expect(staffView.body.reporterPhone).toBe('139****5678');
    const publicView = await t.http().get(`/api/v1/tickets/${first.id}`);
    expect(publicView.status).toBe(200);
    expect(publicView.body.reporterPhone).toBeNull();
    expect(JSON.stringify(publicView.body)).not.toContain(phone);
    expect(JSON.stringify(staffView.body)).not.toContain(phone);
    await reported({ venueId: ids.gym, category: 'lighting', fault: 'flickering', phone }, null as unknown as Person);
    await reported({ venueId: ids.gym, category: 'lighting', fault: 'too_dim', phone }, null as unknown as Person);
    const before = await written();
    const fourth = await report(null, { venueId: ids.gym, category: 'lighting', fault: 'exposed_wiring', phone });
    expect(fourth.status).toBe(429);
    expect(fourth.body.code).toBe('REPORTS_THROTTLED');
    expect(Number(fourth.headers['retry-after'])).toBeGreaterThan(0);
    expect(await written()).toEqual(before);
    // A signed-in resident is not throttled by that.
    await atGym();
  });
});

describe('photos', () => {
  it('the reporter adds up to four report photos, re-encoded; staff add after-photos; others may not', async () => {
    const ticket = await atGym();
    for (let i = 0; i < 4; i++) {
      const res = await upload(people.resident, ticket.id, 'report');
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      expect(res.body).toMatchObject({ kind: 'report', width: 64, height: 48 });
      expect(res.body.url).toMatch(/^\/media\/tickets\/.+\.webp$/);
    }
    const fifth = await upload(people.resident, ticket.id, 'report');
    expect(fifth.status).toBe(422);
    expect(fifth.body.code).toBe('TOO_MANY_TICKET_PHOTOS');
    expect((await upload(people.neighbour, ticket.id, 'report')).status).toBe(403);
    expect((await upload(people.resident, ticket.id, 'after')).status).toBe(403);
    expect((await upload(people.otherOperator, ticket.id, 'after')).status).toBe(403);
    expect((await upload(people.operator, ticket.id, 'after')).status).toBe(201);
    const before = await written();
    const notImage = await t
      .http()
      .post(`/api/v1/tickets/${ticket.id}/photos?kind=after`)
      .set('authorization', people.operator.token)
      .attach('file', Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"></svg>'), { filename: 'x.png', contentType: 'image/png' });
    expect(notImage.status).toBe(400);
    expect(notImage.body.code).toBe('UNSUPPORTED_IMAGE');
    const badKind = await t.http().post(`/api/v1/tickets/${ticket.id}/photos?kind=before`).set('authorization', people.operator.token).attach('file', png, 'p.png');
    expect(badKind.status).toBe(400);
    expect(fieldsOf(badKind)).toEqual(['kind']);
    expect(await written()).toEqual(before);
  });
});

describe('duplicates', () => {
  it('suggests open tickets on the same asset, or within 50 m in the same category', async () => {
    const hoop = await newAsset({ lat: 34.7001, lng: 113.7001 });
    const onHoop = await reported({ assetCode: hoop, category: 'basketball_hoop', fault: 'rim_loose' });
    const byCode = await t.http().get(`/api/v1/tickets/suggestions?assetCode=${hoop}`);
    expect(byCode.status).toBe(200);
    expect(byCode.body.map((s: { id: string }) => s.id)).toEqual([onHoop.id]);
    // ~33 m north of the hoop.
    const near = await t.http().get('/api/v1/tickets/suggestions?lat=34.7004&lng=113.7001&category=basketball_hoop');
    expect(near.body.map((s: { id: string }) => s.id)).toEqual([onHoop.id]);
    expect(near.body[0].distanceMeters).toBeGreaterThan(30);
    expect(near.body[0].distanceMeters).toBeLessThan(36);
    // ~78 m away, and a different category right there.
    expect((await t.http().get('/api/v1/tickets/suggestions?lat=34.7008&lng=113.7001&category=basketball_hoop')).body).toEqual([]);
    expect((await t.http().get('/api/v1/tickets/suggestions?lat=34.7001&lng=113.7001&category=lighting')).body).toEqual([]);
    // A resolved ticket is no longer suggested.
    await moved(people.operator, onHoop.id, { move: 'reject', reason: '重复' });
    expect((await t.http().get(`/api/v1/tickets/suggestions?assetCode=${hoop}`)).body).toEqual([]);
  });

  it('refuses suggestion queries that say neither where nor what', async () => {
    for (const [query, fields] of [
      ['', ['assetCode']],
      ['assetCode=ABCDEFGH&lat=34.7&lng=113.7&category=other', ['assetCode']],
      ['lat=34.7&lng=113.7', ['category']],
      ['lat=34.7&category=other', ['lng']],
      ['lat=north&lng=113.7&category=other', ['lat']],
      ['lat=34.7&lng=113.7&category=other&radius=5', ['radius']],
    ] as const) {
      const res = await t.http().get(`/api/v1/tickets/suggestions?${query}`);
      expect(res.status, query).toBe(400);
      expect(fieldsOf(res), query).toEqual([...fields].sort());
    }
  });

  it('+1 and follow are idempotent, and the resident finds the ticket among theirs', async () => {
    const ticket = await atGym(people.resident);
    for (let i = 0; i < 2; i++) {
      const res = await t.http().post(`/api/v1/tickets/${ticket.id}/me-too`).set('authorization', people.neighbour.token);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ following: true, meToo: true, meTooCount: 1 });
    }
    const follow = await t.http().post(`/api/v1/tickets/${ticket.id}/follow`).set('authorization', people.neighbour.token);
    expect(follow.body).toEqual({ following: true, meToo: true, meTooCount: 1 });
    await t.http().post(`/api/v1/tickets/${ticket.id}/follow`).set('authorization', people.stranger.token).expect(200);
    const mine = await t.http().get('/api/v1/me/tickets?pageSize=100').set('authorization', people.neighbour.token);
    expect(mine.status).toBe(200);
    expect(mine.body.items.map((i: { id: string }) => i.id)).toContain(ticket.id);
    const strangers = await t.http().get('/api/v1/me/tickets').set('authorization', people.stranger.token);
    expect(strangers.body.items.map((i: { id: string }) => i.id)).toEqual([ticket.id]);
    expect((await t.http().get('/api/v1/me/tickets')).status).toBe(401);
    expect((await t.http().post(`/api/v1/tickets/${ticket.id}/follow`)).status).toBe(401);
  });

  it('refuses the reporter’s own “me too” and writes nothing; the ticket and its label say who reported it', async () => {
    const hoop = await newAsset();
    const ticket = await reported({ assetCode: hoop, category: 'basketball_hoop', fault: 'rim_loose' }, people.resident);
    const own = await t.http().post(`/api/v1/tickets/${ticket.id}/me-too`).set('authorization', people.resident.token);
    expect(own.status).toBe(409);
    expect(own.body).toMatchObject({ code: 'OWN_TICKET_ME_TOO', detail: expect.stringContaining('您自己提交的报修') });
    const [followers] = await t.database.db.select({ n: count() }).from(schema.ticketFollowers).where(eq(schema.ticketFollowers.ticketId, ticket.id));
    expect(followers!.n).toBe(0);
    const seenBy = async (who: Person | null) => {
      const detail = t.http().get(`/api/v1/tickets/${ticket.id}`);
      const label = t.http().get(`/api/v1/assets/by-code/${hoop}`);
      const [onTicket, onLabel] = await Promise.all(who ? [detail.set('authorization', who.token), label.set('authorization', who.token)] : [detail, label]);
      expect(onTicket.status).toBe(200);
      expect(onLabel.status).toBe(200);
      return { mine: onTicket.body.mine, reportedByMe: onLabel.body.openTicket.reportedByMe, count: onTicket.body.meTooCount };
    };
    expect(await seenBy(people.resident)).toEqual({ mine: true, reportedByMe: true, count: 0 });
    expect(await seenBy(people.neighbour)).toEqual({ mine: false, reportedByMe: false, count: 0 });
    expect(await seenBy(null)).toEqual({ mine: false, reportedByMe: false, count: 0 });
    // Another resident's +1 still counts, and the reporter sees it.
    await t.http().post(`/api/v1/tickets/${ticket.id}/me-too`).set('authorization', people.neighbour.token).expect(200);
    expect(await seenBy(people.resident)).toEqual({ mine: true, reportedByMe: true, count: 1 });
  });

  it('tells each resident whether they said “me too”, on the ticket and on the scanned label; nobody without an account', async () => {
    const hoop = await newAsset();
    const ticket = await reported({ assetCode: hoop, category: 'basketball_hoop', fault: 'rim_loose' });
    const seenBy = async (who: Person | null) => {
      const detail = t.http().get(`/api/v1/tickets/${ticket.id}`);
      const label = t.http().get(`/api/v1/assets/by-code/${hoop.toLowerCase()}`);
      const [onTicket, onLabel] = await Promise.all(who ? [detail.set('authorization', who.token), label.set('authorization', who.token)] : [detail, label]);
      expect(onTicket.status).toBe(200);
      expect(onLabel.status).toBe(200);
      expect(onLabel.body.openTicket.id).toBe(ticket.id);
      return { ticket: onTicket.body.meTooByMe, label: onLabel.body.openTicket.meTooByMe, count: onLabel.body.openTicket.meTooCount };
    };
    expect(await seenBy(people.neighbour)).toEqual({ ticket: false, label: false, count: 0 });
    await t.http().post(`/api/v1/tickets/${ticket.id}/me-too`).set('authorization', people.neighbour.token).expect(200);
    expect(await seenBy(people.neighbour)).toEqual({ ticket: true, label: true, count: 1 });
    // Following alone is no “me too”.
    await t.http().post(`/api/v1/tickets/${ticket.id}/follow`).set('authorization', people.stranger.token).expect(200);
    expect(await seenBy(people.stranger)).toEqual({ ticket: false, label: false, count: 1 });
    expect(await seenBy(people.resident)).toEqual({ ticket: false, label: false, count: 1 });
    expect(await seenBy(null)).toEqual({ ticket: false, label: false, count: 1 });
    // A token that is not one is refused, not taken for nobody.
    const forged = await t.http().get(`/api/v1/assets/by-code/${hoop}`).set('authorization', 'Bearer not-a-token');
    expect(forged.status).toBe(401);
  });

  it('marking a duplicate carries its reporter, followers and photos over to the original', async () => {
    const original = await atGym(people.resident);
    const duplicate = await atGym(people.neighbour);
    await upload(people.neighbour, duplicate.id, 'report').expect(201);
    await t.http().post(`/api/v1/tickets/${duplicate.id}/follow`).set('authorization', people.stranger.token).expect(200);
    const bad = await move(people.operator, duplicate.id, { move: 'mark_duplicate', originalId: duplicate.id });
    expect(bad.status).toBe(400);
    expect(fieldsOf(bad)).toEqual(['originalId']);
    expect((await moved(people.operator, duplicate.id, { move: 'mark_duplicate', originalId: original.id })).state).toBe('duplicate');
    const merged = await t.http().get(`/api/v1/tickets/${original.id}`).set('authorization', people.neighbour.token);
    expect(merged.body).toMatchObject({ following: true, meTooCount: 1 });
    expect(merged.body.photos).toHaveLength(1);
    const strangerView = await t.http().get(`/api/v1/tickets/${original.id}`).set('authorization', people.stranger.token);
    expect(strangerView.body.following).toBe(true);
  });
});

describe('the workflow', () => {
  it('goes submitted → accepted → dispatched → in_progress → on_hold → in_progress → resolved → closed, then the reporter rates it', async () => {
    const ticket = await atGym(people.resident);
    await t.http().post(`/api/v1/tickets/${ticket.id}/follow`).set('authorization', people.neighbour.token).expect(200);
    const dispatcherView = await t.http().get(`/api/v1/tickets/${ticket.id}`).set('authorization', people.operator.token);
    expect(dispatcherView.body.moves).toEqual(['accept', 'reject', 'mark_duplicate', 'transfer']);
    const accepted = await moved(people.operator, ticket.id, { move: 'accept', priority: 'urgent' });
    expect(accepted).toMatchObject({ state: 'accepted', priority: 'urgent', dueAt: new Date(now.getTime() + 24 * 3_600_000).toISOString() });

    const notTechnician = await move(people.operator, ticket.id, { move: 'dispatch', assigneeId: people.schoolTechnician.id });
    expect(notTechnician.status).toBe(400);
    expect(fieldsOf(notTechnician)).toEqual(['assigneeId']);
    expect((await moved(people.operator, ticket.id, { move: 'dispatch', assigneeId: people.technician.id })).state).toBe('dispatched');

    const techView = await t.http().get(`/api/v1/tickets/${ticket.id}`).set('authorization', people.technician.token);
    expect(techView.body).toMatchObject({ roles: ['technician'], moves: ['start'] });
    await moved(people.technician, ticket.id, { move: 'start' });
    const noReason = await move(people.technician, ticket.id, { move: 'hold' });
    expect(noReason.status).toBe(400);
    expect(fieldsOf(noReason)).toEqual(['reason']);
    await moved(people.technician, ticket.id, { move: 'hold', reason: '等待配件' });
    await moved(people.technician, ticket.id, { move: 'resume' });

    const noPhoto = await move(people.technician, ticket.id, { move: 'resolve' });
    expect(noPhoto.status).toBe(400);
    expect(fieldsOf(noPhoto)).toEqual(['afterPhoto']);
    const jpeg = await sharp({ create: { width: 320, height: 200, channels: 3, background: '#3a6' } }).jpeg().toBuffer();
    const after = await t
      .http()
      .post(`/api/v1/tickets/${ticket.id}/photos?kind=after`)
      .set('authorization', people.technician.token)
      .attach('file', jpeg, { filename: 'after.jpg', contentType: 'image/jpeg' });
    expect(after.status).toBe(201);
    const resolved = await moved(people.technician, ticket.id, { move: 'resolve' });
    expect(resolved.state).toBe('resolved');

    const tooEarly = await t.http().post(`/api/v1/tickets/${ticket.id}/rating`).set('authorization', people.neighbour.token).send({ stars: 5 });
    expect(tooEarly.status).toBe(403);
    const residentView = await t.http().get(`/api/v1/tickets/${ticket.id}`).set('authorization', people.resident.token);
    expect(residentView.body.moves).toEqual(['close', 'reopen']);
    const closed = await moved(people.resident, ticket.id, { move: 'close' });
    expect(closed.state).toBe('closed');
    const rated = await t.http().post(`/api/v1/tickets/${ticket.id}/rating`).set('authorization', people.resident.token).send({ stars: 4 });
    expect(rated.status).toBe(200);
    expect(rated.body).toMatchObject({ rating: 4, state: 'closed' });
    expect(rated.body.resolvedAt).not.toBeNull();
    expect(rated.body.closedAt).not.toBeNull();
    const again = await t.http().post(`/api/v1/tickets/${ticket.id}/rating`).set('authorization', people.resident.token).send({ stars: 1 });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('ALREADY_RATED');

    expect(rated.body.timeline.map((e: { kind: string }) => e.kind)).toEqual(['report', 'accept', 'dispatch', 'start', 'hold', 'resume', 'resolve', 'close', 'rating']);
    expect(rated.body.photos.map((p: { kind: string }) => p.kind)).toEqual(['after']);

    // The reporter heard of every staff move, the follower of every move.
    const n = schema.notifications;
    const toReporter = await t.database.db.select({ data: n.data }).from(n).where(eq(n.userId, people.resident.id));
    const toFollower = await t.database.db.select({ data: n.data }).from(n).where(eq(n.userId, people.neighbour.id));
    const movesFor = (rows: { data: unknown }[]) => rows.map((r) => r.data as { ticketId: string; move: string }).filter((d) => d.ticketId === ticket.id).map((d) => d.move);
    expect(movesFor(toReporter)).toEqual(['accept', 'dispatch', 'start', 'hold', 'resume', 'resolve']);
    expect(movesFor(toFollower)).toEqual(['accept', 'dispatch', 'start', 'hold', 'resume', 'resolve', 'close']);

    // Staff moves are in the audit log; the reporter's are not.
    const audit = await t.database.db.select({ action: schema.auditLog.action }).from(schema.auditLog).where(eq(schema.auditLog.targetId, ticket.id));
    expect(audit.map((x) => x.action)).toEqual([
      'ticket.accept',
      'ticket.dispatch',
      'ticket.start',
      'ticket.hold',
      'ticket.resume',
      'ticket.photo.after',
      'ticket.resolve',
    ]);
  });

  it('refuses bad moves, notes and ratings field by field and writes nothing', async () => {
    const ticket = await atGym();
    const before = await written();
    for (const [body, fields] of [
      [{}, ['move']],
      [{ move: 'teleport' }, ['move']],
      [{ move: 'accept', colour: 'red' }, ['colour']],
      [{ move: 'accept', priority: 'whenever' }, ['priority']],
      [{ move: 'dispatch', assigneeId: 'nobody' }, ['assigneeId']],
      [{ move: 'reject' }, ['reason']],
      [{ move: 'reject', reason: ' ' }, ['reason']],
      [{ move: 'transfer', reason: '不归我们管' }, ['targetOrganisationId']],
      [{ move: 'mark_duplicate' }, ['originalId']],
      [{ move: 'mark_duplicate', originalId: '00000000-0000-4000-8000-000000000000' }, ['originalId']],
    ] as const) {
      const res = await move(people.operator, ticket.id, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(fieldsOf(res), JSON.stringify(body)).toEqual([...fields]);
    }
    for (const [body, fields] of [
      [{ internal: true }, ['text']],
      [{ text: '   ', internal: false }, ['text']],
      [{ text: 'ok' }, ['internal']],
      [{ text: 'x'.repeat(1001), internal: true }, ['text']],
    ] as const) {
      const res = await t.http().post(`/api/v1/tickets/${ticket.id}/notes`).set('authorization', people.operator.token).send(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(fieldsOf(res)).toEqual([...fields]);
    }
    for (const body of [{ stars: 0 }, { stars: 6 }, { stars: 3.5 }, { stars: 'five' }, {}]) {
      const res = await t.http().post(`/api/v1/tickets/${ticket.id}/rating`).set('authorization', people.resident.token).send(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(fieldsOf(res)).toEqual(['stars']);
    }
    const badId = await move(people.operator, 'not-a-uuid', { move: 'accept' });
    expect(fieldsOf(badId)).toEqual(['id']);
    expect(await written()).toEqual(before);
    expect(await stateOf(ticket.id)).toBe('submitted');
  });

  it('a move that the state does not allow is 409 ILLEGAL_TRANSITION; one the caller may not make is 403', async () => {
    const ticket = await atGym();
    const early = await move(people.operator, ticket.id, { move: 'start' });
    expect(early.status).toBe(409);
    expect(early.body.code).toBe('ILLEGAL_TRANSITION');
    expect((await move(people.resident, ticket.id, { move: 'accept' })).status).toBe(403);
    expect((await move(people.stranger, ticket.id, { move: 'accept' })).status).toBe(403);
    expect((await move(people.otherOperator, ticket.id, { move: 'accept' })).status).toBe(403);
    expect((await move(people.schoolAdmin, ticket.id, { move: 'accept' })).status).toBe(403);
    expect((await t.http().post(`/api/v1/tickets/${ticket.id}/notes`).set('authorization', people.otherOperator.token).send({ text: '看看', internal: true })).status).toBe(403);
    expect((await t.http().post(`/api/v1/tickets/${ticket.id}/notes`).set('authorization', people.resident.token).send({ text: '看看', internal: false })).status).toBe(403);
    expect((await t.http().post(`/api/v1/tickets/${ticket.id}/moves`).send({ move: 'accept' })).status).toBe(401);
    expect(await stateOf(ticket.id)).toBe('submitted');
    // The city bureau reaches every organisation of its city and may step in.
    expect((await moved(people.cityBureau, ticket.id, { move: 'accept' })).state).toBe('accepted');
  });

  it('a transfer hands the ticket to another organisation, whose staff then dispatch it', async () => {
    const ticket = await atGym();
    await moved(people.operator, ticket.id, { move: 'transfer', reason: '场地属学校', targetOrganisationId: orgs.schoolX.id });
    const afterTransfer = await t.http().get(`/api/v1/tickets/${ticket.id}`).set('authorization', people.schoolAdmin.token);
    expect(afterTransfer.body).toMatchObject({ state: 'transferred', organisationId: orgs.schoolX.id, roles: ['dispatcher'] });
    expect((await move(people.operator, ticket.id, { move: 'accept' })).status).toBe(403);
    await moved(people.schoolAdmin, ticket.id, { move: 'accept' });
    expect((await moved(people.schoolAdmin, ticket.id, { move: 'dispatch', assigneeId: people.schoolTechnician.id })).state).toBe('dispatched');
  });

  it('the reporter and the public do not see internal notes; staff do', async () => {
    const ticket = await atGym();
    await t.http().post(`/api/v1/tickets/${ticket.id}/notes`).set('authorization', people.operator.token).send({ text: '供应商报价 3000 元', internal: true }).expect(201);
    await t.http().post(`/api/v1/tickets/${ticket.id}/notes`).set('authorization', people.operator.token).send({ text: '已安排周三维修', internal: false }).expect(201);
    const notes = (body: { timeline: { kind: string; note: string }[] }) => body.timeline.filter((e) => e.kind === 'note').map((e) => e.note);
    const staffView = await t.http().get(`/api/v1/tickets/${ticket.id}`).set('authorization', people.operator.token);
    expect(notes(staffView.body)).toEqual(['供应商报价 3000 元', '已安排周三维修']);
    const reporterView = await t.http().get(`/api/v1/tickets/${ticket.id}`).set('authorization', people.resident.token);
    expect(notes(reporterView.body)).toEqual(['已安排周三维修']);
    const publicView = await t.http().get(`/api/v1/tickets/${ticket.id}`);
    expect(notes(publicView.body)).toEqual(['已安排周三维修']);
    expect(JSON.stringify(reporterView.body) + JSON.stringify(publicView.body)).not.toContain('3000');
  });

  it('a transfer’s reason is between staff: the reporter, followers and the public see the move, not the reason; a hold’s reason they see', async () => {
    const ticket = await atGym(people.neighbour);
    await t.http().post(`/api/v1/tickets/${ticket.id}/follow`).set('authorization', people.stranger.token).expect(200);
    await moved(people.operator, ticket.id, { move: 'transfer', reason: '内部：该场地合同归甲中学，别再派给我们', targetOrganisationId: orgs.schoolX.id });
    await moved(people.schoolAdmin, ticket.id, { move: 'accept' });
    await moved(people.schoolAdmin, ticket.id, { move: 'dispatch', assigneeId: people.schoolTechnician.id });
    await moved(people.schoolTechnician, ticket.id, { move: 'start' });
    await moved(people.schoolTechnician, ticket.id, { move: 'hold', reason: '等待配件到货' });
    const noteOf = (body: { timeline: { kind: string; note: string }[] }, kind: string) => body.timeline.find((e) => e.kind === kind)?.note;
    const staffView = await t.http().get(`/api/v1/tickets/${ticket.id}`).set('authorization', people.schoolAdmin.token);
    expect(noteOf(staffView.body, 'transfer')).toBe('内部：该场地合同归甲中学，别再派给我们');
    for (const who of [people.neighbour, people.stranger, null]) {
      const req = t.http().get(`/api/v1/tickets/${ticket.id}`);
      const view = await (who ? req.set('authorization', who.token) : req);
      expect(noteOf(view.body, 'transfer')).toBe('');
      expect(noteOf(view.body, 'hold')).toBe('等待配件到货');
      expect(JSON.stringify(view.body)).not.toContain('别再派给我们');
    }
    const told = await renderedNotifications(t.database.db);
    const aboutIt = told.filter((n) => (n.data as { ticketId?: string }).ticketId === ticket.id);
    expect(aboutIt.map((n) => n.body).join(' ')).toContain('等待配件到货');
    expect(aboutIt.map((n) => n.body).join(' ')).not.toContain('别再派给我们');
  });

  it('of 20 simultaneous accepts of one ticket, exactly one succeeds', async () => {
    const ticket = await atGym();
    const results = await Promise.all(Array.from({ length: 20 }, () => move(people.operator, ticket.id, { move: 'accept' })));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(19);
    for (const r of results.filter((x) => x.status === 409)) expect(r.body.code).toBe('ILLEGAL_TRANSITION');
    const events = await t.database.db.select({ kind: schema.ticketEvents.kind }).from(schema.ticketEvents).where(eq(schema.ticketEvents.ticketId, ticket.id));
    expect(events.map((e) => e.kind)).toEqual(['report', 'accept']);
  });

  it('random moves by random callers only ever follow the workflow table', async () => {
    const original = await atGym();
    const callers = ['operator', 'technician', 'resident', 'cityBureau', 'otherOperator', 'stranger'] as const;
    const outsiders = new Set<string>(['otherOperator', 'stranger']);
    const reached = new Set<TicketState>();
    let landed = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.boolean(),
        fc.array(
          fc.record({
            // Mostly the people who work the ticket, so runs get far along; outsiders now and then.
            caller: fc.oneof(
              { arbitrary: fc.constantFrom('operator', 'technician'), weight: 4 },
              { arbitrary: fc.constantFrom(...callers), weight: 2 },
            ),
            move: fc.constantFrom(...TICKET_MOVES),
          }),
          { minLength: 3, maxLength: 16 },
        ),
        async (withAfterPhoto, steps) => {
          const ticket = await atGym();
          if (withAfterPhoto) {
            await t.database.db.insert(schema.ticketPhotos).values({ ticketId: ticket.id, kind: 'after', key: 'k.webp', thumbKey: 'k-thumb.webp', width: 1, height: 1, bytes: 1 });
          }
          for (const { caller, move: name } of steps) {
            const before = await stateOf(ticket.id);
            const res = await move(people[caller], ticket.id, {
              move: name,
              reason: '随机原因',
              assigneeId: people.technician.id,
              originalId: original.id,
              targetOrganisationId: orgs.schoolX.id,
            });
            const after = await stateOf(ticket.id);
            if (res.status === 200) {
              expect(TICKET_WORKFLOW[name as TicketMove].from).toContain(before);
              expect(after).toBe(TICKET_WORKFLOW[name as TicketMove].to);
              expect(outsiders.has(caller)).toBe(false);
              landed += 1;
              reached.add(after);
            } else {
              // 422: a transfer to the organisation that already owns the ticket is not among its targets.
              expect([400, 403, 409, 422]).toContain(res.status);
              expect(after).toBe(before);
            }
          }
        },
      ),
      { numRuns: 25 },
    );
    // The runs did move tickets about, not only bounce off.
    expect(landed).toBeGreaterThan(0);
    expect(reached.size).toBeGreaterThanOrEqual(3);
  }, 60_000);
});

describe('queues', () => {
  it('staff see the tickets of the organisations they reach, overdue first, filtered and paginated', async () => {
    const fresh = await atGym();
    const old = await atGym();
    // Reported four days ago: past its 72 hours.
    await t.database.db.update(schema.tickets).set({ dueAt: new Date(now.getTime() - 24 * 3_600_000) }).where(eq(schema.tickets.id, old.id));
    const queue = await t.http().get('/api/v1/tickets?pageSize=100').set('authorization', people.operator.token);
    expect(queue.status).toBe(200);
    const listed = queue.body.items as { id: string; overdue: boolean; organisationId: string; dueAt: string }[];
    expect(listed[0]).toMatchObject({ id: old.id, overdue: true });
    expect(listed.map((i) => i.id)).toContain(fresh.id);
    expect(new Set(listed.map((i) => i.organisationId))).toEqual(new Set([orgs.venueCo.id]));
    const overdue = await t.http().get('/api/v1/tickets?overdue=true').set('authorization', people.operator.token);
    expect(overdue.body.items.map((i: { id: string }) => i.id)).toEqual([old.id]);
    const paged = await t.http().get('/api/v1/tickets?pageSize=1&page=2&state=submitted').set('authorization', people.operator.token);
    expect(paged.body).toMatchObject({ page: 2, pageSize: 1 });
    expect(paged.body.items).toHaveLength(1);
    expect(paged.body.total).toBeGreaterThan(1);
    const others = await t.http().get('/api/v1/tickets?pageSize=100').set('authorization', people.otherOperator.token);
    expect(others.body.items.map((i: { id: string }) => i.id)).not.toContain(fresh.id);
    const city = await t.http().get(`/api/v1/tickets?pageSize=100&venueId=${ids.gym}`).set('authorization', people.cityBureau.token);
    expect(city.body.items.map((i: { id: string }) => i.id)).toContain(fresh.id);
    const assigned = await t.http().get('/api/v1/tickets?assignee=me').set('authorization', people.technician.token);
    expect(assigned.body.items.every((i: { assigneeId: string }) => i.assigneeId === people.technician.id)).toBe(true);
    expect((await t.http().get('/api/v1/tickets').set('authorization', people.resident.token)).status).toBe(403);
    for (const [query, field] of [
      ['state=lost', 'state'],
      ['pageSize=1000', 'pageSize'],
      ['assignee=you', 'assignee'],
      ['overdue=maybe', 'overdue'],
      ['venueId=abc', 'venueId'],
    ] as const) {
      const res = await t.http().get(`/api/v1/tickets?${query}`).set('authorization', people.operator.token);
      expect(res.status, query).toBe(400);
      expect(fieldsOf(res)).toEqual([field]);
    }
  });

  it('staff find a ticket by its code, typed in lower case or by its first characters, only among the tickets they reach', async () => {
    const ticket = await atGym();
    const queue = (who: Person, code: string) => t.http().get(`/api/v1/tickets?pageSize=100&code=${encodeURIComponent(code)}`).set('authorization', who.token);
    const found = (res: { body: { items: { id: string }[] } }) => res.body.items.map((i) => i.id);
    const exact = await queue(people.operator, ticket.code);
    expect(exact.status).toBe(200);
    expect(exact.body).toMatchObject({ total: 1, items: [{ id: ticket.id, code: ticket.code }] });
    expect(found(await queue(people.operator, ` ${ticket.code.toLowerCase()} `))).toEqual([ticket.id]);
    const prefix = await queue(people.operator, ticket.code.slice(0, 3).toLowerCase());
    expect(found(prefix)).toContain(ticket.id);
    expect(prefix.body.items.every((i: { code: string }) => i.code.startsWith(ticket.code.slice(0, 3)))).toBe(true);
    // Another organisation's staff do not find it, not even by its whole code; a bureau over it does.
    expect((await queue(people.otherOperator, ticket.code)).body).toMatchObject({ total: 0, items: [] });
    expect((await queue(people.schoolAdmin, ticket.code)).body.total).toBe(0);
    expect(found(await queue(people.cityBureau, ticket.code))).toEqual([ticket.id]);
    // With the other filters: the code and the state must both hold.
    expect((await t.http().get(`/api/v1/tickets?code=${ticket.code}&state=closed`).set('authorization', people.operator.token)).body.total).toBe(0);
    const before = await written();
    for (const code of ['3F', `${ticket.code}2`, 'OIL', '3FQ-428', '%%%', 'a_b']) {
      const res = await queue(people.operator, code);
      expect(res.status, code).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(fieldsOf(res), code).toEqual(['code']);
    }
    expect(await written()).toEqual(before);
  });
});

describe('the ticket sweep', () => {
  const DAY = 86_400_000;
  const set = (id: string, values: Partial<typeof schema.tickets.$inferInsert>) => t.database.db.update(schema.tickets).set(values).where(eq(schema.tickets.id, id));

  it('closes tickets resolved 7 days ago and tells the reporter; younger ones stay resolved', async () => {
    const old = await atGym(people.neighbour);
    const young = await atGym(people.neighbour);
    await set(old.id, { state: 'resolved', resolvedAt: new Date(now.getTime() - 7 * DAY - 1000) });
    await set(young.id, { state: 'resolved', resolvedAt: new Date(now.getTime() - 6 * DAY) });
    // Two instances sweeping at once close it once.
    const reports = await Promise.all([runTicketSweep(t.database.db, now), runTicketSweep(t.database.db, now)]);
    expect(reports.reduce((sum, r) => sum + (r?.closed ?? 0), 0)).toBe(1);
    expect(await stateOf(old.id)).toBe('closed');
    expect(await stateOf(young.id)).toBe('resolved');
    const detail = await t.http().get(`/api/v1/tickets/${old.id}`).set('authorization', people.neighbour.token);
    expect(detail.body.timeline.at(-1)).toMatchObject({ kind: 'close', fromState: 'resolved', toState: 'closed', byStaff: false });
    expect(detail.body.moves).toEqual([]);
    const told = await t.database.db.select({ data: schema.notifications.data }).from(schema.notifications).where(eq(schema.notifications.userId, people.neighbour.id));
    expect(told.filter((n) => (n.data as { ticketId?: string }).ticketId === old.id)).toHaveLength(1);
  });

  it('escalates an overdue open ticket once, to the bureau over its owner, noted for staff only', async () => {
    const late = await atGym();
    const onTime = await atGym();
    await set(late.id, { dueAt: new Date(now.getTime() - 1000) });
    const first = await runTicketSweep(t.database.db, now);
    expect(first?.escalated).toBeGreaterThanOrEqual(1);
    expect((await runTicketSweep(t.database.db, now))?.escalated).toBe(0);
    const [row] = await t.database.db.select({ escalatedAt: schema.tickets.escalatedAt }).from(schema.tickets).where(eq(schema.tickets.id, late.id));
    expect(row!.escalatedAt).toEqual(now);
    const [other] = await t.database.db.select({ escalatedAt: schema.tickets.escalatedAt }).from(schema.tickets).where(eq(schema.tickets.id, onTime.id));
    expect(other!.escalatedAt).toBeNull();
    // The gym's operator works city-wide, so the city bureau hears of it.
    const told = await t.database.db.select({ data: schema.notifications.data }).from(schema.notifications).where(eq(schema.notifications.userId, people.cityBureau.id));
    expect(told.filter((n) => (n.data as { ticketId?: string }).ticketId === late.id)).toHaveLength(1);
    const staffView = await t.http().get(`/api/v1/tickets/${late.id}`).set('authorization', people.operator.token);
    expect(staffView.body.timeline.map((e: { kind: string }) => e.kind)).toContain('escalate');
    expect(staffView.body.escalatedAt).toBe(now.toISOString());
    const reporterView = await t.http().get(`/api/v1/tickets/${late.id}`).set('authorization', people.resident.token);
    expect(reporterView.body.timeline.map((e: { kind: string }) => e.kind)).not.toContain('escalate');
  });
});

describe('objects of other organisations named in a move', () => {
  /** Every row of the tables a move may write, as text: equal before and after means nothing was written. */
  async function snapshot(): Promise<string> {
    const tables = ['tickets', 'ticket_events', 'ticket_photos', 'ticket_followers', 'notifications', 'audit_log'];
    const parts: string[] = [];
    for (const table of tables) {
      const result = await t.database.db.execute(sql.raw(`select md5(coalesce(string_agg(x::text, ',' order by x::text), '')) as h, count(*)::int as n from ${table} x`));
      const row = (result as unknown as { rows: { h: string; n: number }[] }).rows[0]!;
      parts.push(`${table}:${row.n}:${row.h}`);
    }
    return parts.join(' ');
  }

  /** An open ticket of Ordos (a map point there goes to its bureau), with a follower and a report photo. */
  async function ordosTicket() {
    const ordos = await reported({ lat: 39.6065, lng: 109.7844, category: 'court_surface', fault: 'cracked' }, people.neighbour);
    expect(ordos.organisationId).toBe(orgs.ordosBureau.id);
    return ordos;
  }

  let otherGym: string;
  beforeAll(async () => {
    const [venue] = await t.database.db
      .insert(schema.venues)
      .values({ cityCode: ZHENGZHOU, districtCode: ZHONGYUAN, lat: 34.75, lng: 113.6, priceLevel: 'free', name: '中原体育馆', kind: 'gym', organisationId: ids.otherOperator })
      .returning({ id: schema.venues.id });
    otherGym = venue!.id;
  });

  it('an operator cannot mark its ticket a duplicate of another city’s or another organisation’s ticket, and nothing is written', async () => {
    const mine = await atGym(people.resident);
    await upload(people.resident, mine.id, 'report').expect(201);
    const ordos = await ordosTicket();
    const neighbours = await reported({ venueId: otherGym, category: 'court_surface', fault: 'cracked' }, people.stranger);
    for (const original of [ordos, neighbours]) {
      const before = await snapshot();
      const res = await move(people.operator, mine.id, { move: 'mark_duplicate', originalId: original.id });
      expect(res.status, JSON.stringify(res.body)).toBe(403);
      expect(res.body.code).toBe('FORBIDDEN');
      expect(await snapshot()).toBe(before);
    }
    // A district bureau cannot reach into another district's tickets through one of its own either.
    const pathTicket = await reported({ venueId: ids.path, category: 'court_surface', fault: 'cracked' });
    const refused = await move(people.jinshuiBureau, pathTicket.id, { move: 'mark_duplicate', originalId: neighbours.id });
    expect(refused.status).toBe(403);
    expect(await stateOf(pathTicket.id)).toBe('submitted');
    expect(await stateOf(mine.id)).toBe('submitted');
    const ordosView = await t.http().get(`/api/v1/tickets/${ordos.id}`).set('authorization', people.resident.token);
    expect(ordosView.body).toMatchObject({ following: false, meTooCount: 0, photos: [] });
    // The city bureau reaches both Zhengzhou organisations, so it may merge across them.
    expect((await moved(people.cityBureau, mine.id, { move: 'mark_duplicate', originalId: neighbours.id })).state).toBe('duplicate');
  });

  it('a duplicate’s original must be open and, when both name equipment, the same equipment', async () => {
    const mine = await atGym();
    const closed = await atGym();
    await t.database.db.update(schema.tickets).set({ state: 'closed', closedAt: now }).where(eq(schema.tickets.id, closed.id));
    const hoopA = await reported({ assetCode: await newAsset(), category: 'basketball_hoop', fault: 'rim_loose' });
    const hoopB = await reported({ assetCode: await newAsset(), category: 'basketball_hoop', fault: 'rim_loose' });
    for (const [id, originalId] of [
      [mine.id, closed.id],
      [hoopA.id, hoopB.id],
    ] as const) {
      const before = await snapshot();
      const res = await move(people.operator, id, { move: 'mark_duplicate', originalId });
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      expect(fieldsOf(res)).toEqual(['originalId']);
      expect(await snapshot()).toBe(before);
    }
    // A report on the venue may be the duplicate of one on a piece of its equipment.
    expect((await moved(people.operator, mine.id, { move: 'mark_duplicate', originalId: hoopA.id })).state).toBe('duplicate');
  });

  it('a transfer goes only to an organisation that transfer-targets offers for the ticket', async () => {
    const ticket = await atGym();
    const offered = await t.http().get(`/api/v1/tickets/${ticket.id}/transfer-targets`).set('authorization', people.operator.token);
    expect(offered.status).toBe(200);
    const offeredIds = (offered.body as { id: string }[]).map((o) => o.id);
    expect(offeredIds).not.toContain(orgs.ordosBureau.id);
    expect(offeredIds).not.toContain(orgs.venueCo.id);
    for (const targetOrganisationId of [orgs.ordosBureau.id, orgs.venueCo.id, '00000000-0000-4000-8000-000000000000']) {
      const before = await snapshot();
      const res = await move(people.operator, ticket.id, { move: 'transfer', reason: '不归我们管', targetOrganisationId });
      expect(res.status, JSON.stringify(res.body)).toBe(422);
      expect(res.body.code).toBe('TRANSFER_TARGET_NOT_OFFERED');
      expect(fieldsOf(res)).toEqual(['targetOrganisationId']);
      expect(await snapshot()).toBe(before);
    }
    expect(offeredIds).toContain(orgs.schoolY.id);
    await moved(people.operator, ticket.id, { move: 'transfer', reason: '场地属学校', targetOrganisationId: orgs.schoolY.id });
    // From its new owner's point of view the offer is different, and the rule follows it.
    const again = await t.http().get(`/api/v1/tickets/${ticket.id}/transfer-targets`).set('authorization', people.cityBureau.token);
    expect((again.body as { id: string }[]).map((o) => o.id)).toContain(orgs.venueCo.id);
  });
});
