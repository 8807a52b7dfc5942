import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { and, count, eq, sql } from 'drizzle-orm';
import { schema } from '@sports/db';
import { AnswerCache, acceptsGzip } from '../src/plugins/app/answer-cache.ts';
import { runBookingSweep } from '../src/services/booking/booking-sweeps.ts';
import { runOutboxSweep } from '../src/services/accounts/outbox.ts';
import { createTestApp, type TestApp } from './support/app.ts';
import { JINSHUI, ZHENGZHOU, insertCityFixture, insertUser } from './support/fixtures.ts';

/** Tuesday 2026-11-24 10:00 in Zhengzhou; tests that move the clock get it back after. */
const TUESDAY_10AM = new Date('2026-11-24T10:00:00+08:00');
let now = TUESDAY_10AM;
afterEach(() => {
  now = TUESDAY_10AM;
});
let t: TestApp;
let orgs: Awaited<ReturnType<typeof insertCityFixture>>;
const ids = {} as Record<'venue' | 'court1' | 'court2' | 'court3' | 'lateCourt' | 'otherVenue' | 'otherCourt', string>;
const people = {} as Record<'operator' | 'otherOperator' | 'alice' | 'bob' | 'carol' | 'dave', { id: string; phone: string; token: string }>;
const sent: string[] = [];

const week = (ranges: { start: string; end: string }[]) => Object.fromEntries([1, 2, 3, 4, 5, 6, 7].map((d) => [d, ranges]));
const at = (local: string) => new Date(`${local}+08:00`).toISOString();
let keyCounter = 0;
const key = () => `test-key-${Date.now()}-${++keyCounter}`;

function book(who: { token: string }, resourceId: string, start: string, end: string, idempotencyKey = key()) {
  return t
    .http()
    .post('/api/v1/reservations')
    .set('authorization', who.token)
    .set('idempotency-key', idempotencyKey)
    .send({ resourceId, start: at(start), end: at(end) });
}

async function person(roles: { role: 'operator'; organisationId: string }[] = []) {
  const user = await insertUser(t.database.db, roles);
  return { ...user, token: `Bearer ${t.app.jwt.sign({ sub: user.id })}` };
}

beforeAll(async () => {
  t = await createTestApp({}, () => now);
  const db = t.database.db;
  orgs = await insertCityFixture(db);
  const venueValues = {
    kind: 'gym' as const,
    cityCode: ZHENGZHOU,
    districtCode: JINSHUI,
    lat: 34.78,
    lng: 113.66,
    priceLevel: 'paid' as const,
    holidayRule: 'closed' as const,
  };
  const [venue] = await db
    .insert(schema.venues)
    .values({
      ...venueValues,
      name: '金水羽毛球馆',
      organisationId: orgs.venueCo.id,
      weeklyHours: week([{ start: '08:00', end: '12:00' }, { start: '14:00', end: '22:00' }]),
      bookingSettings: {
        slotMinutes: 60,
        maxSlots: 2,
        windowDays: 7,
        releaseTime: '12:00',
        cancelHours: 2,
        defaultPriceFen: 3000,
        bands: [
          { days: 'weekday', start: '08:00', end: '12:00', priceFen: 0 },
          { days: 'weekday', start: '18:00', end: '22:00', priceFen: 5000 },
          { days: 'weekend', start: '08:00', end: '22:00', priceFen: 6000 },
        ],
      },
    })
    .returning();
  ids.venue = venue!.id;
  const courts = await db
    .insert(schema.venueResources)
    .values([
      { venueId: venue!.id, name: '1号场', sport: 'badminton', mode: 'exclusive', indoor: true, sortOrder: 1 },
      { venueId: venue!.id, name: '2号场', sport: 'badminton', mode: 'exclusive', indoor: true, sortOrder: 2 },
      { venueId: venue!.id, name: '3号场', sport: 'basketball', mode: 'exclusive', indoor: true, sortOrder: 3 },
      { venueId: venue!.id, name: '夜场', sport: 'badminton', mode: 'exclusive', indoor: true, sortOrder: 4, weeklyHours: week([{ start: '20:00', end: '24:00' }]) },
    ])
    .returning({ id: schema.venueResources.id });
  [ids.court1, ids.court2, ids.court3, ids.lateCourt] = courts.map((c) => c.id) as [string, string, string, string];
  const [other] = await db
    .insert(schema.venues)
    .values({ ...venueValues, name: '甲中学体育馆', organisationId: orgs.schoolX.id, weeklyHours: week([{ start: '08:00', end: '22:00' }]) })
    .returning();
  ids.otherVenue = other!.id;
  const [otherCourt] = await db
    .insert(schema.venueResources)
    .values({ venueId: other!.id, name: 'A场', sport: 'badminton', mode: 'exclusive' })
    .returning({ id: schema.venueResources.id });
  ids.otherCourt = otherCourt!.id;

  people.operator = await person([{ role: 'operator', organisationId: orgs.venueCo.id }]);
  const schoolAdmin = await insertUser(db, [{ role: 'school_admin' as never, organisationId: orgs.schoolX.id }]);
  people.otherOperator = { ...schoolAdmin, token: `Bearer ${t.app.jwt.sign({ sub: schoolAdmin.id })}` };
  for (const name of ['alice', 'bob', 'carol', 'dave'] as const) people[name] = await person();
});
afterAll(() => t.close());

