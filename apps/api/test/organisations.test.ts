import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, count, eq } from 'drizzle-orm';
import { schema } from '@sports/db';
import { createTestApp, type TestApp } from './support/app.ts';
import { JINSHUI, ORDOS, ZHONGYUAN, bearerFor, insertCityFixture, insertUser } from './support/fixtures.ts';

let t: TestApp;
let orgs: Awaited<ReturnType<typeof insertCityFixture>>;
const as: Record<string, string> = {};
const users: Record<string, { id: string; phone: string }> = {};

beforeAll(async () => {
  t = await createTestApp();
  const db = t.database.db;
  orgs = await insertCityFixture(db);
  users.cityAdmin = await insertUser(db, [{ role: 'bureau_admin', organisationId: orgs.zzBureau.id }]);
  users.districtAdmin = await insertUser(db, [{ role: 'bureau_admin', organisationId: orgs.jinshuiBureau.id }]);
  users.ordosAdmin = await insertUser(db, [{ role: 'bureau_admin', organisationId: orgs.ordosBureau.id }]);
  users.schoolXAdmin = await insertUser(db, [{ role: 'school_admin', organisationId: orgs.schoolX.id }]);
  users.operator = await insertUser(db, [
    { role: 'operator', organisationId: orgs.venueCo.id },
    { role: 'technician', organisationId: orgs.venueCo.id },
  ]);
  users.resident = await insertUser(db);
  for (const [name, user] of Object.entries(users)) as[name] = await bearerFor(t.app, user.phone);
});
afterAll(() => t.close());

const auditRows = async (action: string, targetId: string) =>
  t.database.db
    .select()
    .from(schema.auditLog)
    .where(and(eq(schema.auditLog.action, action), eq(schema.auditLog.targetId, targetId)));

describe('who sees which organisation', () => {
  it('a school admin of school X sees X and gets 403 on school Y', async () => {
    await t.http().get(`/api/v1/organisations/${orgs.schoolX.id}`).set('authorization', as.schoolXAdmin!).expect(200);
    const res = await t.http().get(`/api/v1/organisations/${orgs.schoolY.id}`).set('authorization', as.schoolXAdmin!);
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('FORBIDDEN');
  });

  it('a city bureau admin lists every organisation of its city and none of another city', async () => {
    const res = await t.http().get('/api/v1/organisations?pageSize=100').set('authorization', as.cityAdmin!);
    expect(res.status).toBe(200);
    const ids = (res.body.items as { id: string }[]).map((o) => o.id).sort();
    const expected = [orgs.zzBureau, orgs.jinshuiBureau, orgs.schoolX, orgs.schoolY, orgs.venueCo].map((o) => o.id).sort();
    expect(ids).toEqual(expected);
    expect(res.body.total).toBe(5);
  });

  it('a district bureau admin lists its own bureau and its district only', async () => {
    const res = await t.http().get('/api/v1/organisations').set('authorization', as.districtAdmin!);
    const ids = (res.body.items as { id: string }[]).map((o) => o.id).sort();
    expect(ids).toEqual([orgs.jinshuiBureau.id, orgs.schoolX.id].sort());
  });

  it('an operator lists only its own company, once, though it holds two roles there', async () => {
    const res = await t.http().get('/api/v1/organisations').set('authorization', as.operator!);
    expect((res.body.items as { id: string }[]).map((o) => o.id)).toEqual([orgs.venueCo.id]);
  });

  it('a resident with no staff role is refused the registry', async () => {
    const res = await t.http().get('/api/v1/organisations').set('authorization', as.resident!);
    expect(res.status).toBe(403);
  });

  it('pages, filters by kind and searches by name', async () => {
    const page1 = await t.http().get('/api/v1/organisations?pageSize=2&page=1').set('authorization', as.cityAdmin!);
    const page3 = await t.http().get('/api/v1/organisations?pageSize=2&page=3').set('authorization', as.cityAdmin!);
    expect(page1.body.items).toHaveLength(2);
    expect(page3.body.items).toHaveLength(1);
    expect(page1.body.total).toBe(5);
    const schools = await t.http().get('/api/v1/organisations?kind=school').set('authorization', as.cityAdmin!);
    expect((schools.body.items as { kind: string }[]).every((o) => o.kind === 'school')).toBe(true);
    expect(schools.body.total).toBe(2);
    const search = await t.http().get(`/api/v1/organisations?q=${encodeURIComponent('甲中')}`).set('authorization', as.cityAdmin!);
    expect((search.body.items as { id: string }[]).map((o) => o.id)).toEqual([orgs.schoolX.id]);
    const wildcard = await t.http().get('/api/v1/organisations?q=%25').set('authorization', as.cityAdmin!);
    expect(wildcard.body.total).toBe(0);
  });

  it('refuses a page size over 100 and a malformed id with the field named', async () => {
    const big = await t.http().get('/api/v1/organisations?pageSize=1000').set('authorization', as.cityAdmin!);
    expect(big.status).toBe(400);
    expect(big.body.errors[0].field).toBe('pageSize');
    const bad = await t.http().get('/api/v1/organisations/not-a-uuid').set('authorization', as.cityAdmin!);
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].field).toBe('id');
  });

  it('an organisation that does not exist is 404', async () => {
    const res = await t
      .http()
      .get('/api/v1/organisations/00000000-0000-4000-8000-000000000000')
      .set('authorization', as.cityAdmin!);
    expect(res.status).toBe(404);
  });
});

