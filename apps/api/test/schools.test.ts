import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { and, count, eq, sql } from 'drizzle-orm';
import { schema } from '@sports/db';
import { idNumberCheckChar } from '@sports/domain';
import { runBookingSweep } from '../src/services/booking/booking-sweeps.ts';
import { extendSchoolSessions } from '../src/services/schools/school-plans.ts';
import { createTestApp, type TestApp } from './support/app.ts';
import { JINSHUI, ZHENGZHOU, ZHONGYUAN, insertCityFixture, insertUser } from './support/fixtures.ts';

/** Tuesday 2026-11-24 10:00 in Zhengzhou; tests that move the clock get it back after. */
const TUESDAY_10AM = new Date('2026-11-24T10:00:00+08:00');
let now = TUESDAY_10AM;
afterEach(() => {
  now = TUESDAY_10AM;
});

/** Everything the server logs (at info level: every request and response), to prove no full ID number is written there. */
const logLines: string[] = [];
const logSink = { write: (line: string) => void logLines.push(line) };

let t: TestApp;
let orgs: Awaited<ReturnType<typeof insertCityFixture>>;
const ids = {} as Record<'venue' | 'field' | 'hall' | 'otherVenue' | 'otherField', string>;
type Person = { id: string; phone: string; token: string };
const staff = {} as Record<'schoolAdmin' | 'otherSchoolAdmin' | 'cityBureau' | 'jinshuiBureau', Person>;
/** Every full ID number used here, to scan responses and logs for. */
const issuedIds: string[] = [];
let sequence = 0;

/** A valid GB 11643 number for a given address code and birth date, distinct on each call. */
function idNumber(birth = '19900101', address = JINSHUI): string {
  sequence += 1;
  const first17 = `${address}${birth}${String(sequence).padStart(3, '0')}`;
  const full = first17 + idNumberCheckChar(first17);
  issuedIds.push(full);
  return full;
}

const at = (local: string) => new Date(`${local}+08:00`).toISOString();
let keyCounter = 0;
const key = () => `school-key-${++keyCounter}`;
const week = (ranges: { start: string; end: string }[]) => Object.fromEntries([1, 2, 3, 4, 5, 6, 7].map((d) => [d, ranges]));

async function person(roles: { role: 'school_admin' | 'bureau_admin'; organisationId: string }[] = []): Promise<Person> {
  const user = await insertUser(t.database.db, roles);
  return { ...user, token: `Bearer ${t.app.jwt.sign({ sub: user.id })}` };
}

async function verified(district = JINSHUI, birth = '19900101'): Promise<Person> {
  const resident = await person();
  const res = await t
    .http()
    .put('/api/v1/me/identity')
    .set('authorization', resident.token)
    .send({ name: '张三丰', idNumber: idNumber(birth), districtCode: district, consentVersion: '2026-11' });
  expect(res.status).toBe(200);
  return resident;
}

async function acceptPledge(who: Person, organisationId = orgs.schoolX.id) {
  const pledge = await t.http().get(`/api/v1/schools/${organisationId}/pledge`).set('authorization', who.token);
  await t.http().post(`/api/v1/schools/${organisationId}/pledge/acceptances`).set('authorization', who.token).send({ version: pledge.body.version }).expect(204);
}

function planBody(overrides: Record<string, unknown> = {}) {
  return {
    venueId: ids.venue,
    resourceId: ids.field,
    title: '操场课余开放',
    startsOn: '2026-11-01',
    endsOn: '2027-01-20',
    weekly: {
      1: [{ start: '18:00', end: '20:30' }],
      2: [{ start: '18:00', end: '20:30' }],
      3: [{ start: '18:00', end: '20:30' }],
      4: [{ start: '18:00', end: '20:30' }],
      5: [{ start: '18:00', end: '20:30' }],
      6: [{ start: '08:00', end: '11:00' }, { start: '15:00', end: '18:00' }],
      7: [{ start: '08:00', end: '11:00' }, { start: '15:00', end: '18:00' }],
    },
    closedDates: ['2026-11-28'],
    openOnHolidays: false,
    capacity: 50,
    eligibility: 'city',
    allowMinors: true,
    ...overrides,
  };
}

async function publishedPlan(overrides: Record<string, unknown> = {}, who = staff.schoolAdmin) {
  const created = await t.http().post('/api/v1/school-plans').set('authorization', who.token).send(planBody(overrides));
  expect(created.status).toBe(201);
  const published = await t.http().post(`/api/v1/school-plans/${created.body.id}/publish`).set('authorization', who.token);
  expect(published.status).toBe(200);
  return published.body as { id: string };
}

