import venuesFile from '../data/venues.json' with { type: 'json' };
import type { Db, Tx } from '@sports/db';
import { schema } from '@sports/db';
import type { HolidayRule, PriceLevel, Sport, VenueKind, WeeklySchedule } from '@sports/domain';
import type { RegionSeed } from './regions.ts';

type ResourceSeed = Omit<typeof schema.venueResources.$inferInsert, 'venueId'>;

interface VenueSeed {
  name: string;
  kind: VenueKind;
  cityCode: string;
  districtCode: string;
  address: string;
  lat: number;
  lng: number;
  approximate: boolean;
  sports: Sport[];
  priceLevel: PriceLevel;
  weeklyHours: WeeklySchedule;
  holidayRule: HolidayRule;
  description: string;
  isDemo: boolean;
  owner: string;
  resources: ResourceSeed[];
}

const everyDay = (ranges: { start: string; end: string }[]): WeeklySchedule =>
  Object.fromEntries([1, 2, 3, 4, 5, 6, 7].map((d) => [d, ranges])) as WeeklySchedule;

/** Typical weeks by kind of venue. */
const WEEKS: Record<VenueKind, { weekly: WeeklySchedule; holidayRule: HolidayRule }> = {
  stadium: { weekly: everyDay([{ start: '06:00', end: '12:00' }, { start: '15:00', end: '21:30' }]), holidayRule: 'as_weekend' },
  gym: {
    // Closed on Mondays for maintenance, as many public gyms are.
    weekly: {
      2: [{ start: '08:00', end: '12:00' }, { start: '14:00', end: '21:30' }],
      3: [{ start: '08:00', end: '12:00' }, { start: '14:00', end: '21:30' }],
      4: [{ start: '08:00', end: '12:00' }, { start: '14:00', end: '21:30' }],
      5: [{ start: '08:00', end: '12:00' }, { start: '14:00', end: '21:30' }],
      6: [{ start: '08:00', end: '21:30' }],
      7: [{ start: '08:00', end: '21:30' }],
    },
    holidayRule: 'as_weekend',
  },
  community_center: { weekly: everyDay([{ start: '06:00', end: '22:00' }]), holidayRule: 'as_usual' },
  park: { weekly: everyDay([{ start: '05:30', end: '22:00' }]), holidayRule: 'as_usual' },
  fitness_path: { weekly: everyDay([{ start: '00:00', end: '24:00' }]), holidayRule: 'as_usual' },
  school: {
    weekly: {
      1: [{ start: '18:00', end: '20:30' }],
      2: [{ start: '18:00', end: '20:30' }],
      3: [{ start: '18:00', end: '20:30' }],
      4: [{ start: '18:00', end: '20:30' }],
      5: [{ start: '18:00', end: '20:30' }],
      6: [{ start: '08:00', end: '11:00' }, { start: '15:00', end: '18:00' }],
      7: [{ start: '08:00', end: '11:00' }, { start: '15:00', end: '18:00' }],
    },
    holidayRule: 'closed',
  },
};

const courts = (label: string, sport: Sport, n: number, indoor: boolean): ResourceSeed[] =>
  Array.from({ length: n }, (_, i) => ({ name: `${label}${i + 1}号`, sport, indoor, mode: 'exclusive' as const, capacity: 1, sortOrder: i }));
const shared = (name: string, sport: Sport, capacity: number, indoor: boolean): ResourceSeed => ({
  name,
  sport,
  indoor,
  mode: 'shared',
  capacity,
  sortOrder: 50,
});

