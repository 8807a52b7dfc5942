/**
 * Equipment that can be reported broken (一键报修): the catalogue of asset types with the one-tap
 * fault choices a resident sees for each, asset statuses, asset codes, and where an asset stands in
 * its service life. Pure: the caller supplies the date and the randomness.
 */
import { CODE_ALPHABET, CODE_LENGTH, newCode } from '../shared/codes.ts';
import { haversineMeters, type LatLng } from '../venues/geo.ts';
import { isCalendarDate } from '../shared/calendar.ts';

export const ASSET_TYPES = [
  'basketball_hoop',
  'net',
  'court_surface',
  'lighting',
  'fence',
  'toilet',
  'seating',
  'walker',
  'air_walker',
  'back_massager',
  'horizontal_bar',
  'parallel_bars',
  'rider',
  'twister',
  'other',
] as const;
export type AssetType = (typeof ASSET_TYPES)[number];

/** ok: in good order; degraded: usable with a fault; out_of_service: not to be used. */
export const ASSET_STATUSES = ['ok', 'degraded', 'out_of_service'] as const;
export type AssetStatus = (typeof ASSET_STATUSES)[number];

/** One tap on the report page. `key` is stable: tickets store it, labels come from here. */
export interface FaultChoice {
  key: string;
  zh: string;
  en: string;
}

export interface AssetTypeEntry {
  zh: string;
  en: string;
  /** In the order the report page shows them; `other` is always last. */
  faults: readonly FaultChoice[];
}

const OTHER: FaultChoice = { key: 'other', zh: '其他', en: 'Other' };
const RUST_OR_SHARP: FaultChoice = { key: 'rust_sharp', zh: '锈蚀或尖锐断口', en: 'Rust or sharp edges' };
const BASE_LOOSE: FaultChoice = { key: 'base_loose', zh: '底座松动', en: 'Loose base' };
const HANDLE_LOOSE: FaultChoice = { key: 'handle_loose', zh: '扶手松动', en: 'Loose handrail' };
const PEDAL_LOOSE: FaultChoice = { key: 'pedal_loose', zh: '踏板松动', en: 'Loose pedal' };
const SQUEAKS_OR_STICKS: FaultChoice = { key: 'squeaks_sticks', zh: '转动异响或卡滞', en: 'Squeaks or sticks when moving' };
const POST_TILTED: FaultChoice = { key: 'post_tilted', zh: '立柱倾斜', en: 'Leaning post' };