async function sessionOf(planId: string, startLocal: string): Promise<string> {
  const [row] = await t.database.db
    .select({ id: schema.schoolSessions.id })
    .from(schema.schoolSessions)
    .where(and(eq(schema.schoolSessions.planId, planId), eq(schema.schoolSessions.startsAt, new Date(at(startLocal)))));
  if (!row) throw new Error(`no session of ${planId} at ${startLocal}`);
  return row.id;
}

function registerFor(who: Person, sessionId: string, body: Record<string, unknown> = { partySize: 1, minors: [] }, idempotencyKey = key()) {
  return t.http().post(`/api/v1/school-sessions/${sessionId}/registrations`).set('authorization', who.token).set('idempotency-key', idempotencyKey).send(body);
}

beforeAll(async () => {
  t = await createTestApp({ LOG_LEVEL: 'info' }, () => now, logSink);
  const db = t.database.db;
  orgs = await insertCityFixture(db);
  const school = { kind: 'school' as const, cityCode: ZHENGZHOU, lat: 34.78, lng: 113.66, priceLevel: 'free' as const, weeklyHours: week([{ start: '08:00', end: '21:00' }]) };
  const [venue] = await db.insert(schema.venues).values({ ...school, name: '金水区甲中学运动场', districtCode: JINSHUI, organisationId: orgs.schoolX.id }).returning();
  ids.venue = venue!.id;
  const resources = await db
    .insert(schema.venueResources)
    .values([
      { venueId: venue!.id, name: '操场', sport: 'athletics', mode: 'shared', capacity: 50 },
      { venueId: venue!.id, name: '篮球馆', sport: 'basketball', mode: 'shared', capacity: 30, indoor: true },
    ])
    .returning({ id: schema.venueResources.id });
  [ids.field, ids.hall] = resources.map((r) => r.id) as [string, string];
  const [other] = await db.insert(schema.venues).values({ ...school, name: '中原区乙小学操场', districtCode: ZHONGYUAN, organisationId: orgs.schoolY.id }).returning();
  ids.otherVenue = other!.id;
  const [otherField] = await db
    .insert(schema.venueResources)
    .values({ venueId: other!.id, name: '操场', sport: 'athletics', mode: 'shared', capacity: 50 })
    .returning({ id: schema.venueResources.id });
  ids.otherField = otherField!.id;

  staff.schoolAdmin = await person([{ role: 'school_admin', organisationId: orgs.schoolX.id }]);
  staff.otherSchoolAdmin = await person([{ role: 'school_admin', organisationId: orgs.schoolY.id }]);
  staff.cityBureau = await person([{ role: 'bureau_admin', organisationId: orgs.zzBureau.id }]);
  staff.jinshuiBureau = await person([{ role: 'bureau_admin', organisationId: orgs.jinshuiBureau.id }]);
  for (const [admin, school] of [
    [staff.schoolAdmin, orgs.schoolX.id],
    [staff.otherSchoolAdmin, orgs.schoolY.id],
  ] as const) {
    const res = await t
      .http()
      .put(`/api/v1/schools/${school}/pledge`)
      .set('authorization', admin.token)
      .send({ title: '安全承诺书', body: '本人自愿参加学校体育场地开放活动，遵守学校管理规定，注意运动安全。' });
    expect(res.status).toBe(200);
  }
});
afterAll(() => t.close());