describe('two residents, one court, one hour', () => {
  it('of 200 simultaneous requests exactly one books it; 199 are told SLOT_TAKEN; nothing fails', async () => {
    const db = t.database.db;
    const racers = await db
      .insert(schema.users)
      .values(
        Array.from({ length: 200 }, (_, i) => ({
          phone: `136${String(i).padStart(8, '0')}`,
          displayName: `并发${i}`,
          passwordHash: 'x',
        })),
      )
      .returning({ id: schema.users.id });
    const results = await Promise.all(
      racers.map((racer) =>
        t
          .http()
          .post('/api/v1/reservations')
          .set('authorization', `Bearer ${t.app.jwt.sign({ sub: racer.id })}`)
          .set('idempotency-key', key())
          .send({ resourceId: ids.court2, start: at('2026-11-25T19:00:00'), end: at('2026-11-25T20:00:00') }),
      ),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(199);
    expect(results.filter((r) => r.status === 409).every((r) => r.body.code === 'SLOT_TAKEN')).toBe(true);
    const [held] = await db
      .select({ n: count() })
      .from(schema.reservations)
      .where(and(eq(schema.reservations.resourceId, ids.court2), eq(schema.reservations.status, 'confirmed')));
    expect(held!.n).toBe(1);
    // PGlite runs the 200 transactions one after another; on a busy 2-core machine that takes a while.
  }, 180_000);

  it('an overlapping span (19:30–20:30 over 19:00–20:00) is refused by the database even past the app', async () => {
    const db = t.database.db;
    await expect(
      db.insert(schema.reservations).values({
        code: 'OVERLAP1',
        resourceId: ids.court2,
        venueId: ids.venue,
        userId: people.dave.id,
        during: `[${at('2026-11-25T19:30:00')},${at('2026-11-25T20:30:00')})`,
        sport: 'badminton',
      }),
    ).rejects.toMatchObject({ cause: expect.objectContaining({ code: '23P01' }) });
  });
});

describe('one statement books: the account, the kept facts and the locks', () => {
  it('overlapping spans of different lengths at once: what is held never overlaps; the rest are SLOT_TAKEN; nothing fails', async () => {
    const spans = [
      ['2026-11-30T20:00:00', '2026-11-30T21:00:00'],
      ['2026-11-30T20:00:00', '2026-11-30T22:00:00'],
      ['2026-11-30T21:00:00', '2026-11-30T22:00:00'],
    ] as const;
    const racers = await Promise.all(Array.from({ length: 60 }, () => person()));
    const results = await Promise.all(racers.map((racer, i) => book(racer, ids.lateCourt, spans[i % 3]![0], spans[i % 3]![1])));
    expect(results.filter((r) => r.status !== 201 && r.status !== 409)).toEqual([]);
    expect(results.filter((r) => r.status === 409).every((r) => r.body.code === 'SLOT_TAKEN')).toBe(true);
    const [held] = await t.database.db
      .select({ n: count() })
      .from(schema.reservations)
      .where(
        and(
          eq(schema.reservations.resourceId, ids.lateCourt),
          eq(schema.reservations.status, 'confirmed'),
          sql`${schema.reservations.during} && tstzrange(${at('2026-11-30T20:00:00')}::timestamptz, ${at('2026-11-30T22:00:00')}::timestamptz)`,
        ),
      );
    const evening = results
      .filter((r) => r.status === 201)
      .map((r) => [Date.parse(r.body.start), Date.parse(r.body.end)] as const)
      .sort((a, b) => a[0] - b[0]);
    // Either 20–22 alone, or 20–21 and 21–22: the two hours are taken, and taken once.
    expect(evening.reduce((minutes, [start, end]) => minutes + (end - start) / 60_000, 0)).toBe(120);
    for (let i = 1; i < evening.length; i++) expect(evening[i]![0]).toBeGreaterThanOrEqual(evening[i - 1]![1]);
    expect(held!.n).toBe(evening.length);
  }, 180_000);

  it('facts kept from an earlier booking never decide a later one: a new price and a new slot length apply at once', async () => {
    const court = `/api/v1/venues/${ids.venue}/resources/${ids.court2}/booking-settings`;
    const [first, second, third] = [await person(), await person(), await person()];
    // Saturday: the weekend band. This booking leaves the court's facts kept.
    const before = await book(first, ids.court2, '2026-11-28T10:00:00', '2026-11-28T11:00:00');
    expect(before.body).toMatchObject({ status: 'confirmed', priceFen: 6000 });
    const own = { slotMinutes: 60, minSlots: 1, maxSlots: 2, windowDays: 7, releaseTime: '12:00', cancelHours: 2, defaultPriceFen: 2500, bands: [] };
    try {
      await t.http().put(court).set('authorization', people.operator.token).send(own).expect(204);
      // Allowed by the kept facts too, but the statement sees they changed: checked again, charged anew.
      const repriced = await book(second, ids.court2, '2026-11-28T11:00:00', '2026-11-28T12:00:00');
      expect(repriced.status).toBe(201);
      expect(repriced.body.priceFen).toBe(2500);
      await t.http().put(court).set('authorization', people.operator.token).send({ ...own, slotMinutes: 30, maxSlots: 4 }).expect(204);
      // Refused by the kept facts (half an hour was half a slot), so they are read again before any refusal.
      const half = await book(third, ids.court2, '2026-11-28T14:00:00', '2026-11-28T14:30:00');
      expect(half.status).toBe(201);
      expect(half.body.priceFen).toBe(2500);
    } finally {
      await t.http().put(court).set('authorization', people.operator.token).send(null as never).set('content-type', 'application/json').expect(204);
    }
  });

  it('a disabled or deleted account books nothing, and hears that before anything wrong with its request', async () => {
    const db = t.database.db;
    const gone = await person();
    const disabled = await person();
    await db.update(schema.users).set({ disabledAt: new Date() }).where(eq(schema.users.id, disabled.id));
    const [{ n: before }] = (await db.select({ n: count() }).from(schema.reservations)) as [{ n: number }];
    const valid = await book(disabled, ids.court1, '2026-11-29T15:00:00', '2026-11-29T16:00:00');
    expect([valid.status, valid.body.code]).toEqual([403, 'ACCOUNT_DISABLED']);
    const halfSlot = await book(disabled, ids.court1, '2026-11-29T15:00:00', '2026-11-29T15:30:00');
    expect([halfSlot.status, halfSlot.body.code]).toEqual([403, 'ACCOUNT_DISABLED']);
    await db.delete(schema.users).where(eq(schema.users.id, gone.id));
    const deleted = await book(gone, ids.court1, '2026-11-29T15:00:00', '2026-11-29T16:00:00');
    expect([deleted.status, deleted.body.code]).toEqual([401, 'UNAUTHENTICATED']);
    const [{ n: after }] = (await db.select({ n: count() }).from(schema.reservations)) as [{ n: number }];
    expect(after).toBe(before);
    // The slot is still there for someone else.
    expect((await book(await person(), ids.court1, '2026-11-29T15:00:00', '2026-11-29T16:00:00')).status).toBe(201);
  });
});

describe('booking a court', () => {
  it('confirms with a code, the price in fen, the deadlines and a signed QR', async () => {
    const res = await book(people.alice, ids.court1, '2026-11-25T19:00:00', '2026-11-25T21:00:00');
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      status: 'confirmed',
      priceFen: 10000,
      start: at('2026-11-25T19:00:00'),
      cancelDeadline: at('2026-11-25T17:00:00'),
      checkInOpens: at('2026-11-25T18:30:00'),
      checkInCloses: at('2026-11-25T19:15:00'),
      venue: { name: '金水羽毛球馆' },
      resource: { name: '1号场' },
    });
    expect(res.body.code).toMatch(/^[2-9A-HJ-NP-Z]{8}$/);
    expect(res.body.qr).toMatch(new RegExp(`^SPR1\\.${res.body.code}\\.[\\w-]{22}$`));
  });

  it('a free weekday morning slot costs nothing', async () => {
    const res = await book(people.bob, ids.court3, '2026-11-25T09:00:00', '2026-11-25T10:00:00');
    expect(res.status).toBe(201);
    expect(res.body.priceFen).toBe(0);
  });

  it('the same Idempotency-Key with the same body returns the same booking; with another body it is refused', async () => {
    const k = key();
    const first = await book(people.carol, ids.court3, '2026-11-26T08:00:00', '2026-11-26T09:00:00', k);
    const again = await book(people.carol, ids.court3, '2026-11-26T08:00:00', '2026-11-26T09:00:00', k);
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body.id).toBe(first.body.id);
    const other = await book(people.carol, ids.court3, '2026-11-26T10:00:00', '2026-11-26T11:00:00', k);
    expect(other.status).toBe(422);
    expect(other.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    const [n] = await t.database.db.select({ n: count() }).from(schema.reservations).where(eq(schema.reservations.userId, people.carol.id));
    expect(n!.n).toBe(1);
  });

  it('a retry with the same key after the slot has begun is answered with the booking, not refused', async () => {
    const k = key();
    const resident = await person();
    const first = await book(resident, ids.court3, '2026-11-25T15:00:00', '2026-11-25T16:00:00', k);
    expect(first.status).toBe(201);
    // The answer was lost; the app retries once the hour has started, when a new booking would be refused.
    now = new Date('2026-11-25T15:20:00+08:00');
    const fresh = await book(await person(), ids.court3, '2026-11-25T15:00:00', '2026-11-25T16:00:00');
    expect(fresh.body.code).toBe('BOOKING_WINDOW_CLOSED');
    const retry = await book(resident, ids.court3, '2026-11-25T15:00:00', '2026-11-25T16:00:00', k);
    expect(retry.status).toBe(201);
    expect(retry.body.id).toBe(first.body.id);
    const [n] = await t.database.db.select({ n: count() }).from(schema.reservations).where(eq(schema.reservations.userId, resident.id));
    expect(n!.n).toBe(1);
  });

  it('a double tap (two requests with one key at once) books once', async () => {
    const k = key();
    const [a, b] = await Promise.all([
      book(people.dave, ids.court3, '2026-11-27T08:00:00', '2026-11-27T09:00:00', k),
      book(people.dave, ids.court3, '2026-11-27T08:00:00', '2026-11-27T09:00:00', k),
    ]);
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(a.body.id).toBe(b.body.id);
  });

  it('a request without an Idempotency-Key is bad input', async () => {
    const res = await t
      .http()
      .post('/api/v1/reservations')
      .set('authorization', people.alice.token)
      .send({ resourceId: ids.court1, start: at('2026-11-28T08:00:00'), end: at('2026-11-28T09:00:00') });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].field).toBe('idempotency-key');
  });
});