/** Every asset type with its names and fault choices. */
export const ASSET_CATALOGUE: Record<AssetType, AssetTypeEntry> = {
  basketball_hoop: {
    zh: '篮球架',
    en: 'Basketball hoop',
    faults: [
      { key: 'rim_loose', zh: '篮筐松动', en: 'Loose rim' },
      { key: 'net_torn', zh: '篮网破损', en: 'Torn or missing net' },
      { key: 'backboard_cracked', zh: '篮板破裂', en: 'Cracked backboard' },
      { key: 'frame_tilted', zh: '篮架倾斜', en: 'Leaning frame' },
      OTHER,
    ],
  },
  net: {
    zh: '球网',
    en: 'Net',
    faults: [
      { key: 'net_torn', zh: '球网破损', en: 'Torn net' },
      { key: 'net_sagging', zh: '球网松弛', en: 'Sagging net' },
      { key: 'post_damaged', zh: '网柱损坏', en: 'Damaged post' },
      { key: 'net_missing', zh: '球网缺失', en: 'Net missing' },
      OTHER,
    ],
  },
  court_surface: {
    zh: '场地地面',
    en: 'Court surface',
    faults: [
      { key: 'cracked', zh: '地面开裂', en: 'Cracked surface' },
      { key: 'uneven', zh: '地面起鼓不平', en: 'Bulging or uneven' },
      { key: 'slippery', zh: '地面湿滑', en: 'Slippery' },
      { key: 'standing_water', zh: '积水', en: 'Standing water' },
      { key: 'lines_faded', zh: '场地线模糊', en: 'Faded lines' },
      OTHER,
    ],
  },
  lighting: {
    zh: '照明',
    en: 'Lighting',
    faults: [
      { key: 'light_out', zh: '灯不亮', en: 'Light out' },
      { key: 'flickering', zh: '灯光闪烁', en: 'Flickering' },
      { key: 'too_dim', zh: '亮度不足', en: 'Too dim' },
      { key: 'exposed_wiring', zh: '电线裸露', en: 'Exposed wiring' },
      OTHER,
    ],
  },
  fence: {
    zh: '围网',
    en: 'Fence',
    faults: [
      { key: 'hole', zh: '围网破洞', en: 'Hole in the fence' },
      POST_TILTED,
      { key: 'gate_broken', zh: '门或门锁损坏', en: 'Broken gate or lock' },
      RUST_OR_SHARP,
      OTHER,
    ],
  },
  toilet: {
    zh: '卫生间',
    en: 'Toilet',
    faults: [
      { key: 'blocked', zh: '堵塞', en: 'Blocked' },
      { key: 'no_water_or_leak', zh: '无水或漏水', en: 'No water or leaking' },
      { key: 'light_out', zh: '照明故障', en: 'Lights not working' },
      { key: 'door_lock', zh: '门锁损坏', en: 'Broken door lock' },
      { key: 'unclean', zh: '卫生差', en: 'Not clean' },
      OTHER,
    ],
  },
  seating: {
    zh: '看台座椅',
    en: 'Seating',
    faults: [
      { key: 'seat_broken', zh: '座椅破损', en: 'Broken seat' },
      { key: 'seat_loose', zh: '座椅松动', en: 'Loose seat' },
      RUST_OR_SHARP,
      OTHER,
    ],
  },
  walker: {
    zh: '漫步机',
    en: 'Walker',
    faults: [PEDAL_LOOSE, HANDLE_LOOSE, SQUEAKS_OR_STICKS, BASE_LOOSE, RUST_OR_SHARP, OTHER],
  },
  air_walker: {
    zh: '太空漫步机',
    en: 'Air walker',
    faults: [PEDAL_LOOSE, HANDLE_LOOSE, SQUEAKS_OR_STICKS, BASE_LOOSE, RUST_OR_SHARP, OTHER],
  },
  back_massager: {
    zh: '腰背按摩器',
    en: 'Back massager',
    faults: [
      { key: 'roller_stuck', zh: '按摩滚轮卡死', en: 'Rollers stuck' },
      { key: 'roller_broken', zh: '滚轮破损', en: 'Broken roller' },
      HANDLE_LOOSE,
      BASE_LOOSE,
      RUST_OR_SHARP,
      OTHER,
    ],
  },
  horizontal_bar: {
    zh: '单杠',
    en: 'Horizontal bar',
    faults: [{ key: 'bar_loose', zh: '横杠松动或转动', en: 'Bar loose or spinning' }, POST_TILTED, BASE_LOOSE, RUST_OR_SHARP, OTHER],
  },
  parallel_bars: {
    zh: '双杠',
    en: 'Parallel bars',
    faults: [
      { key: 'bar_loose', zh: '杠体松动', en: 'Loose bar' },
      { key: 'bar_cracked', zh: '杠体开裂', en: 'Cracked bar' },
      POST_TILTED,
      RUST_OR_SHARP,
      OTHER,
    ],
  },
  rider: {
    zh: '骑马机',
    en: 'Rider',
    faults: [{ key: 'seat_broken', zh: '座椅破损', en: 'Broken seat' }, PEDAL_LOOSE, HANDLE_LOOSE, SQUEAKS_OR_STICKS, RUST_OR_SHARP, OTHER],
  },
  twister: {
    zh: '扭腰器',
    en: 'Twister',
    faults: [
      { key: 'disc_stuck', zh: '转盘卡死', en: 'Turntable stuck' },
      { key: 'disc_wobbly', zh: '转盘晃动', en: 'Wobbly turntable' },
      HANDLE_LOOSE,
      RUST_OR_SHARP,
      OTHER,
    ],
  },
  other: {
    zh: '其他',
    en: 'Other',
    faults: [
      { key: 'broken', zh: '损坏', en: 'Broken' },
      { key: 'unsafe', zh: '存在安全隐患', en: 'Unsafe' },
      { key: 'dirty', zh: '脏污', en: 'Dirty' },
      OTHER,
    ],
  },
};

// ——— asset codes ———

