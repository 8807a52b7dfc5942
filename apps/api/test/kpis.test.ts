import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schema } from '@sports/db';
import { addDays } from '@sports/domain';
import { refreshKpiRange } from '../src/services/dashboard/kpi-rollups.ts';
import { splitPeriod } from '../src/services/dashboard/kpis.ts';
import { createTestApp, type TestApp } from './support/app.ts';
import { JINSHUI, ZHENGZHOU, ZHONGYUAN, insertCityFixture, insertOrganisation, insertUser } from './support/fixtures.ts';

/**
 * The dashboard's figures against a hand-computed fixture: one court in 金水区 open 08:00–22:00 every
 * day (14 h), two bookings that came due in the period (2 h attended, 1 h no-show), one cancelled;
 * a school venue with no sessions; 4 assets, 3 in order. Period Monday 2026-11-02 … Tuesday 11-03.
 */
const now = new Date('2026-11-24T10:00:00+08:00');
const week = Object.fromEntries([1, 2, 3, 4, 5, 6, 7].map((d) => [d, [{ start: '08:00', end: '22:00' }]]));
const at = (local: string) => new Date(`${local}+08:00`).toISOString();

let t: TestApp;
let orgs: Awaited<ReturnType<typeof insertCityFixture>>;
const people = {} as Record<'cityBureau' | 'jinshuiBureau' | 'zhongyuanBureau' | 'operator' | 'resident', { id: string; token: string }>;
let venueId: string;
let courtId: string;

const kpis = (who: { token: string }, query: string) => t.http().get(`/api/v1/kpis?${query}`).set('authorization', who.token);
const valueOf = (body: { kpis: { key: string; value: number | null }[] }, key: string) => body.kpis.find((k) => k.key === key)?.value;

beforeAll(async () => {
  t = await createTestApp({}, () => now);
  const db = t.database.db;
  orgs = await insertCityFixture(db);
  const zhongyuanBureau = await insertOrganisation(db, { kind: 'bureau', name: '中原区体育局', cityCode: ZHENGZHOU, districtCode: ZHONGYUAN, parentId: orgs.zzBureau.id });
  for (const [name, roles] of [
    ['cityBureau', [{ role: 'bureau_admin', organisationId: orgs.zzBureau.id }]],
    ['jinshuiBureau', [{ role: 'bureau_admin', organisationId: orgs.jinshuiBureau.id }]],
    ['zhongyuanBureau', [{ role: 'bureau_admin', organisationId: zhongyuanBureau.id }]],
    ['operator', [{ role: 'operator', organisationId: orgs.venueCo.id }]],
    ['resident', []],
  ] as const) {
    const user = await insertUser(db, [...roles]);
    people[name] = { id: user.id, token: `Bearer ${t.app.jwt.sign({ sub: user.id })}` };
  }
  const place = { cityCode: ZHENGZHOU, districtCode: JINSHUI, lat: 34.78, lng: 113.66 };
  const [gym] = await db
    .insert(schema.venues)
    .values([
      { ...place, name: '金水全民健身馆', kind: 'gym', organisationId: orgs.venueCo.id, priceLevel: 'low', weeklyHours: week, holidayRule: 'as_weekend' },
      { ...place, name: '金水区甲中学运动场', kind: 'school', organisationId: orgs.schoolX.id, priceLevel: 'free' },
    ])
    .returning({ id: schema.venues.id });
  venueId = gym!.id;
  const [court] = await db.insert(schema.venueResources).values({ venueId, name: '1号场', sport: 'badminton', mode: 'exclusive' }).returning({ id: schema.venueResources.id });
  courtId = court!.id;
  const resident = people.resident.id;
  const booking = (code: string, start: string, end: string, status: 'completed' | 'no_show' | 'cancelled') => ({
    code,
    resourceId: courtId,
    venueId,
    userId: resident,
    during: `[${at(start)},${at(end)})`,
    sport: 'badminton',
    status,
  });
  await db.insert(schema.reservations).values([
    booking('KPQA2222', '2026-11-02T19:00:00', '2026-11-02T21:00:00', 'completed'),
    booking('KPQB2222', '2026-11-03T10:00:00', '2026-11-03T11:00:00', 'no_show'),
    booking('KPQC2222', '2026-11-03T15:00:00', '2026-11-03T16:00:00', 'cancelled'),
  ]);
  await db.insert(schema.assets).values(
    ['ok', 'ok', 'ok', 'degraded'].map((status, i) => ({
      venueId,
      code: `KPQAS${'2345'[i]}22`,
      type: 'net' as const,
      name: `球网${i + 1}`,
      installDate: '2024-01-01',
      serviceLifeYears: 3,
      status: status as 'ok' | 'degraded',
    })),
  );
  // Repairs: two resolved in the period after 10 h and 30 h (due at 72 h; the second late by its own
  // 24 h promise), one open and overdue, one open at a bare point in 中原区.
  const reported = new Date('2026-11-02T08:00:00+08:00');
  const hours = (h: number) => new Date(reported.getTime() + h * 3_600_000);
  const ticket = { organisationId: orgs.venueCo.id, venueId, category: 'net' as const, fault: 'net_torn', reporterPhone: '13700000000', createdAt: reported };
  await db.insert(schema.tickets).values([
    { ...ticket, code: 'KPQT2222', state: 'resolved', dueAt: hours(72), resolvedAt: hours(10) },
    { ...ticket, code: 'KPQT3222', state: 'closed', dueAt: hours(24), resolvedAt: hours(30), closedAt: hours(40) },
    { ...ticket, code: 'KPQT4222', state: 'dispatched', dueAt: hours(72) },
    // Neither counts as a repair in the period: a duplicate, and one resolved before the period began.
    { ...ticket, code: 'KPQT6222', state: 'duplicate', dueAt: hours(72), resolvedAt: hours(1) },
    { ...ticket, code: 'KPQT7222', state: 'closed', createdAt: hours(-100), dueAt: hours(-28), resolvedAt: hours(-50), closedAt: hours(-40) },
    { ...ticket, code: 'KPQT5222', state: 'submitted', dueAt: new Date(now.getTime() + 3_600_000), venueId: null, organisationId: zhongyuanBureau.id, lat: 34.75, lng: 113.61 },
  ]);
  await refreshKpiRange(t.database.db, '2026-10-30', '2026-11-05', now);
});
afterAll(() => t.close());