describe('every refusal has its code and a message a resident understands', () => {
  it('INVALID_DURATION: half a slot, or more than two slots', async () => {
    const half = await book(people.bob, ids.court1, '2026-11-26T14:00:00', '2026-11-26T14:30:00');
    expect(half.body.code).toBe('INVALID_DURATION');
    expect(half.body.detail).toBe('预约时长须为 60 分钟的整数倍，1 至 2 个时段。');
    expect((await book(people.bob, ids.court1, '2026-11-26T14:00:00', '2026-11-26T17:00:00')).body.code).toBe('INVALID_DURATION');
  });

  it('OUTSIDE_OPENING_HOURS: across the lunch closure, or off the slot grid', async () => {
    expect((await book(people.bob, ids.court1, '2026-11-26T11:00:00', '2026-11-26T13:00:00')).body.code).toBe('OUTSIDE_OPENING_HOURS');
    expect((await book(people.bob, ids.court1, '2026-11-26T14:30:00', '2026-11-26T15:30:00')).body.code).toBe('OUTSIDE_OPENING_HOURS');
  });

  it('BOOKING_WINDOW_CLOSED: day D opens at 12:00 seven days before, to the minute; past slots never', async () => {
    now = new Date('2026-11-24T11:59:00+08:00');
    const early = await book(people.bob, ids.court1, '2026-12-01T08:00:00', '2026-12-01T09:00:00');
    expect(early.status).toBe(422);
    expect(early.body.code).toBe('BOOKING_WINDOW_CLOSED');
    now = new Date('2026-11-24T12:00:00+08:00');
    const onTime = await book(people.bob, ids.court1, '2026-12-01T08:00:00', '2026-12-01T09:00:00');
    expect(onTime.status).toBe(201);
    expect((await book(people.bob, ids.court1, '2026-11-24T09:00:00', '2026-11-24T10:00:00')).body.code).toBe('BOOKING_WINDOW_CLOSED');
  });

  it('midnight: the late court books 23:00–24:00, ending at the next day’s midnight', async () => {
    const res = await book(people.dave, ids.lateCourt, '2026-11-25T23:00:00', '2026-11-26T00:00:00');
    expect(res.status).toBe(201);
    expect(res.body.end).toBe(at('2026-11-26T00:00:00'));
    expect((await book(people.dave, ids.lateCourt, '2026-11-26T00:00:00', '2026-11-26T01:00:00')).body.code).toBe('OUTSIDE_OPENING_HOURS');
  });

  it('a holiday under the rule “closed” has no slots: National Day', async () => {
    now = new Date('2026-09-24T12:00:00+08:00');
    const nationalDay = await book(people.carol, ids.court1, '2026-10-01T09:00:00', '2026-10-01T10:00:00');
    expect(nationalDay.status).toBe(422);
    expect(nationalDay.body.code).toBe('OUTSIDE_OPENING_HOURS');
  });

  it('QUOTA_EXCEEDED: more than two hours of one sport on one day', async () => {
    // Alice already holds 19:00–21:00 badminton on the 25th.
    const res = await book(people.alice, ids.court2, '2026-11-25T14:00:00', '2026-11-25T15:00:00');
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('QUOTA_EXCEEDED');
    expect(res.body.detail).toContain('同一运动每天最多 2 小时');
    // Basketball the same day is another sport.
    expect((await book(people.alice, ids.court3, '2026-11-25T14:00:00', '2026-11-25T15:00:00')).status).toBe(201);
  });

  it('QUOTA_EXCEEDED: a fourth upcoming booking across the city', async () => {
    expect((await book(people.alice, ids.court1, '2026-11-27T14:00:00', '2026-11-27T15:00:00')).status).toBe(201);
    const res = await book(people.alice, ids.court1, '2026-11-28T14:00:00', '2026-11-28T15:00:00');
    expect(res.body.code).toBe('QUOTA_EXCEEDED');
    expect(res.body.detail).toContain('最多同时持有 3 个');
  });

  it('RESOURCE_OUT_OF_SERVICE: a court under repair cannot be booked and shows so', async () => {
    await t.database.db.update(schema.venueResources).set({ status: 'out_of_service' }).where(eq(schema.venueResources.id, ids.otherCourt));
    const res = await book(people.bob, ids.otherCourt, '2026-11-26T09:00:00', '2026-11-26T10:00:00');
    expect(res.body.code).toBe('RESOURCE_OUT_OF_SERVICE');
    const availability = await t.http().get(`/api/v1/venues/${ids.otherVenue}/availability?date=2026-11-26`);
    expect(new Set(availability.body.resources[0].slots.map((s: { status: string }) => s.status))).toEqual(new Set(['out_of_service']));
    await t.database.db.update(schema.venueResources).set({ status: 'active' }).where(eq(schema.venueResources.id, ids.otherCourt));
  });
});