/** The alphabet and length of every short code (shared/codes.ts). */
export const ASSET_CODE_ALPHABET = CODE_ALPHABET;
export const ASSET_CODE_LENGTH = CODE_LENGTH;
/** The same rule as a regular expression, for schemas and the database check. */
export const ASSET_CODE_PATTERN = `^[${ASSET_CODE_ALPHABET}]{${ASSET_CODE_LENGTH}}$`;

/**
 * A new asset code. `pick(n)` returns a uniformly random whole number in [0, n) — pass
 * `crypto.randomInt`, so codes cannot be guessed from one another.
 */
export function newAssetCode(pick: (n: number) => number): string {
  return newCode(pick, ASSET_CODE_LENGTH);
}

/** A code as someone may type it from a label (lower case, spaces, a dash), in its stored form; undefined if it cannot be one. */
export function normaliseAssetCode(text: string): string | undefined {
  const code = text.replace(/[\s-]/g, '').toUpperCase();
  return new RegExp(ASSET_CODE_PATTERN).test(code) ? code : undefined;
}

// ——— service life ———

export const SERVICE_LIFE_STATES = ['in_service', 'warranty_expired', 'beyond_service_life'] as const;
export type ServiceLifeState = (typeof SERVICE_LIFE_STATES)[number];

/** Longest service life an asset may be given. */
export const MAX_SERVICE_LIFE_YEARS = 50;
/** An asset's position must lie this close to its venue's point (a long fitness path included). */
export const MAX_ASSET_DISTANCE_FROM_VENUE_METERS = 10_000;

export interface AssetLife {
  /** Local date, YYYY-MM-DD. */
  installDate: string;
  serviceLifeYears: number;
  /** Last local date covered by the warranty; null when there is none on record. */
  warrantyUntil: string | null;
}

/** The `years`-th anniversary of a local date; 29 February falls on 28 February in a common year. */
export function addYears(date: string, years: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const year = y + years;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const day = m === 2 && d === 29 && !leap ? 28 : d;
  return `${String(year).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** The first local date on which the asset has outlived its service life. */
export function serviceLifeEnds(life: Pick<AssetLife, 'installDate' | 'serviceLifeYears'>): string {
  return addYears(life.installDate, life.serviceLifeYears);
}

/**
 * Where the asset stands on local date `today`: past its service life (from the day its life ends),
 * else out of warranty (from the day after the warranty's last day), else in service. An asset with
 * no warranty on record is in service until its life ends.
 */
export function serviceLifeState(life: AssetLife, today: string): ServiceLifeState {
  if (today >= serviceLifeEnds(life)) return 'beyond_service_life';
  if (life.warrantyUntil !== null && today > life.warrantyUntil) return 'warranty_expired';
  return 'in_service';
}

export type AssetProblemReason = 'not_a_date' | 'installed_in_future' | 'warranty_before_install' | 'position_incomplete' | 'too_far_from_venue';
export type AssetProblem = { field: string; reason: AssetProblemReason };

export interface AssetFacts extends AssetLife {
  lat: number | null;
  lng: number | null;
}

/**
 * Why an asset's dates or position cannot be saved, field by field (empty when they can): real
 * calendar dates, not installed after `today`, a warranty that does not end before installation, and
 * a position given whole and near its venue.
 */
export function checkAsset(asset: AssetFacts, venue: LatLng, today: string): AssetProblem[] {
  const problems: AssetProblem[] = [];
  const installKnown = isCalendarDate(asset.installDate);
  if (!installKnown) problems.push({ field: 'installDate', reason: 'not_a_date' });
  else if (asset.installDate > today) problems.push({ field: 'installDate', reason: 'installed_in_future' });
  if (asset.warrantyUntil !== null) {
    if (!isCalendarDate(asset.warrantyUntil)) problems.push({ field: 'warrantyUntil', reason: 'not_a_date' });
    else if (installKnown && asset.warrantyUntil < asset.installDate) problems.push({ field: 'warrantyUntil', reason: 'warranty_before_install' });
  }
  if ((asset.lat === null) !== (asset.lng === null)) {
    problems.push({ field: asset.lat === null ? 'lat' : 'lng', reason: 'position_incomplete' });
  } else if (asset.lat !== null && asset.lng !== null) {
    if (haversineMeters({ lat: asset.lat, lng: asset.lng }, venue) > MAX_ASSET_DISTANCE_FROM_VENUE_METERS) {
      problems.push({ field: 'lat', reason: 'too_far_from_venue' });
    }
  }
  return problems;
}