describe('GET /api/v1/kpis', () => {
  it('matches the hand-computed figures, each with its unit and target', async () => {
    const res = await kpis(people.cityBureau, `city=${ZHENGZHOU}&from=2026-11-02&to=2026-11-03`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const body = res.body;
    expect(body.city).toEqual({ code: ZHENGZHOU, name: '郑州市' });
    expect(body.district).toBeNull();
    // 3 h booked (2 + 1; the cancelled hour is not) of 28 h open.
    expect(valueOf(body, 'utilisation')).toBeCloseTo(180 / 1680, 10);
    expect(valueOf(body, 'no_show_rate')).toBe(0.5);
    expect(valueOf(body, 'venues')).toBe(2);
    expect(valueOf(body, 'resources')).toBe(1);
    expect(valueOf(body, 'good_order_rate')).toBe(0.75);
    expect(valueOf(body, 'free_low_hours')).toBe(28);
    // The gym is a public low-price venue open 98 h a week with 14 h weekends and holidays as weekends.
    expect(valueOf(body, 'opening_compliance')).toBe(1);
    expect(valueOf(body, 'school_open_ratio')).toBe(0);
    expect(valueOf(body, 'median_hours_to_resolve')).toBe(20);
    expect(valueOf(body, 'sla_compliance')).toBe(0.5);
    expect(valueOf(body, 'tickets_open')).toBe(2);
    expect(valueOf(body, 'tickets_overdue')).toBe(1);
    const school = body.kpis.find((k: { key: string }) => k.key === 'school_open_ratio');
    expect(school).toMatchObject({ unit: 'ratio', target: 0.6, meetsTarget: false, label: { zh: '学校场地开放率', en: 'School venues open' } });
    expect(body.kpis.find((k: { key: string }) => k.key === 'good_order_rate')).toMatchObject({ target: 0.95, meetsTarget: false });
    expect(body.kpis.find((k: { key: string }) => k.key === 'utilisation')).toMatchObject({ unit: 'ratio', target: null, meetsTarget: null });

    // Heatmap: Monday 19:00 and 20:00, Tuesday 10:00 fully booked; Monday 08:00 open and empty.
    const cell = (weekday: number, hour: number) => body.heatmap.find((c: { weekday: number; hour: number }) => c.weekday === weekday && c.hour === hour);
    expect(body.heatmap).toHaveLength(7 * 24);
    expect(cell(1, 19)).toEqual({ weekday: 1, hour: 19, bookedHours: 1, openHours: 1, value: 1 });
    expect(cell(1, 20)).toMatchObject({ value: 1 });
    expect(cell(2, 10)).toMatchObject({ value: 1 });
    expect(cell(1, 8)).toMatchObject({ bookedHours: 0, openHours: 1, value: 0 });
    expect(cell(3, 12)).toMatchObject({ openHours: 0, value: null });
    expect(body.utilisationBySport).toEqual([{ sport: 'badminton', bookedHours: 3, openHours: 28, value: 180 / 1680 }]);
    expect(body.venuesByKind).toEqual(expect.arrayContaining([{ kind: 'gym', venues: 1, resources: 1 }, { kind: 'school', venues: 1, resources: 0 }]));

    // Drill-down: 金水区 has everything; 中原区 nothing.
    const jinshui = body.districts.find((d: { code: string }) => d.code === JINSHUI);
    expect(jinshui.kpis).toMatchObject({ venues: 2, utilisation: 180 / 1680, no_show_rate: 0.5 });
    expect(jinshui.kpis).toMatchObject({ tickets_open: 1, tickets_overdue: 1, median_hours_to_resolve: 20 });
    expect(body.districts.find((d: { code: string }) => d.code === ZHONGYUAN).kpis).toMatchObject({ venues: 0, utilisation: null, good_order_rate: null, tickets_open: 1, tickets_overdue: 0 });
    expect(body.venues.find((x: { id: string }) => x.id === venueId).kpis).toMatchObject({ utilisation: 180 / 1680, good_order_rate: 0.75 });
  });

  it('whole months come from the month rollups and the edges from the day rows, with the same sums', async () => {
    // Rollups hold 2026-10-30 … 11-05: 7 days × 14 h open, the same 3 h booked.
    for (const range of ['from=2026-10-01&to=2026-11-30', 'from=2026-10-15&to=2026-11-30', 'from=2026-10-30&to=2026-11-05', 'from=2026-11-01&to=2026-11-30']) {
      const res = await kpis(people.cityBureau, `city=${ZHENGZHOU}&${range}`);
      expect(res.status, range).toBe(200);
      const days = range.includes('11-01&to=2026-11-30') ? 5 : 7;
      expect(valueOf(res.body, 'utilisation'), range).toBeCloseTo(180 / (days * 14 * 60), 10);
      expect(valueOf(res.body, 'no_show_rate'), range).toBe(0.5);
      const monday19 = res.body.heatmap.find((c: { weekday: number; hour: number }) => c.weekday === 1 && c.hour === 19);
      expect(monday19.bookedHours, range).toBe(1);
    }
  });

  it('splits a period into whole months and the days at either edge', () => {
    expect(splitPeriod('2026-11-02', '2026-11-03')).toEqual({ months: [], edges: [['2026-11-02', '2026-11-03']] });
    expect(splitPeriod('2026-11-01', '2026-11-30')).toEqual({ months: ['2026-11-01'], edges: [] });
    expect(splitPeriod('2025-11-24', '2026-11-23')).toEqual({
      months: ['2025-12-01', '2026-01-01', '2026-02-01', '2026-03-01', '2026-04-01', '2026-05-01', '2026-06-01', '2026-07-01', '2026-08-01', '2026-09-01', '2026-10-01'],
      edges: [
        ['2025-11-24', '2025-11-30'],
        ['2026-11-01', '2026-11-23'],
      ],
    });
    expect(splitPeriod('2026-02-01', '2026-02-28')).toEqual({ months: ['2026-02-01'], edges: [] });
  });

  it('an empty period has nothing to measure: rates are null, not zero', async () => {
    const res = await kpis(people.cityBureau, `city=${ZHENGZHOU}&from=2025-01-01&to=2025-01-31`);
    expect(res.status).toBe(200);
    expect(valueOf(res.body, 'utilisation')).toBeNull();
    expect(valueOf(res.body, 'no_show_rate')).toBeNull();
    expect(valueOf(res.body, 'free_low_hours')).toBe(0);
  });

  it('a district bureau sees its own district and nothing else; staff of venues and residents see none', async () => {
    const own = await kpis(people.zhongyuanBureau, `city=${ZHENGZHOU}&district=${ZHONGYUAN}&from=2026-11-02&to=2026-11-03`);
    expect(own.status).toBe(200);
    expect(own.body.district).toEqual({ code: ZHONGYUAN, name: '中原区' });
    expect(own.body.districts.map((d: { code: string }) => d.code)).toEqual([ZHONGYUAN]);
    expect(valueOf(own.body, 'venues')).toBe(0);
    // A district without schools has no school-open ratio to show.
    expect(valueOf(own.body, 'school_open_ratio')).toBeNull();
    for (const query of [`city=${ZHENGZHOU}`, `city=${ZHENGZHOU}&district=${JINSHUI}`, `city=150600`]) {
      expect((await kpis(people.zhongyuanBureau, `${query}&from=2026-11-02&to=2026-11-03`)).status, query).toBe(403);
    }
    expect((await kpis(people.jinshuiBureau, `city=${ZHENGZHOU}&district=${JINSHUI}&from=2026-11-02&to=2026-11-03`)).status).toBe(200);
    expect((await kpis(people.operator, `city=${ZHENGZHOU}&from=2026-11-02&to=2026-11-03`)).status).toBe(403);
    expect((await kpis(people.resident, `city=${ZHENGZHOU}&from=2026-11-02&to=2026-11-03`)).status).toBe(403);
    expect((await t.http().get(`/api/v1/kpis?city=${ZHENGZHOU}&from=2026-11-02&to=2026-11-03`)).status).toBe(401);
  });

  it('refuses bad periods field by field', async () => {
    for (const [query, field] of [
      [`city=${ZHENGZHOU}&from=2026-11-03&to=2026-11-02`, 'to'],
      [`city=${ZHENGZHOU}&from=2026-02-30&to=2026-03-02`, 'from'],
      [`city=${ZHENGZHOU}&from=2025-01-01&to=2026-12-31`, 'to'],
      [`city=${ZHENGZHOU}&to=2026-12-31`, 'from'],
      [`city=4101&from=2026-11-01&to=2026-11-02`, 'city'],
    ] as const) {
      const res = await kpis(people.cityBureau, query);
      expect(res.status, query).toBe(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual([field]);
    }
  });
});

describe('GET /api/v1/audit', () => {
  it('shows who changed what in the organisations the caller reaches, filtered by action, person and date', async () => {
    const set = await t.http().put(`/api/v1/organisations/${orgs.venueCo.id}/ticket-sla`).set('authorization', people.operator.token).send({ urgent: 12, normal: 48, low: 96 });
    expect(set.status).toBe(200);
    const mine = await t.http().get('/api/v1/audit?action=organisation.').set('authorization', people.operator.token);
    expect(mine.status).toBe(200);
    expect(mine.body.total, JSON.stringify(mine.body)).toBe(1);
    expect(mine.body.items[0]).toMatchObject({
      action: 'organisation.ticket_sla',
      organisation: { id: orgs.venueCo.id, name: '场馆运营公司' },
      actor: { id: people.operator.id, phone: expect.stringMatching(/^1\d{2}\*{4}\d{4}$/) },
      detail: { to: { urgent: 12, normal: 48, low: 96 } },
    });
    // The log is stamped by the database's clock, not the test's.
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
    const city = await t.http().get(`/api/v1/audit?actorId=${people.operator.id}&from=${today}&to=${today}`).set('authorization', people.cityBureau.token);
    expect(city.body.total).toBe(1);
    // The district bureau over 中原区 does not reach a city-wide operator.
    expect((await t.http().get('/api/v1/audit').set('authorization', people.zhongyuanBureau.token)).body.total).toBe(0);
    expect((await t.http().get('/api/v1/audit?action=organisation.').set('authorization', people.cityBureau.token).query({ from: addDays(today, 1) })).body.total).toBe(0);
    expect((await t.http().get('/api/v1/audit').set('authorization', people.resident.token)).status).toBe(403);
    const bad = await t.http().get('/api/v1/audit?from=2026-11-25&to=2026-11-01').set('authorization', people.cityBureau.token);
    expect(bad.status).toBe(400);
    expect((await t.http().get('/api/v1/audit?action=DROP%20TABLE').set('authorization', people.cityBureau.token)).status).toBe(400);
  });
});
