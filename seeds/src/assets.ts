import { randomInt } from 'node:crypto';
import { and, asc, eq } from 'drizzle-orm';
import { schema, type Tx } from '@sports/db';
import { addYears, localDate, newAssetCode, type AssetStatus, type AssetType } from '@sports/domain';

type AssetSeed = {
  venueId: string;
  resourceId: string | null;
  type: AssetType;
  name: string;
  /** Whole years before today it was installed. */
  age: number;
  serviceLifeYears: number;
  /** Years of warranty from installation; null for none on record. */
  warrantyYears: number | null;
  status?: AssetStatus;
  lat?: number;
  lng?: number;
};

/** The fitness machines of a demo path, in the order one meets them walking it. */
const PATH_MACHINES: { type: AssetType; name: string }[] = [
  { type: 'walker', name: '漫步机' },
  { type: 'air_walker', name: '太空漫步机' },
  { type: 'back_massager', name: '腰背按摩器' },
  { type: 'twister', name: '扭腰器' },
  { type: 'rider', name: '骑马机' },
  { type: 'horizontal_bar', name: '单杠' },
  { type: 'parallel_bars', name: '双杠' },
];

async function resourcesOf(tx: Tx, venueId: string) {
  return tx
    .select({ id: schema.venueResources.id, name: schema.venueResources.name, sport: schema.venueResources.sport })
    .from(schema.venueResources)
    .where(eq(schema.venueResources.venueId, venueId))
    .orderBy(asc(schema.venueResources.sortOrder), asc(schema.venueResources.name));
}

/**
 * Demo equipment with QR codes, on demo venues only (never on the real venues of the shared data):
 * hoops, surface and lighting on basketball courts and nets on racket courts of two venues of the
 * city operator, of the demo school and of the first park with a fitness path, and the common
 * fitness machines every ~40 m along that path, each with its position. Install dates are relative to
 * today so the demo shows every service-life state; a few items are degraded or out of service.
 */
export async function insertDemoAssets(
  tx: Tx,
  owners: { cityCode: string; operatorId: string; schoolId: string },
  createdBy: string | undefined,
): Promise<number> {
  const v = schema.venues;
  const r = schema.venueResources;
  const columns = { id: v.id, name: v.name, lat: v.lat, lng: v.lng };
  const demoVenuesOf = (organisationId: string) =>
    tx.select(columns).from(v).where(and(eq(v.organisationId, organisationId), eq(v.isDemo, true))).orderBy(asc(v.name));
  const operatorVenues = (await demoVenuesOf(owners.operatorId)).slice(0, 2);
  const schoolVenues = (await demoVenuesOf(owners.schoolId)).slice(0, 1);
  const [path] = await tx
    .select({ ...columns, trackId: r.id })
    .from(v)
    .innerJoin(r, eq(r.venueId, v.id))
    .where(and(eq(v.cityCode, owners.cityCode), eq(v.isDemo, true), eq(r.sport, 'fitness'), eq(r.indoor, false)))
    .orderBy(asc(v.name))
    .limit(1);

  const seeds: AssetSeed[] = [];
  for (const venue of [...operatorVenues, ...schoolVenues, ...(path ? [path] : [])]) {
    for (const [i, court] of (await resourcesOf(tx, venue.id)).entries()) {
      if (court.sport === 'basketball') {
        seeds.push(
          { venueId: venue.id, resourceId: court.id, type: 'basketball_hoop', name: `${court.name}东侧篮球架`, age: 3, serviceLifeYears: 8, warrantyYears: 2, status: i === 0 ? 'degraded' : 'ok' },
          { venueId: venue.id, resourceId: court.id, type: 'basketball_hoop', name: `${court.name}西侧篮球架`, age: 3, serviceLifeYears: 8, warrantyYears: 2 },
          { venueId: venue.id, resourceId: court.id, type: 'court_surface', name: `${court.name}地面`, age: 5, serviceLifeYears: 10, warrantyYears: 3 },
          { venueId: venue.id, resourceId: court.id, type: 'lighting', name: `${court.name}照明`, age: 1, serviceLifeYears: 10, warrantyYears: 3 },
        );
      } else if (['badminton', 'tennis', 'volleyball'].includes(court.sport)) {
        seeds.push({ venueId: venue.id, resourceId: court.id, type: 'net', name: `${court.name}球网`, age: 2, serviceLifeYears: 3, warrantyYears: 1 });
      }
    }
  }
  if (path) {
    // A straight stretch heading north-east from the venue's point, one machine every ~40 m.
    const step = (n: number) => ({ lat: Number((path.lat + n * 0.00026).toFixed(6)), lng: Number((path.lng + n * 0.00031).toFixed(6)) });
    seeds.push({ venueId: path.id, resourceId: null, type: 'toilet', name: '健身路径入口公共卫生间', age: 6, serviceLifeYears: 20, warrantyYears: null, ...step(0) });
    PATH_MACHINES.forEach(({ type, name }, n) => {
      seeds.push({
        venueId: path.id,
        resourceId: path.trackId,
        type,
        name: `${n + 1}号点位${name}`,
        // The first two were installed with the path nine years ago and are past their eight years.
        age: n < 2 ? 9 : 4,
        serviceLifeYears: 8,
        warrantyYears: 2,
        status: n === 2 ? 'out_of_service' : 'ok',
        ...step(n + 1),
      });
    });
  }
  if (seeds.length === 0) return 0;

  const today = localDate(new Date(), 'Asia/Shanghai');
  await tx.insert(schema.assets).values(
    seeds.map(({ age, warrantyYears, status, lat, lng, ...seed }) => {
      const installDate = addYears(today, -age);
      return {
        ...seed,
        code: newAssetCode((n) => randomInt(n)),
        installDate,
        warrantyUntil: warrantyYears === null ? null : addYears(installDate, warrantyYears),
        status: status ?? 'ok',
        lat: lat ?? null,
        lng: lng ?? null,
        createdBy,
      };
    }),
  );
  return seeds.length;
}