describe('real-name identity', () => {
  it('a wrong check character is refused on idNumber and nothing is stored', async () => {
    const resident = await person();
    const good = idNumber();
    const bad = good.slice(0, 17) + (good[17] === '1' ? '2' : '1');
    issuedIds.push(bad);
    const res = await t
      .http()
      .put('/api/v1/me/identity')
      .set('authorization', resident.token)
      .send({ name: '李四', idNumber: bad, districtCode: JINSHUI, consentVersion: '2026-11' });
    expect(res.status).toBe(400);
    expect(res.body.errors[0]).toMatchObject({ field: 'idNumber', message: expect.stringContaining('校验位') });
    const [rows] = await t.database.db.select({ n: count() }).from(schema.residentIdentities).where(eq(schema.residentIdentities.userId, resident.id));
    expect(rows!.n).toBe(0);
  });

  it('is stored encrypted with a keyed hash and shown only masked; one ID holds one account', async () => {
    const resident = await person();
    const number = idNumber('19880315');
    const res = await t
      .http()
      .put('/api/v1/me/identity')
      .set('authorization', resident.token)
      .send({ name: '王小明', idNumber: number, districtCode: JINSHUI, consentVersion: '2026-11' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ verified: true, nameMasked: '王**', idMasked: `${number.slice(0, 4)}**********${number.slice(-4)}`, districtCode: JINSHUI, cityCode: ZHENGZHOU });
    expect(JSON.stringify(res.body)).not.toContain(number);
    const [row] = await t.database.db.select().from(schema.residentIdentities).where(eq(schema.residentIdentities.userId, resident.id));
    expect(JSON.stringify(row)).not.toContain(number);
    expect(JSON.stringify(row)).not.toContain('王小明');
    // Nothing anywhere in the database holds the number in the clear.
    const dump = await t.database.db.execute(sql`select row_to_json(x)::text as t from resident_identities x`);
    expect(JSON.stringify(dump)).not.toContain(number);

    const someoneElse = await person();
    const taken = await t
      .http()
      .put('/api/v1/me/identity')
      .set('authorization', someoneElse.token)
      .send({ name: '王小明', idNumber: number.toLowerCase(), districtCode: JINSHUI, consentVersion: '2026-11' });
    expect(taken.status).toBe(409);
    expect(taken.body.code).toBe('IDENTITY_TAKEN');
  });

  it('consent of the current version is required, and a district must be a district', async () => {
    const resident = await person();
    const noConsent = await t.http().put('/api/v1/me/identity').set('authorization', resident.token).send({ name: '赵六', idNumber: idNumber(), districtCode: JINSHUI, consentVersion: '2020-01' });
    expect(noConsent.status).toBe(400);
    expect(noConsent.body.errors[0].field).toBe('consentVersion');
    const city = await t.http().put('/api/v1/me/identity').set('authorization', resident.token).send({ name: '赵六', idNumber: idNumber(), districtCode: ZHENGZHOU, consentVersion: '2026-11' });
    expect(city.status).toBe(400);
    expect(city.body.errors[0].field).toBe('districtCode');
  });
});

describe('opening plans', () => {
  it('a school admin previews a plan: make-up workdays follow Friday, holidays close or open as chosen', async () => {
    const body = planBody({ startsOn: '2026-09-14', endsOn: '2026-10-11', closedDates: ['2026-09-16'] });
    const closed = await t.http().post('/api/v1/school-plans/preview').set('authorization', staff.schoolAdmin.token).send(body);
    expect(closed.status).toBe(200);
    const on = (date: string) => closed.body.sessions.filter((s: { date: string }) => s.date === date);
    // Sunday 2026-09-20 is a make-up workday: Friday's evening session, not Sunday's two.
    expect(on('2026-09-20')).toEqual([{ date: '2026-09-20', start: at('2026-09-20T18:00:00'), end: at('2026-09-20T20:30:00'), note: '国庆节调休上班' }]);
    expect(on('2026-09-16')).toEqual([]);
    expect(on('2026-10-01')).toEqual([]);
    expect(closed.body.makeupWorkdays).toEqual(['2026-09-20', '2026-10-10']);
    expect(closed.body.holidays.find((h: { date: string }) => h.date === '2026-10-01')).toEqual({ date: '2026-10-01', name: '国庆节', open: false });
    const open = await t.http().post('/api/v1/school-plans/preview').set('authorization', staff.schoolAdmin.token).send({ ...body, openOnHolidays: true });
    expect(open.body.sessions.filter((s: { date: string }) => s.date === '2026-10-01').map((s: { start: string }) => s.start)).toEqual([at('2026-10-01T08:00:00'), at('2026-10-01T15:00:00')]);
    expect(open.body.placesOffered).toBe(open.body.sessions.length * 50);
    // A preview writes nothing.
    const [plans] = await t.database.db.select({ n: count() }).from(schema.schoolPlans);
    expect(plans!.n).toBe(0);
  });

  it('refuses a plan with touching sessions, no sessions, dates backwards — field by field — and another school’s staff', async () => {
    const bad = await t
      .http()
      .post('/api/v1/school-plans')
      .set('authorization', staff.schoolAdmin.token)
      .send(planBody({ weekly: { 1: [{ start: '08:00', end: '10:00' }, { start: '10:00', end: '12:00' }] }, startsOn: '2026-12-01', endsOn: '2026-11-01', closedDates: [] }));
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['endsOn', 'weekly.1']);
    const impossible = await t.http().post('/api/v1/school-plans/preview').set('authorization', staff.schoolAdmin.token).send(planBody({ startsOn: '2026-02-30' }));
    expect(impossible.status).toBe(400);
    expect(impossible.body.errors.map((e: { field: string }) => e.field)).toContain('startsOn');
    const none = await t.http().post('/api/v1/school-plans').set('authorization', staff.schoolAdmin.token).send(planBody({ weekly: {} }));
    expect(none.body.errors[0].field).toBe('weekly');
    const foreign = await t.http().post('/api/v1/school-plans').set('authorization', staff.otherSchoolAdmin.token).send(planBody());
    expect(foreign.status).toBe(403);
    const [plans] = await t.database.db.select({ n: count() }).from(schema.schoolPlans);
    expect(plans!.n).toBe(0);
  });

  it('publishing writes the next week of sessions; a published plan cannot be edited; the sweep writes ahead', async () => {
    const plan = await publishedPlan({ resourceId: ids.hall, title: '篮球馆开放', capacity: 30 });
    const listed = await t.http().get(`/api/v1/school-sessions?city=${ZHENGZHOU}&venueId=${ids.venue}&pageSize=100`);
    expect(listed.status).toBe(200);
    const hall = listed.body.items.filter((s: { planId: string }) => s.planId === plan.id);
    // Tue 24th evening … Tue 1 Dec evening; Sat 28th is a closed date; weekends have two sessions.
    expect(hall.map((s: { date: string }) => s.date)).toEqual(['2026-11-24', '2026-11-25', '2026-11-26', '2026-11-27', '2026-11-29', '2026-11-29', '2026-11-30', '2026-12-01']);
    expect(hall[0]).toMatchObject({ start: at('2026-11-24T18:00:00'), capacity: 30, remaining: 30, status: 'open', schoolName: '金水区甲中学' });
    const edit = await t.http().put(`/api/v1/school-plans/${plan.id}`).set('authorization', staff.schoolAdmin.token).send(planBody());
    expect(edit.status).toBe(409);
    expect(edit.body.code).toBe('PLAN_NOT_EDITABLE');
    now = new Date('2026-11-26T10:00:00+08:00');
    expect(await extendSchoolSessions(t.database.db, now)).toBeGreaterThan(0);
    const [later] = await t.database.db
      .select({ n: count() })
      .from(schema.schoolSessions)
      .where(and(eq(schema.schoolSessions.planId, plan.id), eq(schema.schoolSessions.date, '2026-12-03')));
    expect(later!.n).toBe(1);
    await t.http().post(`/api/v1/school-plans/${plan.id}/withdraw`).set('authorization', staff.schoolAdmin.token).send({ reason: '场馆改造' }).expect(200);
  });
});