describe('availability', () => {
  it('shows each court’s slots with status and price, and never who booked', async () => {
    const res = await t.http().get(`/api/v1/venues/${ids.venue}/availability?date=2026-11-25&days=2`);
    expect(res.status).toBe(200);
    const court1 = res.body.resources.find((r: { id: string }) => r.id === ids.court1);
    const at19 = court1.slots.find((s: { start: string }) => s.start === at('2026-11-25T19:00:00'));
    expect(at19).toEqual({ start: at('2026-11-25T19:00:00'), end: at('2026-11-25T20:00:00'), status: 'booked', priceFen: 5000 });
    const at9 = court1.slots.find((s: { start: string }) => s.start === at('2026-11-25T09:00:00'));
    expect(at9).toMatchObject({ status: 'free', priceFen: 0 });
    expect(court1.slots.filter((s: { start: string }) => s.start.startsWith('2026-11-25')).length + court1.slots.filter((s: { start: string }) => s.start.startsWith('2026-11-26')).length).toBe(24);
    expect(JSON.stringify(res.body)).not.toMatch(/userId|phone|displayName|code/);
  });

  it('today’s started slots are past; slots beyond the release are not yet released', async () => {
    const res = await t.http().get(`/api/v1/venues/${ids.venue}/availability?date=2026-11-24&days=8`);
    const slots = res.body.resources.find((r: { id: string }) => r.id === ids.court3).slots;
    expect(slots.find((s: { start: string }) => s.start === at('2026-11-24T09:00:00')).status).toBe('past');
    expect(slots.find((s: { start: string }) => s.start === at('2026-12-01T09:00:00')).status).toBe('not_yet_released');
  });

  it('remembered slots follow the rules: special hours added after a read show on the next read', async () => {
    const url = `/api/v1/venues/${ids.otherVenue}/availability?date=2026-11-30`;
    const slotsOf = async () => (await t.http().get(url)).body.resources[0].slots.map((s: { start: string }) => s.start);
    expect(await slotsOf()).toHaveLength(14);
    expect(await slotsOf()).toHaveLength(14);
    const added = await t
      .http()
      .post(`/api/v1/venues/${ids.otherVenue}/exceptions`)
      .set('authorization', people.otherOperator.token)
      .send({ date: '2026-11-30', kind: 'special', ranges: [{ start: '09:00', end: '11:00' }], reason: '期中考试' });
    expect(added.status).toBe(201);
    expect(await slotsOf()).toEqual([at('2026-11-30T09:00:00'), at('2026-11-30T10:00:00')]);
    await t
      .http()
      .delete(`/api/v1/venues/${ids.otherVenue}/exceptions/${added.body.id}`)
      .set('authorization', people.otherOperator.token)
      .expect(204);
    expect(await slotsOf()).toHaveLength(14);
  });

  it('a remembered answer never outlives a booking, or the start of a slot', async () => {
    const url = `/api/v1/venues/${ids.venue}/availability?date=2026-11-24`;
    const slotAt = async (local: string) =>
      (await t.http().get(url)).body.resources
        .find((r: { id: string }) => r.id === ids.court2)
        .slots.find((s: { start: string }) => s.start === at(local)).status;
    expect(await slotAt('2026-11-24T15:00:00')).toBe('free');
    const booked = await book(people.carol, ids.court2, '2026-11-24T15:00:00', '2026-11-24T16:00:00');
    expect(booked.status).toBe(201);
    expect(await slotAt('2026-11-24T15:00:00')).toBe('booked');
    expect(await slotAt('2026-11-24T11:00:00')).toBe('free');
    now = new Date('2026-11-24T11:00:00+08:00');
    expect(await slotAt('2026-11-24T11:00:00')).toBe('past');
    await t.http().post(`/api/v1/reservations/${booked.body.id}/cancel`).set('authorization', people.carol.token).send({}).expect(200);
    expect(await slotAt('2026-11-24T15:00:00')).toBe('free');
  });

  it('a browser that accepts gzip gets the same answer compressed; a client that does not gets it plain', async () => {
    const url = `/api/v1/venues/${ids.venue}/availability?date=2026-11-25&days=7`;
    const plain = await t.http().get(url).set('accept-encoding', 'identity');
    expect(plain.headers['content-encoding']).toBeUndefined();
    const zipped = await t.http().get(url).set('accept-encoding', 'gzip, deflate, br');
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zipped.headers['vary']).toMatch(/accept-encoding/i);
    expect(Number(zipped.headers['content-length'])).toBeLessThan(Number(plain.headers['content-length']) / 5);
    expect(zipped.body).toEqual(plain.body);
    const refused = await t.http().get(url).set('accept-encoding', 'gzip;q=0, identity');
    expect(refused.headers['content-encoding']).toBeUndefined();
  });

  it('residents who ask while an answer is being computed share it; one computed across a write is not kept', async () => {
    const cache = new AnswerCache(1000);
    const pending: ((answer: { body: Buffer; changesAt: number }) => void)[] = [];
    let computed = 0;
    const compute = () => {
      computed++;
      return new Promise<{ body: Buffer; changesAt: number }>((resolve) => pending.push(resolve));
    };
    const first = cache.remember('grid', 0, compute);
    const second = cache.remember('grid', 1, compute);
    expect(computed).toBe(1);
    pending[0]!({ body: Buffer.from('"before"'), changesAt: Number.POSITIVE_INFINITY });
    expect((await first).body.toString()).toBe('"before"');
    expect((await second).body.toString()).toBe('"before"');
    expect(cache.get('grid', 2)?.body.toString()).toBe('"before"');

    cache.invalidate();
    const during = cache.remember('grid', 3, compute);
    expect(computed).toBe(2);
    // A booking succeeds while the reads run: whoever asks after it does not wait for the old answer.
    cache.invalidate();
    const after = cache.remember('grid', 4, compute);
    expect(computed).toBe(3);
    pending[1]!({ body: Buffer.from('"old"'), changesAt: Number.POSITIVE_INFINITY });
    pending[2]!({ body: Buffer.from('"new"'), changesAt: Number.POSITIVE_INFINITY });
    expect((await during).body.toString()).toBe('"old"');
    expect((await after).body.toString()).toBe('"new"');
    expect(cache.get('grid', 5)?.body.toString()).toBe('"new"');
    expect(acceptsGzip('br;q=1.0, gzip;q=0.8, *;q=0.1')).toBe(true);
    expect(acceptsGzip('*;q=0, gzip')).toBe(true);
    expect(acceptsGzip('deflate')).toBe(false);
  });

  it('refuses more than 14 days and bad dates with the field named', async () => {
    expect((await t.http().get(`/api/v1/venues/${ids.venue}/availability?date=2026-11-25&days=15`)).body.errors[0].field).toBe('days');
    expect((await t.http().get(`/api/v1/venues/${ids.venue}/availability?date=2026-13-01`)).body.errors[0].field).toBe('date');
  });
});