describe('creating organisations', () => {
  it('a city bureau admin creates a school under a district bureau; it is audited', async () => {
    const res = await t
      .http()
      .post('/api/v1/organisations')
      .set('authorization', as.cityAdmin!)
      .send({ kind: 'school', name: '金水区新建小学', parentId: orgs.jinshuiBureau.id });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ kind: 'school', cityCode: '410100', districtCode: JINSHUI, parentId: orgs.jinshuiBureau.id });
    const audit = await auditRows('organisation.create', res.body.id);
    expect(audit).toHaveLength(1);
    expect(audit[0]!.actorId).toBe(users.cityAdmin!.id);
  });

  it('a district bureau admin cannot place an organisation in another district', async () => {
    const res = await t
      .http()
      .post('/api/v1/organisations')
      .set('authorization', as.districtAdmin!)
      .send({ kind: 'school', name: '越界学校', parentId: orgs.jinshuiBureau.id, districtCode: ZHONGYUAN });
    expect(res.status).toBe(403);
  });

  it('the Ordos bureau cannot create under the Zhengzhou bureau', async () => {
    const res = await t
      .http()
      .post('/api/v1/organisations')
      .set('authorization', as.ordosAdmin!)
      .send({ kind: 'operator', name: '越权公司', parentId: orgs.zzBureau.id });
    expect(res.status).toBe(403);
  });

  it('an operator cannot create organisations at all', async () => {
    const res = await t
      .http()
      .post('/api/v1/organisations')
      .set('authorization', as.operator!)
      .send({ kind: 'operator', name: '自建公司', parentId: orgs.zzBureau.id });
    expect(res.status).toBe(403);
  });

  it('refuses a district of another city, a duplicate name and a bad kind, writing nothing', async () => {
    const before = (await t.database.db.select({ n: count() }).from(schema.organisations))[0]!.n;
    const wrongCity = await t
      .http()
      .post('/api/v1/organisations')
      .set('authorization', as.cityAdmin!)
      .send({ kind: 'school', name: '错城学校', parentId: orgs.zzBureau.id, districtCode: '150603' });
    expect(wrongCity.status).toBe(422);
    expect(wrongCity.body.code).toBe('REGION_NOT_IN_CITY');
    const duplicate = await t
      .http()
      .post('/api/v1/organisations')
      .set('authorization', as.cityAdmin!)
      .send({ kind: 'school', name: '中原区乙小学', parentId: orgs.zzBureau.id });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.code).toBe('ORGANISATION_NAME_TAKEN');
    const badKind = await t
      .http()
      .post('/api/v1/organisations')
      .set('authorization', as.cityAdmin!)
      .send({ kind: 'club', name: '俱乐部', parentId: orgs.zzBureau.id });
    expect(badKind.status).toBe(400);
    expect(badKind.body.errors).toEqual([expect.objectContaining({ field: 'kind' })]);
    const notBureau = await t
      .http()
      .post('/api/v1/organisations')
      .set('authorization', as.cityAdmin!)
      .send({ kind: 'school', name: '挂靠学校', parentId: orgs.venueCo.id });
    expect(notBureau.status).toBe(400);
    expect(notBureau.body.errors).toEqual([expect.objectContaining({ field: 'parentId' })]);
    const after = (await t.database.db.select({ n: count() }).from(schema.organisations))[0]!.n;
    expect(after).toBe(before);
  });
});