describe('registering', () => {
  let plan: { id: string };
  beforeAll(async () => {
    plan = await publishedPlan();
  });

  it('needs real name, then the current pledge; then gives an entry code valid 30 minutes before to the end', async () => {
    const session = await sessionOf(plan.id, '2026-11-25T18:00:00');
    const anonymous = await person();
    const noName = await registerFor(anonymous, session);
    expect(noName.status).toBe(422);
    expect(noName.body.code).toBe('REAL_NAME_REQUIRED');
    const resident = await verified();
    const noPledge = await registerFor(resident, session);
    expect(noPledge.body.code).toBe('PLEDGE_REQUIRED');
    expect(noPledge.body.detail).toContain('第 1 版');
    const stale = await t.http().post(`/api/v1/schools/${orgs.schoolX.id}/pledge/acceptances`).set('authorization', resident.token).send({ version: 7 });
    expect(stale.status).toBe(409);
    await acceptPledge(resident);
    const ok = await registerFor(resident, session);
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({
      status: 'confirmed',
      partySize: 1,
      entryOpens: at('2026-11-25T17:30:00'),
      entryCloses: at('2026-11-25T20:30:00'),
      session: { id: session, taken: 1, remaining: 49 },
    });
    expect(ok.body.qr).toMatch(/^SPS1\.[A-Z0-9]{8}\./);
    const again = await registerFor(resident, session);
    expect(again.body.code).toBe('ALREADY_REGISTERED');
  });

  it('the same Idempotency-Key returns the same registration; another body with it is refused', async () => {
    const resident = await verified();
    await acceptPledge(resident);
    const session = await sessionOf(plan.id, '2026-11-26T18:00:00');
    const k = key();
    const first = await registerFor(resident, session, { partySize: 1, minors: [] }, k);
    const replay = await registerFor(resident, session, { partySize: 1, minors: [] }, k);
    expect(replay.status).toBe(201);
    expect(replay.body.id).toBe(first.body.id);
    const other = await registerFor(resident, session, { partySize: 2, minors: [{ name: '小明', age: 8 }] }, k);
    expect(other.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('eligibility: district-only plans, children under 14 only with a guardian, at most 3, plans without children', async () => {
    const districtPlan = await publishedPlan({ resourceId: ids.hall, title: '篮球馆（仅限本区）', eligibility: 'district', allowMinors: false });
    const session = await sessionOf(districtPlan.id, '2026-11-27T18:00:00');
    const outsider = await verified(ZHONGYUAN);
    await acceptPledge(outsider);
    const res = await registerFor(outsider, session);
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ code: 'NOT_ELIGIBLE', detail: expect.stringContaining('仅限本区县居民') });
    const child = await verified(JINSHUI, '20150601');
    await acceptPledge(child);
    expect((await registerFor(child, session)).body.detail).toContain('未满 14 周岁');
    const parent = await verified();
    await acceptPledge(parent);
    const withKids = await registerFor(parent, session, { partySize: 2, minors: [{ name: '小红', age: 9 }] });
    expect(withKids.body.detail).toContain('不接待未成年人');

    const open = await sessionOf(plan.id, '2026-11-27T18:00:00');
    const tooOld = await registerFor(parent, open, { partySize: 2, minors: [{ name: '大强', age: 15 }] });
    expect(tooOld.body).toMatchObject({ code: 'NOT_ELIGIBLE', detail: expect.stringContaining('年满 14 周岁') });
    const mismatch = await registerFor(parent, open, { partySize: 3, minors: [{ name: '小红', age: 9 }] });
    expect(mismatch.body.errors[0].field).toBe('partySize');
    const family = await registerFor(parent, open, { partySize: 3, minors: [{ name: '小红', age: 9 }, { name: '小刚', age: 6 }] });
    expect(family.status).toBe(201);
    expect(family.body.session.taken).toBe(3);
    await t.http().post(`/api/v1/school-plans/${districtPlan.id}/withdraw`).set('authorization', staff.schoolAdmin.token).send({ reason: '测试结束' }).expect(200);
  });

  it('QUOTA_EXCEEDED: one session per school per day, three a week', async () => {
    const resident = await verified();
    await acceptPledge(resident);
    expect((await registerFor(resident, await sessionOf(plan.id, '2026-11-29T08:00:00'))).status).toBe(201);
    const sameDay = await registerFor(resident, await sessionOf(plan.id, '2026-11-29T15:00:00'));
    expect(sameDay.body).toMatchObject({ code: 'QUOTA_EXCEEDED', detail: expect.stringContaining('同一学校每天最多 1 场') });
    // A new week begins on Monday 30th.
    expect((await registerFor(resident, await sessionOf(plan.id, '2026-11-30T18:00:00'))).status).toBe(201);
    expect((await registerFor(resident, await sessionOf(plan.id, '2026-12-01T18:00:00'))).status).toBe(201);
    // Three in the week of 30 Nov (with the 2 Dec session) would be fine; the fourth is not.
    now = new Date('2026-11-26T10:00:00+08:00');
    await extendSchoolSessions(t.database.db, now);
    expect((await registerFor(resident, await sessionOf(plan.id, '2026-12-02T18:00:00'))).status).toBe(201);
    const fourth = await registerFor(resident, await sessionOf(plan.id, '2026-12-03T18:00:00'));
    expect(fourth.body.detail).toContain('每周最多 3 场');
  });

  it('cancelling before the start frees the places; someone else cannot cancel it', async () => {
    const resident = await verified();
    await acceptPledge(resident);
    const session = await sessionOf(plan.id, '2026-11-30T18:00:00');
    const made = await registerFor(resident, session);
    const before = made.body.session.taken;
    const intruder = await verified();
    await t.http().post(`/api/v1/school-registrations/${made.body.id}/cancel`).set('authorization', intruder.token).expect(404);
    const cancelled = await t.http().post(`/api/v1/school-registrations/${made.body.id}/cancel`).set('authorization', resident.token);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ status: 'cancelled', session: { taken: before - 1 } });
    const mine = await t.http().get('/api/v1/school-registrations?when=past').set('authorization', resident.token);
    expect(mine.body.items.map((r: { id: string }) => r.id)).toContain(made.body.id);
  });

  it('the session answer tells a signed-in resident their own active registration, and nobody else’s', async () => {
    const session = await sessionOf(plan.id, '2026-11-26T18:00:00');
    const resident = await verified();
    await acceptPledge(resident);
    const other = await verified();
    const read = (who: Person | null) => {
      const req = t.http().get(`/api/v1/school-sessions/${session}`);
      return who ? req.set('authorization', who.token) : req;
    };
    const before = await read(resident);
    expect(before.status).toBe(200);
    expect(before.body).toMatchObject({ id: session, myRegistration: null });

    const made = await registerFor(resident, session, { partySize: 2, minors: [{ name: '小明', age: 8 }] });
    expect(made.status).toBe(201);
    const mine = await read(resident);
    expect(mine.body.myRegistration).toEqual({
      id: made.body.id,
      code: made.body.code,
      qr: made.body.qr,
      status: 'confirmed',
      partySize: 2,
      entryOpens: at('2026-11-26T17:30:00'),
      entryCloses: at('2026-11-26T20:30:00'),
    });
    // Nothing of the registration beyond these: no minors, no session copy.
    expect(Object.keys(mine.body.myRegistration).sort()).toEqual(['code', 'entryCloses', 'entryOpens', 'id', 'partySize', 'qr', 'status']);
    expect((await read(other)).body.myRegistration).toBeNull();
    const signedOut = await read(null);
    expect(signedOut.status).toBe(200);
    expect(signedOut.body.myRegistration).toBeNull();
    expect(JSON.stringify(signedOut.body)).not.toContain(made.body.code);
    // A token that is not one is refused, not taken for nobody.
    expect((await t.http().get(`/api/v1/school-sessions/${session}`).set('authorization', 'Bearer nonsense')).status).toBe(401);

    // Once cancelled it is no longer theirs to show.
    await t.http().post(`/api/v1/school-registrations/${made.body.id}/cancel`).set('authorization', resident.token).expect(200);
    expect((await read(resident)).body.myRegistration).toBeNull();
  });
});