describe('my bookings, privacy and cancelling', () => {
  it('a resident lists their upcoming bookings and cannot see or cancel another’s', async () => {
    const mine = await t.http().get('/api/v1/reservations?when=upcoming').set('authorization', people.alice.token);
    expect(mine.body.total).toBe(3);
    const aliceBooking = mine.body.items[0];
    await t.http().get(`/api/v1/reservations/${aliceBooking.id}`).set('authorization', people.bob.token).expect(404);
    await t.http().post(`/api/v1/reservations/${aliceBooking.id}/cancel`).set('authorization', people.bob.token).send({}).expect(404);
  });

  it('free cancellation until two hours before; then CANCELLATION_DEADLINE_PASSED', async () => {
    const booking = await book(people.bob, ids.court2, '2026-11-24T14:00:00', '2026-11-24T15:00:00');
    expect(booking.status).toBe(201);
    now = new Date('2026-11-24T12:00:01+08:00');
    const late = await t.http().post(`/api/v1/reservations/${booking.body.id}/cancel`).set('authorization', people.bob.token).send({});
    expect(late.status).toBe(422);
    expect(late.body.code).toBe('CANCELLATION_DEADLINE_PASSED');
    now = new Date('2026-11-24T12:00:00+08:00');
    const inTime = await t.http().post(`/api/v1/reservations/${booking.body.id}/cancel`).set('authorization', people.bob.token).send({});
    expect(inTime.status).toBe(200);
    expect(inTime.body.status).toBe('cancelled');
    const again = await t.http().post(`/api/v1/reservations/${booking.body.id}/cancel`).set('authorization', people.bob.token).send({});
    expect(again.body.code).toBe('NOT_CANCELLABLE');
    // The slot is free again.
    expect((await book(people.carol, ids.court2, '2026-11-24T14:00:00', '2026-11-24T15:00:00')).status).toBe(201);
  });

  it('the operator cancels with a reason, without penalty, and the resident is told', async () => {
    const booking = await book(people.dave, ids.court1, '2026-11-26T15:00:00', '2026-11-26T16:00:00');
    const noReason = await t.http().post(`/api/v1/reservations/${booking.body.id}/cancel`).set('authorization', people.operator.token).send({});
    expect(noReason.body.code).toBe('REASON_REQUIRED');
    const res = await t
      .http()
      .post(`/api/v1/reservations/${booking.body.id}/cancel`)
      .set('authorization', people.operator.token)
      .send({ reason: '灯光检修' });
    expect(res.status).toBe(200);
    expect(res.body.cancelReason).toBe('灯光检修');
    const inbox = await t.http().get('/api/v1/me/notifications').set('authorization', people.dave.token);
    expect(inbox.body[0]).toMatchObject({ kind: 'reservation.cancelled_by_venue' });
    expect(inbox.body[0].body).toContain('灯光检修');
    expect(inbox.body[0].body).toContain('不计违约');
  });

  it('another venue’s staff cannot cancel it', async () => {
    const booking = await book(people.dave, ids.court1, '2026-11-26T16:00:00', '2026-11-26T17:00:00');
    const res = await t
      .http()
      .post(`/api/v1/reservations/${booking.body.id}/cancel`)
      .set('authorization', people.otherOperator.token)
      .send({ reason: '越权' });
    expect(res.status).toBe(404);
  });
});

