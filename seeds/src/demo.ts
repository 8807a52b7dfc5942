import { createHash } from 'node:crypto';
import { count, eq } from 'drizzle-orm';
import { hash, type Algorithm } from '@node-rs/argon2';
import { schema, type Db, type Tx } from '@sports/db';
import type { OrganisationKind, StaffRole } from '@sports/domain';
import { insertDemoActivity } from './activity.ts';
import { insertDemoAssets } from './assets.ts';
import { regionSeeds } from './regions.ts';
import { insertSchoolOpening } from './schools.ts';
import { insertVenues } from './venues.ts';

export const DEMO_PASSWORD = 'demo12345';
/** The demo Open311 client's key (Zhengzhou bureau); listed in the README. */
export const DEMO_OPEN311_KEY = 'demo-open311-key';
export const ZHENGZHOU = '410100';
export const ORDOS = '150600';

interface OrganisationSeed {
  key: string;
  kind: OrganisationKind;
  name: string;
  parent: string | null;
  cityCode: string;
  districtCode: string | null;
}

/** Demo organisations besides the bureaus: names end in （演示） so nobody mistakes them for real ones. */
const COMPANIES_AND_SCHOOLS: OrganisationSeed[] = [
  { key: 'zz-venues', kind: 'operator', name: '郑州市全民健身场馆运营有限公司（演示）', parent: 'zz-bureau', cityCode: ZHENGZHOU, districtCode: null },
  { key: 'zz-jinshui-venues', kind: 'operator', name: '金水区体育场馆管理有限公司（演示）', parent: 'bureau-410105', cityCode: ZHENGZHOU, districtCode: '410105' },
  { key: 'zz-school', kind: 'school', name: '郑州市金水区示范中学（演示）', parent: 'bureau-410105', cityCode: ZHENGZHOU, districtCode: '410105' },
  { key: 'zz-school-2', kind: 'school', name: '郑州市中原区实验小学（演示）', parent: 'bureau-410102', cityCode: ZHENGZHOU, districtCode: '410102' },
  { key: 'ordos-venues', kind: 'operator', name: '鄂尔多斯市体育场馆运营有限公司（演示）', parent: 'ordos-bureau', cityCode: ORDOS, districtCode: null },
  { key: 'ordos-school', kind: 'school', name: '康巴什区第一中学（演示）', parent: 'bureau-150603', cityCode: ORDOS, districtCode: '150603' },
];

interface AccountSeed {
  phone: string;
  displayName: string;
  roles: { role: StaffRole; organisation: string }[];
}

/** The demo accounts listed in the README; every one signs in with DEMO_PASSWORD. */
export const DEMO_STAFF: AccountSeed[] = [
  { phone: '13900000001', displayName: '郑州市体育局管理员', roles: [{ role: 'bureau_admin', organisation: 'zz-bureau' }] },
  { phone: '13900000002', displayName: '场馆运营员小王', roles: [{ role: 'operator', organisation: 'zz-venues' }] },
  { phone: '13900000003', displayName: '学校管理员李老师', roles: [{ role: 'school_admin', organisation: 'zz-school' }] },
  { phone: '13900000004', displayName: '维修师傅老张', roles: [{ role: 'technician', organisation: 'zz-venues' }] },
  { phone: '13900000005', displayName: '鄂尔多斯市体育局管理员', roles: [{ role: 'bureau_admin', organisation: 'ordos-bureau' }] },
];

export const DEMO_RESIDENT_COUNT = 200;

export function demoResidentPhone(n: number): string {
  return `138${String(n).padStart(8, '0')}`;
}

export interface LoadOptions {
  /** Do nothing when the database already holds organisations (a restart, or a real deployment). */
  onlyIfEmpty: boolean;
  /** The local date the demo's past activity ends before (default: today in Asia/Shanghai). */
  today?: string;
}

/**
 * Loads the two cities, their bureaus, demo companies and schools, staff and 200 residents, venues
 * and demo equipment with QR codes, in one transaction. Returns false when it skipped because data
 * was already there.
 */