describe('a session of 50 and 200 residents at once', () => {
  it('exactly 50 get a place, 150 are told SESSION_FULL, none lost or doubled', async () => {
    const plan = await publishedPlan({ resourceId: ids.hall, title: '并发测试', capacity: 50 });
    const session = await sessionOf(plan.id, '2026-11-26T18:00:00');
    const residents: Person[] = [];
    for (let i = 0; i < 200; i++) {
      const user = await insertUser(t.database.db);
      residents.push({ ...user, token: `Bearer ${t.app.jwt.sign({ sub: user.id })}` });
    }
    // Identities and pledge acceptances straight into the database: the race is about places.
    const [pledge] = await t.database.db.select().from(schema.schoolPledges).where(eq(schema.schoolPledges.organisationId, orgs.schoolX.id));
    await t.database.db.insert(schema.residentIdentities).values(
      residents.map((r, i) => ({
        userId: r.id,
        nameCipher: 'x',
        nameMasked: '张*',
        idCipher: 'x',
        idHash: `race-${i}`,
        idMasked: '4101**********0000',
        birthDate: '1990-01-01',
        districtCode: JINSHUI,
        cityCode: ZHENGZHOU,
        consentVersion: '2026-11',
        consentedAt: now,
      })),
    );
    await t.database.db.insert(schema.pledgeAcceptances).values(residents.map((r) => ({ userId: r.id, pledgeId: pledge!.id })));
    const results = await Promise.all(residents.map((r) => registerFor(r, session)));
    const statuses = results.map((r) => (r.status === 201 ? 201 : `${r.status} ${r.body.code}`));
    expect(statuses.filter((s) => s === 201)).toHaveLength(50);
    expect(statuses.filter((s) => s === '409 SESSION_FULL')).toHaveLength(150);
    const [row] = await t.database.db.select().from(schema.schoolSessions).where(eq(schema.schoolSessions.id, session));
    expect(row!.taken).toBe(50);
    const [held] = await t.database.db
      .select({ n: count(), people: sql<number>`sum(${schema.schoolRegistrations.partySize})`.mapWith(Number) })
      .from(schema.schoolRegistrations)
      .where(eq(schema.schoolRegistrations.sessionId, session));
    expect(held).toEqual({ n: 50, people: 50 });
    await expect(
      t.database.db.update(schema.schoolSessions).set({ taken: 51 }).where(eq(schema.schoolSessions.id, session)),
    ).rejects.toThrow();
  }, 180_000);
});