describe('checking in at the gate', () => {
  it('only from 30 minutes before to 15 after, by QR or typed code; a forged QR is refused', async () => {
    const grace = await person();
    const booking = await book(grace, ids.court1, '2026-11-25T15:00:00', '2026-11-25T16:00:00');
    expect(booking.status).toBe(201);
    const checkIn = (code: string) => t.http().post('/api/v1/check-ins').set('authorization', people.operator.token).send({ code });
    now = new Date('2026-11-25T14:29:59+08:00');
    expect((await checkIn(booking.body.qr)).body.code).toBe('CHECK_IN_WINDOW');
    now = new Date('2026-11-25T14:30:00+08:00');
    const forged = `SPR1.${booking.body.code}.AAAAAAAAAAAAAAAAAAAAAA`;
    expect((await checkIn(forged)).status).toBe(404);
    const other = await t.http().post('/api/v1/check-ins').set('authorization', people.otherOperator.token).send({ code: booking.body.code });
    expect(other.status).toBe(403);
    const ok = await checkIn(booking.body.qr);
    expect(ok.status).toBe(200);
    expect(ok.body.status).toBe('checked_in');
    expect((await checkIn(booking.body.code)).body.code).toBe('ALREADY_CHECKED_IN');
  });

  it('typed in lower case, the short code still works; after 15 minutes it does not', async () => {
    const henry = await person();
    const booking = await book(henry, ids.court3, '2026-11-28T09:00:00', '2026-11-28T10:00:00');
    expect(booking.status).toBe(201);
    now = new Date('2026-11-28T09:15:01+08:00');
    const late = await t.http().post('/api/v1/check-ins').set('authorization', people.operator.token).send({ code: booking.body.code });
    expect(late.body.code).toBe('CHECK_IN_WINDOW');
    now = new Date('2026-11-28T09:15:00+08:00');
    const ok = await t
      .http()
      .post('/api/v1/check-ins')
      .set('authorization', people.operator.token)
      .send({ code: (booking.body.code as string).toLowerCase() });
    expect(ok.status).toBe(200);
  });
});

describe('no-shows and suspension', () => {
  it('three no-shows in 60 days suspend booking for 30 days; the resident sees why and until when', async () => {
    const db = t.database.db;
    const eve = await person();
    const starts = ['2026-11-03T09:00:00', '2026-11-10T09:00:00', '2026-11-17T09:00:00'];
    for (const [i, start] of starts.entries()) {
      await db.insert(schema.reservations).values({
        code: `NOSHOW${i}X`,
        resourceId: ids.court3,
        venueId: ids.venue,
        userId: eve.id,
        during: `[${at(start)},${new Date(new Date(at(start)).getTime() + 3_600_000).toISOString()})`,
        sport: 'basketball',
      });
    }
    const report = await runBookingSweep(db, now);
    expect(report!.noShows).toBeGreaterThanOrEqual(3);
    expect(report!.suspended).toBeGreaterThanOrEqual(1);
    const standing = await t.http().get(`/api/v1/me/booking-standing?city=${ZHENGZHOU}`).set('authorization', eve.token);
    expect(standing.body.suspendedUntil).toBe(new Date(now.getTime() + 30 * 86_400_000).toISOString());
    expect(standing.body.suspensionReason).toContain('3 次预约未到场');
    expect(standing.body.noShowsInWindow).toBe(3);
    const refused = await book(eve, ids.court3, '2026-11-29T09:00:00', '2026-11-29T10:00:00');
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe('SUSPENDED');
    expect(refused.body.detail).toContain('2026年12月24日');
    const inbox = await t.http().get('/api/v1/me/notifications').set('authorization', eve.token);
    expect(inbox.body.map((n: { kind: string }) => n.kind)).toContain('booking.suspended');
  });

  it('a booking cancelled by the venue never counts, and the sweep reminds two hours ahead', async () => {
    const db = t.database.db;
    const frank = await person();
    now = new Date('2026-11-24T12:30:00+08:00');
    const soon = await book(frank, ids.court1, '2026-11-24T14:00:00', '2026-11-24T15:00:00');
    expect(soon.status).toBe(201);
    const report = await runBookingSweep(db, now);
    expect(report!.reminded).toBeGreaterThanOrEqual(1);
    // The text waits in the outbox until the outbox sweep sends it.
    expect(sent.some((s) => s.startsWith(frank.phone))).toBe(false);
    await runOutboxSweep(db, { sms: { send: async (phone, text) => void sent.push(`${phone}:${text}`) } }, now);
    expect(sent.some((s) => s.startsWith(frank.phone) && s.includes(soon.body.code))).toBe(true);
  });
});

describe('calendar', () => {
  it('a booking as iCalendar with Asia/Shanghai times and a VTIMEZONE', async () => {
    const mine = await t.http().get('/api/v1/reservations').set('authorization', people.alice.token);
    const booking = mine.body.items.find((b: { start: string }) => b.start === at('2026-11-25T19:00:00'));
    const res = await t.http().get(`/api/v1/reservations/${booking.id}.ics`).set('authorization', people.alice.token);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/calendar/);
    expect(res.text).toContain('DTSTART;TZID=Asia/Shanghai:20261125T190000\r\n');
    expect(res.text).toContain('DTEND;TZID=Asia/Shanghai:20261125T210000\r\n');
    expect(res.text).toContain('BEGIN:VTIMEZONE\r\nTZID:Asia/Shanghai');
    expect(res.text).toContain(`UID:${booking.id}@`);
    await t.http().get(`/api/v1/reservations/${booking.id}.ics`).set('authorization', people.bob.token).expect(404);
  });

  it('a private feed URL lists my upcoming bookings without signing in; a wrong token is 404', async () => {
    const standing = await t.http().get(`/api/v1/me/booking-standing?city=${ZHENGZHOU}`).set('authorization', people.alice.token);
    const feed = await t.http().get(standing.body.calendarFeedPath);
    expect(feed.status).toBe(200);
    expect(feed.text.match(/BEGIN:VEVENT/g)).toHaveLength(3);
    await t.http().get('/api/v1/calendar/not-the-right-token-at-all.ics').expect(404);
  });
});