export async function loadDemoData(db: Db, { onlyIfEmpty, today }: LoadOptions): Promise<boolean> {
  if (process.env.NODE_ENV === 'production') throw new Error('demo data is never loaded when NODE_ENV=production');
  if (onlyIfEmpty) {
    const [existing] = await db.select({ n: count() }).from(schema.organisations);
    if ((existing?.n ?? 0) > 0) return false;
  }
  // One hash for every demo account: they share a password, and hashing 205 times would take seconds.
  const passwordHash = await hash(DEMO_PASSWORD, { algorithm: 2 as Algorithm.Argon2id });
  await db.transaction(async (tx) => {
    const regions = regionSeeds();
    await tx.insert(schema.regions).values(regions).onConflictDoNothing();
    const orgIds = await insertOrganisations(tx, regions);
    await insertAccounts(tx, orgIds, passwordHash);
    await insertVenues(tx, regions, orgIds, {
      cityOperator: { [ZHENGZHOU]: 'zz-venues', [ORDOS]: 'ordos-venues' },
      schoolByDistrict: { '410105': 'zz-school', '410102': 'zz-school-2', '150603': 'ordos-school' },
      operatorByDistrict: { '410105': 'zz-jinshui-venues' },
    });
    const [schoolAdmin] = await tx.select({ id: schema.users.id }).from(schema.users).where(eq(schema.users.phone, '13900000003'));
    await insertSchoolOpening(tx, ['zz-school', 'zz-school-2', 'ordos-school'].map((key) => orgIds.get(key)!), schoolAdmin?.id);
    const [operator] = await tx.select({ id: schema.users.id }).from(schema.users).where(eq(schema.users.phone, '13900000002'));
    await insertDemoAssets(tx, { cityCode: ZHENGZHOU, operatorId: orgIds.get('zz-venues')!, schoolId: orgIds.get('zz-school')! }, operator?.id);
    await insertDemoActivity(tx, operator!.id, today ?? new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date()));
    // One Open311 client of the Zhengzhou bureau, with a key the README lists; only its hash is kept.
    await tx.insert(schema.open311Clients).values({
      organisationId: orgIds.get('zz-bureau')!,
      name: '郑州市12345热线（演示）',
      keyHash: createHash('sha256').update(DEMO_OPEN311_KEY).digest('hex'),
      keyPrefix: DEMO_OPEN311_KEY.slice(0, 9),
    });
  });
  return true;
}

async function insertOrganisations(tx: Tx, regions: ReturnType<typeof regionSeeds>): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  const insert = async (seed: OrganisationSeed) => {
    const parentId = seed.parent ? ids.get(seed.parent) : null;
    if (parentId === undefined) throw new Error(`parent ${seed.parent} of ${seed.key} not seeded yet`);
    const [row] = await tx
      .insert(schema.organisations)
      .values({ kind: seed.kind, name: seed.name, parentId, cityCode: seed.cityCode, districtCode: seed.districtCode, isDemo: true })
      .returning({ id: schema.organisations.id });
    ids.set(seed.key, row!.id);
  };
  await insert({ key: 'zz-bureau', kind: 'bureau', name: '郑州市体育局', parent: null, cityCode: ZHENGZHOU, districtCode: null });
  await insert({ key: 'ordos-bureau', kind: 'bureau', name: '鄂尔多斯市体育局', parent: null, cityCode: ORDOS, districtCode: null });
  for (const region of regions.filter((r) => r.level === 'district')) {
    await insert({
      key: `bureau-${region.code}`,
      kind: 'bureau',
      name: `${region.name}体育局`,
      parent: region.cityCode === ZHENGZHOU ? 'zz-bureau' : 'ordos-bureau',
      cityCode: region.cityCode,
      districtCode: region.code,
    });
  }
  for (const seed of COMPANIES_AND_SCHOOLS) await insert(seed);
  return ids;
}

async function insertAccounts(tx: Tx, orgIds: Map<string, string>, passwordHash: string): Promise<void> {
  const residents = Array.from({ length: DEMO_RESIDENT_COUNT }, (_, i) => ({
    phone: demoResidentPhone(i + 1),
    displayName: `居民${String(i + 1).padStart(3, '0')}`,
    passwordHash,
  }));
  const staff = DEMO_STAFF.map(({ phone, displayName }) => ({ phone, displayName, passwordHash }));
  const users = await tx
    .insert(schema.users)
    .values([...staff, ...residents])
    .returning({ id: schema.users.id, phone: schema.users.phone });
  const userIds = new Map(users.map((u) => [u.phone, u.id]));
  await tx.insert(schema.roleAssignments).values(
    DEMO_STAFF.flatMap((s) =>
      s.roles.map((r) => ({ userId: userIds.get(s.phone)!, role: r.role, organisationId: orgIds.get(r.organisation)! })),
    ),
  );
}