describe('the gate, closing and no-shows', () => {
  let plan: { id: string };
  beforeAll(async () => {
    plan = await publishedPlan({ title: '门岗测试', resourceId: ids.hall, capacity: 20 });
  });

  it('checks in from 30 minutes before to the end, checks out, counts heads; other schools’ staff are refused', async () => {
    const resident = await verified();
    await acceptPledge(resident);
    const session = await sessionOf(plan.id, '2026-11-24T18:00:00');
    const made = await registerFor(resident, session, { partySize: 2, minors: [{ name: '小明', age: 7 }] });
    expect(made.status).toBe(201);
    const enter = (code: string, direction: 'in' | 'out', who = staff.schoolAdmin) =>
      t.http().post('/api/v1/school-entries').set('authorization', who.token).send({ code, direction });
    now = new Date('2026-11-24T17:29:00+08:00');
    expect((await enter(made.body.qr, 'in')).body.code).toBe('ENTRY_WINDOW');
    now = new Date('2026-11-24T17:30:00+08:00');
    expect((await enter(made.body.qr, 'in', staff.otherSchoolAdmin)).status).toBe(403);
    const forged = `${made.body.qr.slice(0, -3)}AAA`;
    expect((await enter(forged, 'in')).status).toBe(404);
    expect((await enter(made.body.code, 'out')).body.code).toBe('NOT_CHECKED_IN');
    const inside = await enter(made.body.qr, 'in');
    expect(inside.status).toBe(200);
    expect(inside.body.headcount).toEqual({ sessionId: session, capacity: 20, registered: 2, present: 2, left: 0 });
    expect(inside.body.registration).toMatchObject({ status: 'checked_in', nameMasked: '张**', partySize: 2, minorAges: [7] });
    expect((await enter(made.body.code.toLowerCase(), 'in')).body.code).toBe('ALREADY_CHECKED_IN');
    now = new Date('2026-11-24T20:00:00+08:00');
    const out = await enter(made.body.code, 'out');
    expect(out.body.headcount).toMatchObject({ present: 0, left: 2 });
    expect((await enter(made.body.code, 'out')).body.code).toBe('ALREADY_CHECKED_OUT');
    const counted = await t.http().get(`/api/v1/school-sessions/${session}/headcount`).set('authorization', staff.schoolAdmin.token);
    expect(counted.body).toMatchObject({ registered: 2, present: 0, left: 2 });
  });

  it('closing a session releases everyone without penalty and tells them', async () => {
    const resident = await verified();
    await acceptPledge(resident);
    const session = await sessionOf(plan.id, '2026-11-25T18:00:00');
    const made = await registerFor(resident, session);
    const refused = await t.http().post(`/api/v1/school-sessions/${session}/close`).set('authorization', staff.otherSchoolAdmin.token).send({ reason: '下雨' });
    expect(refused.status).toBe(403);
    const closed = await t.http().post(`/api/v1/school-sessions/${session}/close`).set('authorization', staff.schoolAdmin.token).send({ reason: '明天有雨，场地湿滑' });
    expect(closed.status).toBe(200);
    expect(closed.body).toMatchObject({ status: 'closed', taken: 0, remaining: 0, closedReason: '明天有雨，场地湿滑' });
    const [row] = await t.database.db.select().from(schema.schoolRegistrations).where(eq(schema.schoolRegistrations.id, made.body.id));
    expect(row).toMatchObject({ status: 'cancelled', cancelledWithoutPenalty: true });
    const inbox = await t.http().get('/api/v1/me/notifications').set('authorization', resident.token);
    expect(inbox.body[0]).toMatchObject({ kind: 'school.session_closed', body: expect.stringContaining('明天有雨') });
    expect((await registerFor(await verified(), session)).body.code).toBe('SESSION_CLOSED');
  });

  it('a registrant who never came is a no-show after the session, counted with court no-shows toward suspension', async () => {
    const resident = await verified();
    await acceptPledge(resident);
    const session = await sessionOf(plan.id, '2026-11-26T18:00:00');
    await registerFor(resident, session).expect(201);
    // Two court no-shows already on record in the city.
    const [courtVenue] = await t.database.db
      .insert(schema.venues)
      .values({ kind: 'gym', cityCode: ZHENGZHOU, districtCode: JINSHUI, lat: 34.7, lng: 113.6, priceLevel: 'paid', name: '羽毛球馆', organisationId: orgs.venueCo.id, weeklyHours: week([{ start: '08:00', end: '22:00' }]) })
      .returning();
    const [court] = await t.database.db.insert(schema.venueResources).values({ venueId: courtVenue!.id, name: '1号', sport: 'badminton', mode: 'exclusive' }).returning();
    await t.database.db.insert(schema.reservations).values(
      ['2026-11-20T10:00:00', '2026-11-21T10:00:00'].map((start, i) => ({
        code: `NOSHOW0${i}`,
        resourceId: court!.id,
        venueId: courtVenue!.id,
        userId: resident.id,
        during: `[${at(start)},${new Date(new Date(at(start)).getTime() + 3_600_000).toISOString()})`,
        sport: 'badminton',
        status: 'no_show' as const,
      })),
    );
    now = new Date('2026-11-26T20:29:00+08:00');
    await runBookingSweep(t.database.db, now);
    const [still] = await t.database.db.select().from(schema.schoolRegistrations).where(eq(schema.schoolRegistrations.userId, resident.id));
    expect(still!.status).toBe('confirmed');
    now = new Date('2026-11-26T20:31:00+08:00');
    const report = await runBookingSweep(t.database.db, now);
    expect(report!.noShows).toBeGreaterThanOrEqual(1);
    const [marked] = await t.database.db.select().from(schema.schoolRegistrations).where(eq(schema.schoolRegistrations.userId, resident.id));
    expect(marked!.status).toBe('no_show');
    const standing = await t.http().get(`/api/v1/me/booking-standing?city=${ZHENGZHOU}`).set('authorization', resident.token);
    expect(standing.body.suspendedUntil).not.toBeNull();
    expect(standing.body.noShowsInWindow).toBe(3);
    expect((await registerFor(resident, await sessionOf(plan.id, '2026-11-27T18:00:00'))).body.code).toBe('SUSPENDED');
  });
});