/** Bookable units a venue of each kind typically has, for the sports it offers. */
function resourcesFor(kind: VenueKind, sports: Sport[]): ResourceSeed[] {
  const out: ResourceSeed[] = [];
  const indoor = kind === 'gym' || kind === 'community_center';
  for (const sport of sports) {
    if (sport === 'basketball') out.push(...courts('篮球场', sport, kind === 'gym' ? 2 : 1, indoor));
    else if (sport === 'badminton') out.push(...courts('羽毛球场', sport, 4, true));
    else if (sport === 'table_tennis') out.push(...courts('乒乓球台', sport, 4, true));
    else if (sport === 'tennis') out.push(...courts('网球场', sport, 2, false));
    else if (sport === 'football') out.push(...courts('足球场', sport, 1, false));
    else if (sport === 'volleyball') out.push(...courts('排球场', sport, 1, indoor));
    else if (sport === 'swimming') out.push(shared('游泳池', sport, 120, true));
    else if (sport === 'athletics') out.push(shared(kind === 'school' ? '操场' : '田径场', sport, kind === 'school' ? 50 : 200, false));
    else if (sport === 'fitness') out.push(shared(kind === 'park' || kind === 'fitness_path' ? '健身路径' : '健身房', sport, 40, indoor));
    else if (sport === 'running') out.push(shared('健身步道', sport, 300, false));
    else if (sport === 'gateball') out.push(...courts('门球场', sport, 1, false));
    else if (sport === 'chess') out.push(shared('棋牌室', sport, 30, true));
  }
  return out;
}

/** A deterministic scatter around a district seat, so the demo looks the same on every machine. */
function scatter(seed: number, lat: number, lng: number, radiusKm: number): { lat: number; lng: number } {
  const angle = ((seed * 137.508) % 360) * (Math.PI / 180);
  const distance = radiusKm * (0.25 + ((seed * 7919) % 1000) / 1333);
  return {
    lat: Number((lat + (distance / 111.2) * Math.sin(angle)).toFixed(5)),
    lng: Number((lng + (distance / (111.2 * Math.cos((lat * Math.PI) / 180))) * Math.cos(angle)).toFixed(5)),
  };
}

function kindOfRealVenue(name: string, declared: string | undefined): VenueKind {
  if (declared && (['stadium', 'gym', 'community_center', 'park', 'fitness_path', 'school'] as string[]).includes(declared)) {
    return declared as VenueKind;
  }
  if (/中学|小学|学校/.test(name)) return 'school';
  if (/全民健身中心|文体活动中心|健身中心/.test(name)) return 'community_center';
  if (/体育馆/.test(name)) return 'gym';
  if (/公园/.test(name)) return 'park';
  return 'stadium';
}

function priceOf(price: string | undefined): PriceLevel {
  if (price === 'free') return 'free';
  if (price && /\d+\s*CNY/.test(price) && Number(price.match(/\d+/)![0]) <= 30) return 'low';
  return 'paid';
}

function hoursOf(text: string | undefined, kind: VenueKind): WeeklySchedule {
  if (!text) return WEEKS[kind].weekly;
  return everyDay(text.split(',').map((range) => {
    const [start, end] = range.trim().split('-') as [string, string];
    return { start, end };
  }));
}

export interface OwnerKeys {
  /** City → key of the city-wide operator company. */
  cityOperator: Record<string, string>;
  /** District code → key of a school organisation there, when the demo has one. */
  schoolByDistrict: Record<string, string>;
  /** District code → key of a district operator company, when the demo has one. */
  operatorByDistrict: Record<string, string>;
}

/** The real venues of the shared data file, positions marked approximate where they are. */
function realVenues(regions: RegionSeed[], owners: OwnerKeys): VenueSeed[] {
  return venuesFile.venues.map((raw, i) => {
    const record = raw as typeof raw & { kind?: string; hours?: string; price?: string; address?: string; notes?: string };
    const city = regions.find((r) => r.level === 'city' && r.name === record.city)!;
    const districts = regions.filter((r) => r.level === 'district' && r.cityCode === city.code);
    const district = districts.find((d) => d.name === record.district) ?? districts[0]!;
    const kind = kindOfRealVenue(record.name, record.kind);
    const placed = record.coord === 'district' || record.lat === undefined;
    const position = placed ? scatter(i + 1, district.lat, district.lng, 1.5) : { lat: record.lat!, lng: record.lng! };
    const sports = [...new Set(record.sports as Sport[])];
    return {
      name: record.name,
      kind,
      cityCode: city.code,
      districtCode: district.code,
      address: record.address ?? '',
      ...position,
      approximate: record.coord !== undefined && record.coord !== 'approx-50m',
      sports,
      priceLevel: priceOf(record.price),
      weeklyHours: hoursOf(record.hours, kind),
      holidayRule: WEEKS[kind].holidayRule,
      description: record.notes ? `公开资料：${record.notes}` : '',
      isDemo: false,
      owner: kind === 'school' ? (owners.schoolByDistrict[district.code] ?? `bureau-${district.code}`) : owners.cityOperator[city.code]!,
      resources: resourcesFor(kind, sports),
    };
  });
}

