import { randomInt } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import request from 'supertest';
import { schema, type Db } from '@sports/db';
import type { StaffRole } from '@sports/domain';
import { regionSeeds } from '@sports/seeds';
import { hashPassword } from '../../src/services/accounts/passwords.ts';

export const PASSWORD = 'correct-horse-battery';
/** One hash for every fixture user: hashing is deliberately slow. */
const passwordHash = hashPassword(PASSWORD);

export const ZHENGZHOU = '410100';
export const ORDOS = '150600';
export const JINSHUI = '410105';
export const ZHONGYUAN = '410102';

let phoneCounter = 0;
/** A phone number no other test in this file has used. */
export function freshPhone(): string {
  phoneCounter += 1;
  return `137${String(randomInt(0, 10_000)).padStart(4, '0')}${String(phoneCounter).padStart(4, '0')}`;
}

export async function insertRegions(db: Db): Promise<void> {
  await db.insert(schema.regions).values(regionSeeds()).onConflictDoNothing();
}

export interface OrgFixture {
  id: string;
}

export async function insertOrganisation(
  db: Db,
  values: { kind: 'bureau' | 'operator' | 'school'; name: string; cityCode: string; districtCode?: string | null; parentId?: string | null },
): Promise<OrgFixture> {
  const [row] = await db
    .insert(schema.organisations)
    .values({ districtCode: null, parentId: null, ...values })
    .returning({ id: schema.organisations.id });
  return row!;
}

export async function insertUser(
  db: Db,
  roles: { role: StaffRole; organisationId: string }[] = [],
  phone = freshPhone(),
): Promise<{ id: string; phone: string }> {
  const [user] = await db
    .insert(schema.users)
    .values({ phone, displayName: `测试用户${phone.slice(-4)}`, passwordHash: await passwordHash })
    .returning({ id: schema.users.id });
  if (roles.length > 0) {
    await db.insert(schema.roleAssignments).values(roles.map((r) => ({ ...r, userId: user!.id })));
  }
  return { id: user!.id, phone };
}

/** Signs in through the API and returns the bearer header value. */
export async function bearerFor(app: FastifyInstance, phone: string): Promise<string> {
  const res = await request(app.server).post('/api/v1/auth/login').send({ phone, password: PASSWORD });
  if (res.status !== 200) throw new Error(`login of ${phone} failed: ${res.status} ${JSON.stringify(res.body)}`);
  return `Bearer ${res.body.accessToken as string}`;
}

/**
 * Two cities as the demo has them, small: a city bureau each, one district bureau, two schools in
 * different districts, one operator company.
 */
export async function insertCityFixture(db: Db) {
  await insertRegions(db);
  const zzBureau = await insertOrganisation(db, { kind: 'bureau', name: '郑州市体育局', cityCode: ZHENGZHOU });
  const ordosBureau = await insertOrganisation(db, { kind: 'bureau', name: '鄂尔多斯市体育局', cityCode: ORDOS });
  const jinshuiBureau = await insertOrganisation(db, {
    kind: 'bureau',
    name: '金水区体育局',
    cityCode: ZHENGZHOU,
    districtCode: JINSHUI,
    parentId: zzBureau.id,
  });
  const schoolX = await insertOrganisation(db, {
    kind: 'school',
    name: '金水区甲中学',
    cityCode: ZHENGZHOU,
    districtCode: JINSHUI,
    parentId: jinshuiBureau.id,
  });
  const schoolY = await insertOrganisation(db, {
    kind: 'school',
    name: '中原区乙小学',
    cityCode: ZHENGZHOU,
    districtCode: ZHONGYUAN,
    parentId: zzBureau.id,
  });
  const venueCo = await insertOrganisation(db, {
    kind: 'operator',
    name: '场馆运营公司',
    cityCode: ZHENGZHOU,
    parentId: zzBureau.id,
  });
  return { zzBureau, ordosBureau, jinshuiBureau, schoolX, schoolY, venueCo };
}