describe('staff see masked data only; the bureau sees the ratio', () => {
  it('registrations list and CSV (UTF-8 with BOM) are masked; no staff response or log line holds a full ID number', async () => {
    const plan = await publishedPlan({ title: '名单测试', resourceId: ids.hall, capacity: 10 });
    const session = await sessionOf(plan.id, '2026-11-30T18:00:00');
    const resident = await verified();
    await acceptPledge(resident);
    await registerFor(resident, session).expect(201);
    const list = await t.http().get(`/api/v1/school-sessions/${session}/registrations`).set('authorization', staff.schoolAdmin.token);
    expect(list.status).toBe(200);
    expect(list.body.items[0]).toMatchObject({ nameMasked: '张**', idMasked: expect.stringMatching(/^4101\*{10}\d{3}[\dX]$/), phoneMasked: expect.stringMatching(/^\d{3}\*{4}\d{4}$/) });
    const csv = await t.http().get(`/api/v1/school-sessions/${session}/registrations.csv`).set('authorization', staff.schoolAdmin.token).buffer(true).parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done(null, Buffer.concat(chunks)));
    });
    expect(csv.headers['content-type']).toContain('text/csv');
    const bytes = csv.body as Buffer;
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.toString('utf8')).toContain('入校码,姓名,身份证号');
    await t.http().get(`/api/v1/school-sessions/${session}/registrations`).set('authorization', staff.otherSchoolAdmin.token).expect(403);

    const staffFacing = [
      JSON.stringify(list.body),
      bytes.toString('utf8'),
      JSON.stringify((await t.http().get(`/api/v1/school-sessions/managed?pageSize=100`).set('authorization', staff.schoolAdmin.token)).body),
    ].join('\n');
    const logged = logLines.join('\n');
    // The log is real: it holds this very request, and the bad ID number refused earlier was not echoed.
    expect(logged).toContain(`/api/v1/school-sessions/${session}/registrations`);
    expect(issuedIds.length).toBeGreaterThan(15);
    for (const id of issuedIds) {
      expect(staffFacing).not.toContain(id);
      expect(logged).not.toContain(id);
    }
  });

  it('the bureau sees school venues open in the next 7 days per district, against the 60 % target; a district admin only its own', async () => {
    const summary = await t.http().get(`/api/v1/school-opening/summary?city=${ZHENGZHOU}`).set('authorization', staff.cityBureau.token);
    expect(summary.status).toBe(200);
    expect(summary.body.target).toBe(0.6);
    expect(summary.body.targetSource).toContain('参照');
    const english = await t.http().get(`/api/v1/school-opening/summary?city=${ZHENGZHOU}`).set('authorization', staff.cityBureau.token).set('accept-language', 'en');
    expect(english.body.targetSource).toContain('for reference');
    const jinshui = summary.body.districts.find((d: { districtCode: string }) => d.districtCode === JINSHUI);
    const zhongyuan = summary.body.districts.find((d: { districtCode: string }) => d.districtCode === ZHONGYUAN);
    expect(jinshui).toMatchObject({ schoolVenues: 1, openVenues: 1, ratio: 1 });
    expect(jinshui.placesOffered).toBeGreaterThan(0);
    expect(zhongyuan).toMatchObject({ schoolVenues: 1, openVenues: 0, ratio: 0 });
    expect(summary.body.total).toMatchObject({ schoolVenues: 2, openVenues: 1, ratio: 0.5 });
    const district = await t.http().get(`/api/v1/school-opening/summary?city=${ZHENGZHOU}`).set('authorization', staff.jinshuiBureau.token);
    expect(district.body.districts.map((d: { districtCode: string }) => d.districtCode)).toEqual([JINSHUI]);
    await t.http().get(`/api/v1/school-opening/summary?city=${ZHENGZHOU}`).set('authorization', staff.schoolAdmin.token).expect(403);
  });

  it('deleting one’s identity cancels registrations not yet begun and frees their places', async () => {
    const plan = await publishedPlan({ title: '删除测试', resourceId: ids.hall, capacity: 10 });
    const session = await sessionOf(plan.id, '2026-12-01T18:00:00');
    const resident = await verified();
    await acceptPledge(resident);
    await registerFor(resident, session).expect(201);
    await t.http().delete('/api/v1/me/identity').set('authorization', resident.token).expect(204);
    const me = await t.http().get('/api/v1/me/identity').set('authorization', resident.token);
    expect(me.body).toMatchObject({ verified: false, idMasked: null, consent: { version: '2026-11' } });
    const [row] = await t.database.db.select().from(schema.schoolSessions).where(eq(schema.schoolSessions.id, session));
    expect(row!.taken).toBe(0);
    expect((await registerFor(resident, session)).body.code).toBe('REAL_NAME_REQUIRED');
  });
});