describe('the operator console', () => {
  it('the day grid shows every court and booking, with holders masked; other venues’ staff are refused', async () => {
    const res = await t.http().get(`/api/v1/venues/${ids.venue}/bookings?date=2026-11-25`).set('authorization', people.operator.token);
    expect(res.status).toBe(200);
    expect(res.body.resources).toHaveLength(4);
    const alice = res.body.bookings.find((b: { start: string; resourceId: string }) => b.start === at('2026-11-25T19:00:00') && b.resourceId === ids.court1);
    expect(alice.holder.phoneMasked).toBe(`${people.alice.phone.slice(0, 3)}****${people.alice.phone.slice(7)}`);
    expect(JSON.stringify(res.body)).not.toContain(people.alice.phone);
    await t.http().get(`/api/v1/venues/${ids.venue}/bookings?date=2026-11-25`).set('authorization', people.otherOperator.token).expect(403);
    await t.http().get(`/api/v1/venues/${ids.venue}/bookings?date=2026-11-25`).set('authorization', people.bob.token).expect(403);
  });

  it('blocking a court cancels the bookings in the way without penalty and tells their holders', async () => {
    const before = await book(people.bob, ids.court2, '2026-11-27T19:00:00', '2026-11-27T20:00:00');
    expect(before.status).toBe(201);
    const res = await t
      .http()
      .post(`/api/v1/venues/${ids.venue}/blocks`)
      .set('authorization', people.operator.token)
      .send({ resourceIds: [ids.court2], start: at('2026-11-27T18:00:00'), end: at('2026-11-27T22:00:00'), reason: '地板维护' });
    expect(res.status).toBe(201);
    expect(res.body.cancelled.map((c: { id: string }) => c.id)).toEqual([before.body.id]);
    const inbox = await t.http().get('/api/v1/me/notifications').set('authorization', people.bob.token);
    expect(inbox.body[0].body).toContain('地板维护');
    const availability = await t.http().get(`/api/v1/venues/${ids.venue}/availability?date=2026-11-27`);
    const court2 = availability.body.resources.find((r: { id: string }) => r.id === ids.court2);
    expect(court2.slots.find((s: { start: string }) => s.start === at('2026-11-27T19:00:00')).status).toBe('closed');
    expect((await book(people.carol, ids.court2, '2026-11-27T20:00:00', '2026-11-27T21:00:00')).body.code).toBe('SLOT_TAKEN');
    const [row] = await t.database.db.select().from(schema.reservations).where(eq(schema.reservations.id, before.body.id));
    expect(row!.cancelledWithoutPenalty).toBe(true);
  });

  it('a block over a visitor who has already checked in is refused, and cancels nothing', async () => {
    // Grace checked in for court 1 at 15:00 on the 25th (see “checking in at the gate”).
    const before = await t.database.db.select({ n: count() }).from(schema.reservations).where(eq(schema.reservations.status, 'cancelled'));
    const res = await t
      .http()
      .post(`/api/v1/venues/${ids.venue}/blocks`)
      .set('authorization', people.operator.token)
      .send({ resourceIds: [ids.court1], start: at('2026-11-25T14:00:00'), end: at('2026-11-25T16:00:00'), reason: '临时检修' });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('SLOT_TAKEN');
    const after = await t.database.db.select({ n: count() }).from(schema.reservations).where(eq(schema.reservations.status, 'cancelled'));
    expect(after[0]!.n).toBe(before[0]!.n);
  });

  it('a club’s weekly booking lists its conflicts instead of skipping them silently', async () => {
    const body = {
      resourceId: ids.court1,
      weekday: 3,
      startTime: '19:00',
      endTime: '21:00',
      fromDate: '2026-11-25',
      toDate: '2026-12-16',
      holderPhone: people.dave.phone,
      note: '金水羽毛球俱乐部周三训练',
    };
    const preview = await t.http().post(`/api/v1/venues/${ids.venue}/series`).set('authorization', people.operator.token).send({ ...body, dryRun: true });
    expect(preview.status).toBe(200);
    expect(preview.body.seriesId).toBeNull();
    // Alice holds 19:00–21:00 on Wednesday the 25th.
    expect(preview.body.conflicts).toEqual([expect.objectContaining({ date: '2026-11-25', reason: 'taken' })]);
    expect(preview.body.created.map((c: { date: string }) => c.date)).toEqual(['2026-12-02', '2026-12-09', '2026-12-16']);
    const res = await t.http().post(`/api/v1/venues/${ids.venue}/series`).set('authorization', people.operator.token).send(body);
    expect(res.body.created).toHaveLength(3);
    const [rows] = await t.database.db.select({ n: count() }).from(schema.reservations).where(eq(schema.reservations.seriesId, res.body.seriesId));
    expect(rows!.n).toBe(3);
  });

  it('a weekly booking that ends before it starts is refused on endTime, not a server error', async () => {
    const res = await t
      .http()
      .post(`/api/v1/venues/${ids.venue}/series`)
      .set('authorization', people.operator.token)
      .send({
        resourceId: ids.court2,
        weekday: 2,
        startTime: '21:00',
        endTime: '19:00',
        fromDate: '2026-12-01',
        toDate: '2026-12-22',
        holderPhone: people.dave.phone,
        note: '时间填反了',
      });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(res.body.errors).toEqual([expect.objectContaining({ field: 'endTime' })]);
  });
});