const DEMO_KINDS: { kind: VenueKind; suffix: string; sports: Sport[]; price: PriceLevel }[] = [
  { kind: 'community_center', suffix: '社区全民健身中心', sports: ['badminton', 'table_tennis', 'fitness'], price: 'low' },
  { kind: 'park', suffix: '体育公园', sports: ['basketball', 'fitness', 'running'], price: 'free' },
  { kind: 'school', suffix: '实验学校运动场', sports: ['athletics', 'basketball'], price: 'free' },
  { kind: 'gym', suffix: '全民健身馆', sports: ['basketball', 'badminton', 'table_tennis'], price: 'paid' },
  { kind: 'fitness_path', suffix: '滨河健身路径', sports: ['fitness', 'running'], price: 'free' },
  { kind: 'community_center', suffix: '街道文体活动中心', sports: ['table_tennis', 'chess', 'gateball'], price: 'free' },
  { kind: 'park', suffix: '口袋公园球场', sports: ['basketball', 'football'], price: 'free' },
];

/** Demo venues spread over every district until each city has at least `perCity`. Marked as demo. */
function demoVenues(regions: RegionSeed[], owners: OwnerKeys, perCity: number, realCount: Record<string, number>): VenueSeed[] {
  const out: VenueSeed[] = [];
  for (const city of regions.filter((r) => r.level === 'city')) {
    const districts = regions.filter((r) => r.level === 'district' && r.cityCode === city.code);
    const needed = Math.max(0, perCity - (realCount[city.code] ?? 0));
    for (let n = 0; n < needed; n++) {
      const district = districts[n % districts.length]!;
      const template = DEMO_KINDS[Math.floor(n / districts.length) % DEMO_KINDS.length]!;
      const position = scatter(n + 101, district.lat, district.lng, 4);
      const owner =
        template.kind === 'school'
          ? (owners.schoolByDistrict[district.code] ?? `bureau-${district.code}`)
          : template.kind === 'park' || template.kind === 'fitness_path'
            ? `bureau-${district.code}`
            : (owners.operatorByDistrict[district.code] ?? owners.cityOperator[city.code]!);
      out.push({
        name: `${district.name}${template.suffix}（演示）`,
        kind: template.kind,
        cityCode: city.code,
        districtCode: district.code,
        address: `${city.name}${district.name}（演示地址）`,
        ...position,
        approximate: true,
        sports: template.sports,
        priceLevel: template.price,
        weeklyHours: WEEKS[template.kind].weekly,
        holidayRule: WEEKS[template.kind].holidayRule,
        description: '演示数据，非真实场馆。Demo data, not a real venue.',
        isDemo: true,
        owner,
        resources: resourcesFor(template.kind, template.sports),
      });
    }
  }
  return out;
}

export const DEMO_VENUES_PER_CITY = 64;

/** Inserts the real and demo venues with their resources. Opening intervals are left to the sweep. */
export async function insertVenues(
  tx: Tx | Db,
  regions: RegionSeed[],
  orgIds: Map<string, string>,
  owners: OwnerKeys,
): Promise<number> {
  const real = realVenues(regions, owners);
  const realCount: Record<string, number> = {};
  for (const v of real) realCount[v.cityCode] = (realCount[v.cityCode] ?? 0) + 1;
  const all = [...real, ...demoVenues(regions, owners, DEMO_VENUES_PER_CITY, realCount)];
  const rows = await tx
    .insert(schema.venues)
    .values(
      all.map(({ owner, resources: _resources, approximate, ...v }) => {
        const organisationId = orgIds.get(owner);
        if (!organisationId) throw new Error(`venue ${v.name}: no organisation ${owner}`);
        return { ...v, organisationId, locationApproximate: approximate };
      }),
    )
    .returning({ id: schema.venues.id });
  const resources = all.flatMap((v, i) => v.resources.map((r) => ({ ...r, venueId: rows[i]!.id })));
  await tx.insert(schema.venueResources).values(resources);
  return rows.length;
}
