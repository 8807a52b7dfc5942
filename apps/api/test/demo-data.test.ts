import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { count, eq, sql } from 'drizzle-orm';
import { schema } from '@sports/db';
import { addDays, localDate } from '@sports/domain';
import { DEMO_PASSWORD, DEMO_RESIDENT_COUNT, DEMO_STAFF, demoResidentPhone, loadDemoData } from '@sports/seeds';
import { runKpiSweep } from '../src/services/dashboard/kpi-rollups.ts';
import { extendSchoolSessions } from '../src/services/schools/school-plans.ts';
import { createTestApp, type TestApp } from './support/app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  expect(await loadDemoData(t.database.db, { onlyIfEmpty: true })).toBe(true);
});
afterAll(() => t.close());

const signIn = (phone: string) => t.http().post('/api/v1/auth/login').send({ phone, password: DEMO_PASSWORD });

describe('the demo data', () => {
  it.each(DEMO_STAFF.map((s) => [s.phone, s.roles[0]!.role] as const))(
    'staff account %s signs in with the role %s',
    async (phone, role) => {
      const res = await signIn(phone);
      expect(res.status).toBe(200);
      expect(res.body.user.roles.map((r: { role: string }) => r.role)).toEqual([role]);
    },
  );

  it('places the Zhengzhou admin in the Zhengzhou city bureau and the Ordos admin in Ordos', async () => {
    const zz = await signIn('13900000001');
    expect(zz.body.user.roles[0].organisation).toMatchObject({ name: '郑州市体育局', cityCode: '410100', districtCode: null });
    const ordos = await signIn('13900000005');
    expect(ordos.body.user.roles[0].organisation).toMatchObject({ name: '鄂尔多斯市体育局', cityCode: '150600' });
  });

  it('the technician works for the same company as the operator', async () => {
    const operator = await signIn('13900000002');
    const technician = await signIn('13900000004');
    expect(technician.body.user.roles[0].organisation.id).toBe(operator.body.user.roles[0].organisation.id);
  });

  it(`has ${DEMO_RESIDENT_COUNT} residents, the first and the last of whom sign in with no staff role`, async () => {
    for (const phone of [demoResidentPhone(1), demoResidentPhone(DEMO_RESIDENT_COUNT)]) {
      const res = await signIn(phone);
      expect(res.status).toBe(200);
      expect(res.body.user.roles).toEqual([]);
    }
    const [residents] = await t.database.db
      .select({ n: count() })
      .from(schema.users)
      .where(eq(schema.users.displayName, `居民${String(DEMO_RESIDENT_COUNT).padStart(3, '0')}`));
    expect(residents!.n).toBe(1);
  });

  it('has both cities with every district of the shared data, and a bureau for each district', async () => {
    const regions = await t.database.db.select().from(schema.regions);
    expect(regions.filter((r) => r.level === 'city').map((r) => r.code).sort()).toEqual(['150600', '410100']);
    expect(regions.filter((r) => r.cityCode === '410100' && r.level === 'district')).toHaveLength(16);
    expect(regions.filter((r) => r.cityCode === '150600' && r.level === 'district')).toHaveLength(9);
    const [bureaus] = await t.database.db
      .select({ n: count() })
      .from(schema.organisations)
      .where(eq(schema.organisations.kind, 'bureau'));
    expect(bureaus!.n).toBe(2 + 16 + 9);
    const demoFlags = await t.database.db.selectDistinct({ isDemo: schema.organisations.isDemo }).from(schema.organisations);
    expect(demoFlags).toEqual([{ isDemo: true }]);
  });

  it('has at least 60 venues in each city, spread over its districts, every real one from the shared data', async () => {
    const venues = await t.database.db.select().from(schema.venues);
    for (const city of ['410100', '150600']) {
      const inCity = venues.filter((v) => v.cityCode === city);
      expect(inCity.length).toBeGreaterThanOrEqual(60);
      const districts = new Set(inCity.map((v) => v.districtCode));
      expect(districts.size).toBe(city === '410100' ? 16 : 9);
    }
    const real = venues.filter((v) => !v.isDemo);
    expect(real).toHaveLength(24);
    expect(real.map((v) => v.name)).toContain('郑州奥林匹克体育中心');
    expect(venues.filter((v) => v.isDemo).every((v) => v.name.endsWith('（演示）'))).toBe(true);
    // Placed near their district seat because the source has no coordinate: marked approximate.
    expect(real.find((v) => v.name === '郑州市体育馆')!.locationApproximate).toBe(true);
  });

  it('gives every venue resources and hours, and the demo operator and school admin venues to manage', async () => {
    const operator = await signIn('13900000002');
    const managed = await t.http().get('/api/v1/venues?managed=true').set('authorization', `Bearer ${operator.body.accessToken}`);
    expect(managed.body.total).toBeGreaterThan(5);
    const schoolAdmin = await signIn('13900000003');
    const school = await t.http().get('/api/v1/venues?managed=true').set('authorization', `Bearer ${schoolAdmin.body.accessToken}`);
    expect(school.body.total).toBeGreaterThan(0);
    expect(school.body.items.every((v: { kind: string }) => v.kind === 'school')).toBe(true);
    const [withoutResources] = await t.database.db
      .select({ n: count() })
      .from(schema.venues)
      .where(sql`not exists (select 1 from venue_resources r where r.venue_id = venues.id)`);
    expect(withoutResources!.n).toBe(0);
    const [withoutHours] = await t.database.db.select({ n: count() }).from(schema.venues).where(sql`weekly_hours = '{}'::jsonb`);
    expect(withoutHours!.n).toBe(0);
  });

  it('has QR-labelled equipment on demo venues only: courts of the demo operator and school, machines along a park’s fitness path', async () => {
    const rows = await t.database.db
      .select({ asset: schema.assets, venueName: schema.venues.name, isDemo: schema.venues.isDemo, resourceVenue: schema.venueResources.venueId })
      .from(schema.assets)
      .innerJoin(schema.venues, eq(schema.venues.id, schema.assets.venueId))
      .leftJoin(schema.venueResources, eq(schema.venueResources.id, schema.assets.resourceId));
    expect(rows.every((r) => r.isDemo)).toBe(true);
    expect(rows.every((r) => r.asset.resourceId === null || r.resourceVenue === r.asset.venueId)).toBe(true);
    expect(rows.filter((r) => r.asset.type === 'basketball_hoop').length).toBeGreaterThanOrEqual(4);
    const path = rows.filter((r) => ['walker', 'air_walker', 'back_massager', 'horizontal_bar', 'parallel_bars', 'rider', 'twister'].includes(r.asset.type));
    expect(new Set(path.map((r) => r.asset.venueId)).size).toBe(1);
    expect(path.map((r) => r.asset.type)).toEqual(expect.arrayContaining(['walker', 'air_walker', 'back_massager', 'horizontal_bar', 'parallel_bars', 'rider', 'twister']));
    expect(path.every((r) => r.asset.lat !== null && r.asset.lng !== null)).toBe(true);
    expect(new Set(rows.map((r) => r.asset.status))).toEqual(new Set(['ok', 'degraded', 'out_of_service']));

    const operator = await signIn('13900000002');
    const register = await t.http().get('/api/v1/assets?pageSize=100').set('authorization', `Bearer ${operator.body.accessToken}`);
    expect(register.body.total).toBeGreaterThan(0);
    expect(new Set(register.body.items.map((a: { serviceLife: string }) => a.serviceLife))).toContain('warranty_expired');
    const machine = path.find((r) => r.asset.type === 'walker')!;
    const scanned = await t.http().get(`/api/v1/assets/by-code/${machine.asset.code}`);
    expect(scanned.status).toBe(200);
    expect(scanned.body).toMatchObject({ type: 'walker', typeName: { zh: '漫步机' }, venue: { name: machine.venueName } });
  });

  it('has the Open311 client the README lists: its key posts a request that the Zhengzhou bureau’s district gets', async () => {
    const res = await t
      .http()
      .post('/open311/v2/requests.json')
      .set('content-type', 'application/x-www-form-urlencoded')
      .send('api_key=demo-open311-key&service_code=walker&attribute%5Bfault%5D=pedal_loose&lat=34.7465&long=113.6253');
    expect(res.status, res.text).toBe(201);
    const [ticket] = await t.database.db
      .select({ source: schema.tickets.source, cityCode: schema.organisations.cityCode, kind: schema.organisations.kind })
      .from(schema.tickets)
      .innerJoin(schema.organisations, eq(schema.organisations.id, schema.tickets.organisationId))
      .where(eq(schema.tickets.code, res.body[0].service_request_id));
    expect(ticket).toEqual({ source: 'open311', cityCode: '410100', kind: 'bureau' });
    const wrong = await t.http().post('/open311/v2/requests.json').set('content-type', 'application/x-www-form-urlencoded').send('api_key=demo-open311-kez&service_code=walker');
    expect(wrong.status).toBe(403);
  });

  it('has four weeks of past club bookings for the dashboard, none from today on and none held by a resident', async () => {
    const [row] = (
      (await t.database.db.execute(sql`
        select count(*)::int as n, max(upper(r.during)) <= date_trunc('day', now() at time zone 'Asia/Shanghai') at time zone 'Asia/Shanghai' as all_past,
               count(distinct r.user_id)::int as holders, bool_and(r.status = 'completed' and r.kind = 'series') as completed_series
        from ${schema.reservations} r where r.note = '俱乐部包场（演示）'`)) as unknown as { rows: { n: number; all_past: boolean; holders: number; completed_series: boolean }[] }
    ).rows;
    expect(row!.n).toBeGreaterThan(1000);
    expect(row).toMatchObject({ all_past: true, holders: 1, completed_series: true });
  });

  it('gives the dashboard figures a bureau can read: the first sweep backfills from the earliest booking, and no court is booked beyond its open hours', async () => {
    const now = new Date();
    await runKpiSweep(t.database.db, now);
    const [oldest] = (
      (await t.database.db.execute(sql`select min(day)::text as day from ${schema.kpiResourceDays}`)) as unknown as { rows: { day: string }[] }
    ).rows;
    const today = localDate(now, 'Asia/Shanghai');
    expect(oldest!.day >= addDays(today, -29)).toBe(true);
    const login = await signIn('13900000001');
    const res = await t
      .http()
      .get(`/api/v1/kpis?city=410100&from=${addDays(today, -28)}&to=${addDays(today, -1)}`)
      .set('authorization', `Bearer ${login.body.accessToken}`);
    expect(res.status).toBe(200);
    const utilisation = res.body.kpis.find((k: { key: string }) => k.key === 'utilisation').value;
    expect(utilisation).toBeGreaterThan(0.1);
    expect(utilisation).toBeLessThan(0.6);
    for (const venue of res.body.venues) expect(venue.kpis.utilisation ?? 0, venue.name).toBeLessThanOrEqual(1);
  });

  it('is not loaded twice', async () => {
    expect(await loadDemoData(t.database.db, { onlyIfEmpty: true })).toBe(false);
    const [users] = await t.database.db.select({ n: count() }).from(schema.users);
    expect(users!.n).toBe(DEMO_STAFF.length + DEMO_RESIDENT_COUNT);
  });

  it('refuses to run when NODE_ENV=production', async () => {
    const previous = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      await expect(loadDemoData(t.database.db, { onlyIfEmpty: false })).rejects.toThrow(/production/);
    } finally {
      process.env.NODE_ENV = previous;
    }
  });

  it('every demo school has a safety pledge, and its venues open to residents this week', async () => {
    const added = await extendSchoolSessions(t.database.db, new Date());
    expect(added).toBeGreaterThan(0);
    const sessions = await t.http().get('/api/v1/school-sessions?city=410100&district=410105');
    expect(sessions.status).toBe(200);
    expect(sessions.body.total).toBeGreaterThan(0);
    const first = sessions.body.items[0];
    expect(first).toMatchObject({ schoolName: '郑州市金水区示范中学（演示）', capacity: 50, status: 'open' });
    const pledge = await t.http().get(`/api/v1/schools/${first.organisationId}/pledge`);
    expect(pledge.body).toMatchObject({ version: 1, title: '学校体育场地开放安全承诺书' });
    const admin = await signIn('13900000003');
    const plans = await t.http().get('/api/v1/school-plans').set('authorization', `Bearer ${admin.body.accessToken}`);
    expect(plans.body.total).toBeGreaterThan(0);
    expect(plans.body.items.every((p: { status: string }) => p.status === 'published')).toBe(true);
  });
});