// Last: these change the venue's and the city's rules.
describe('settings', () => {
  it('the operator sets the venue’s booking settings; the grid follows; bad settings are refused', async () => {
    const bad = await t
      .http()
      .put(`/api/v1/venues/${ids.venue}/booking-settings`)
      .set('authorization', people.operator.token)
      .send({ slotMinutes: 30, minSlots: 3, maxSlots: 2, windowDays: 7, releaseTime: '12:00', cancelHours: 2, defaultPriceFen: 0, bands: [] });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].field).toBe('minSlots');
    const odd = await t
      .http()
      .put(`/api/v1/venues/${ids.venue}/booking-settings`)
      .set('authorization', people.operator.token)
      .send({ slotMinutes: 45, minSlots: 1, maxSlots: 2, windowDays: 7, releaseTime: '12:00', cancelHours: 2, defaultPriceFen: 0, bands: [] });
    expect(odd.status).toBe(400);
    await t
      .http()
      .put(`/api/v1/venues/${ids.venue}/booking-settings`)
      .set('authorization', people.otherOperator.token)
      .send({ slotMinutes: 30, minSlots: 1, maxSlots: 4, windowDays: 7, releaseTime: '12:00', cancelHours: 2, defaultPriceFen: 1000, bands: [] })
      .expect(403);
    const ok = await t
      .http()
      .put(`/api/v1/venues/${ids.venue}/booking-settings`)
      .set('authorization', people.operator.token)
      .send({ slotMinutes: 30, minSlots: 1, maxSlots: 4, windowDays: 7, releaseTime: '12:00', cancelHours: 2, defaultPriceFen: 1000, bands: [] });
    expect(ok.status).toBe(200);
    const grid = await t.http().get(`/api/v1/venues/${ids.venue}/availability?date=2026-11-26`);
    const court3 = grid.body.resources.find((r: { id: string }) => r.id === ids.court3);
    expect(court3.settings.slotMinutes).toBe(30);
    expect(court3.slots[0]).toMatchObject({ start: at('2026-11-26T08:00:00'), end: at('2026-11-26T08:30:00'), priceFen: 1000 });
  });

  it('a court’s own settings override the venue’s, and null returns it to them', async () => {
    const own = { slotMinutes: 120, minSlots: 1, maxSlots: 1, windowDays: 7, releaseTime: '12:00', cancelHours: 2, defaultPriceFen: 0, bands: [] };
    await t.http().put(`/api/v1/venues/${ids.venue}/resources/${ids.court3}/booking-settings`).set('authorization', people.operator.token).send(own).expect(204);
    const grid = await t.http().get(`/api/v1/venues/${ids.venue}/availability?date=2026-11-26`);
    expect(grid.body.resources.find((r: { id: string }) => r.id === ids.court3).settings.slotMinutes).toBe(120);
    expect(grid.body.resources.find((r: { id: string }) => r.id === ids.court1).settings.slotMinutes).toBe(30);
    await t.http().put(`/api/v1/venues/${ids.venue}/resources/${ids.court3}/booking-settings`).set('authorization', people.operator.token).send(null as never).set('content-type', 'application/json').expect(204);
  });

  it('a request without any body does not reset a court’s settings: only an explicit null does', async () => {
    const own = { slotMinutes: 120, minSlots: 1, maxSlots: 1, windowDays: 7, releaseTime: '12:00', cancelHours: 2, defaultPriceFen: 0, bands: [] };
    const url = `/api/v1/venues/${ids.venue}/resources/${ids.court3}/booking-settings`;
    await t.http().put(url).set('authorization', people.operator.token).send(own).expect(204);
    const res = await t.http().put(url).set('authorization', people.operator.token);
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    const grid = await t.http().get(`/api/v1/venues/${ids.venue}/availability?date=2026-11-26`);
    expect(grid.body.resources.find((r: { id: string }) => r.id === ids.court3).settings.slotMinutes).toBe(120);
    await t.http().put(url).set('authorization', people.operator.token).send(null as never).set('content-type', 'application/json').expect(204);
  });

  it('the city bureau sets the resident rules; others may not; the new limit applies at once', async () => {
    const rules = { maxUpcoming: 1, maxHoursPerDayPerSport: 2, noShowGraceMinutes: 15, noShowLimit: 3, noShowWindowDays: 60, suspensionDays: 30 };
    await t.http().put(`/api/v1/cities/${ZHENGZHOU}/booking-rules`).set('authorization', people.operator.token).send(rules).expect(403);
    const badRules = await t.http().put(`/api/v1/cities/${ZHENGZHOU}/booking-rules`).set('authorization', people.operator.token).send({ ...rules, maxUpcoming: 0 });
    expect(badRules.status).toBe(400);
    const cityAdmin = await insertUser(t.database.db, [{ role: 'bureau_admin' as never, organisationId: orgs.zzBureau.id }]);
    const token = `Bearer ${t.app.jwt.sign({ sub: cityAdmin.id })}`;
    await t.http().put(`/api/v1/cities/${ZHENGZHOU}/booking-rules`).set('authorization', token).send(rules).expect(200);
    // School quotas the request left out keep their values (defaults here).
    expect((await t.http().get(`/api/v1/cities/${ZHENGZHOU}/booking-rules`)).body).toEqual({ ...rules, schoolPerSchoolPerDay: 1, schoolPerWeek: 3 });
    const school = await t.http().put(`/api/v1/cities/${ZHENGZHOU}/booking-rules`).set('authorization', token).send({ ...rules, schoolPerWeek: 5 });
    expect(school.body).toEqual({ ...rules, schoolPerSchoolPerDay: 1, schoolPerWeek: 5 });
    await t.http().put(`/api/v1/cities/${ZHENGZHOU}/booking-rules`).set('authorization', token).send(rules).expect(200);
    expect((await t.http().get(`/api/v1/cities/${ZHENGZHOU}/booking-rules`)).body.schoolPerWeek).toBe(5);
    // Bob already holds an upcoming booking: with a limit of one, the next is refused.
    const res = await book(people.bob, ids.court1, '2026-11-26T08:00:00', '2026-11-26T08:30:00');
    expect(res.body.code).toBe('QUOTA_EXCEEDED');
    const audit = await t.database.db.select().from(schema.auditLog).where(eq(schema.auditLog.action, 'city.booking_rules'));
    expect(audit).toHaveLength(3);
  });

  it('a message is marked read once, only by its owner', async () => {
    const inbox = await t.http().get('/api/v1/me/notifications').set('authorization', people.bob.token);
    const first = inbox.body[0];
    expect(first.readAt).toBeNull();
    // Someone else's message is not found, as one that does not exist is: the same answer, nothing revealed.
    await t.http().post(`/api/v1/me/notifications/${first.id}/read`).set('authorization', people.alice.token).expect(404);
    expect((await t.http().get('/api/v1/me/notifications').set('authorization', people.bob.token)).body[0].readAt).toBeNull();
    await t.http().post(`/api/v1/me/notifications/${first.id}/read`).set('authorization', people.bob.token).expect(204);
    expect((await t.http().get('/api/v1/me/notifications').set('authorization', people.bob.token)).body[0].readAt).not.toBeNull();
  });
});