describe('granting and revoking roles', () => {
  it('a bureau admin grants a role; the grantee reaches the organisation at once; both are audited', async () => {
    const newcomer = await insertUser(t.database.db);
    const token = await bearerFor(t.app, newcomer.phone);
    await t.http().get(`/api/v1/organisations/${orgs.schoolY.id}`).set('authorization', token).expect(403);

    const grant = await t
      .http()
      .post(`/api/v1/organisations/${orgs.schoolY.id}/roles`)
      .set('authorization', as.cityAdmin!)
      .send({ phone: newcomer.phone, role: 'school_admin' });
    expect(grant.status).toBe(201);
    expect(grant.body.user.phoneMasked).toBe(`${newcomer.phone.slice(0, 3)}****${newcomer.phone.slice(7)}`);

    await t.http().get(`/api/v1/organisations/${orgs.schoolY.id}`).set('authorization', token).expect(200);
    const me = await t.http().get('/api/v1/me').set('authorization', token);
    expect(me.body.roles).toEqual([
      { role: 'school_admin', organisation: expect.objectContaining({ id: orgs.schoolY.id, kind: 'school' }) },
    ]);
    const granted = await auditRows('role.grant', newcomer.id);
    expect(granted).toHaveLength(1);
    expect(granted[0]).toMatchObject({ actorId: users.cityAdmin!.id, organisationId: orgs.schoolY.id });
    expect(granted[0]!.detail).toMatchObject({ role: 'school_admin' });

    const list = await t.http().get(`/api/v1/organisations/${orgs.schoolY.id}/roles`).set('authorization', as.cityAdmin!);
    expect(list.status).toBe(200);
    expect(JSON.stringify(list.body)).not.toContain(newcomer.phone);

    const revoke = await t
      .http()
      .delete(`/api/v1/organisations/${orgs.schoolY.id}/roles/${grant.body.id}`)
      .set('authorization', as.cityAdmin!);
    expect(revoke.status).toBe(204);
    await t.http().get(`/api/v1/organisations/${orgs.schoolY.id}`).set('authorization', token).expect(403);
    expect(await auditRows('role.revoke', newcomer.id)).toHaveLength(1);
  });

  it('the Ordos admin cannot grant or list roles in Zhengzhou', async () => {
    const grant = await t
      .http()
      .post(`/api/v1/organisations/${orgs.schoolX.id}/roles`)
      .set('authorization', as.ordosAdmin!)
      .send({ phone: users.resident!.phone, role: 'school_admin' });
    expect(grant.status).toBe(403);
    await t.http().get(`/api/v1/organisations/${orgs.schoolX.id}/roles`).set('authorization', as.ordosAdmin!).expect(403);
  });

  it('a school admin cannot grant roles even in its own school', async () => {
    const res = await t
      .http()
      .post(`/api/v1/organisations/${orgs.schoolX.id}/roles`)
      .set('authorization', as.schoolXAdmin!)
      .send({ phone: users.resident!.phone, role: 'school_admin' });
    expect(res.status).toBe(403);
  });

  it('refuses a role that does not fit the organisation, an unknown phone and a second grant', async () => {
    const misfit = await t
      .http()
      .post(`/api/v1/organisations/${orgs.schoolX.id}/roles`)
      .set('authorization', as.cityAdmin!)
      .send({ phone: users.resident!.phone, role: 'operator' });
    expect(misfit.status).toBe(422);
    expect(misfit.body.code).toBe('ROLE_NOT_FOR_ORGANISATION');
    const unknown = await t
      .http()
      .post(`/api/v1/organisations/${orgs.schoolX.id}/roles`)
      .set('authorization', as.cityAdmin!)
      .send({ phone: '13000000000', role: 'school_admin' });
    expect(unknown.status).toBe(422);
    expect(unknown.body.code).toBe('USER_NOT_FOUND');
    const again = await t
      .http()
      .post(`/api/v1/organisations/${orgs.venueCo.id}/roles`)
      .set('authorization', as.cityAdmin!)
      .send({ phone: users.operator!.phone, role: 'operator' });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('ROLE_ALREADY_GRANTED');
  });

  it('of ten simultaneous identical grants exactly one lands and one audit row is written', async () => {
    const target = await insertUser(t.database.db);
    const results = await Promise.all(
      Array.from({ length: 10 }, () =>
        t
          .http()
          .post(`/api/v1/organisations/${orgs.venueCo.id}/roles`)
          .set('authorization', as.cityAdmin!)
          .send({ phone: target.phone, role: 'technician' }),
      ),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(results.filter((r) => r.status === 409)).toHaveLength(9);
    expect(await auditRows('role.grant', target.id)).toHaveLength(1);
  });

  it('a bureau admin cannot revoke their own admin role', async () => {
    const [own] = await t.database.db
      .select({ id: schema.roleAssignments.id })
      .from(schema.roleAssignments)
      .where(eq(schema.roleAssignments.userId, users.ordosAdmin!.id));
    const res = await t
      .http()
      .delete(`/api/v1/organisations/${orgs.ordosBureau.id}/roles/${own!.id}`)
      .set('authorization', as.ordosAdmin!);
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('CANNOT_REVOKE_OWN_ADMIN');
    const still = await t.database.db
      .select({ n: count() })
      .from(schema.roleAssignments)
      .where(eq(schema.roleAssignments.id, own!.id));
    expect(still[0]!.n).toBe(1);
  });

  it('revoking an assignment of another organisation through this one is 404', async () => {
    const [operatorRole] = await t.database.db
      .select({ id: schema.roleAssignments.id })
      .from(schema.roleAssignments)
      .where(eq(schema.roleAssignments.userId, users.operator!.id));
    const res = await t
      .http()
      .delete(`/api/v1/organisations/${orgs.schoolX.id}/roles/${operatorRole!.id}`)
      .set('authorization', as.cityAdmin!);
    expect(res.status).toBe(404);
  });
});

describe('regions', () => {
  it('lists a city and its districts without signing in', async () => {
    const res = await t.http().get(`/api/v1/regions?city=${ORDOS}`);
    expect(res.status).toBe(200);
    expect(res.body[0]).toMatchObject({ code: ORDOS, level: 'city' });
    expect(res.body.filter((r: { level: string }) => r.level === 'district')).toHaveLength(9);
  });
});
