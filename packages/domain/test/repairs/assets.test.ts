import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  ASSET_CATALOGUE,
  ASSET_CODE_ALPHABET,
  ASSET_CODE_LENGTH,
  ASSET_CODE_PATTERN,
  ASSET_TYPES,
  SERVICE_LIFE_STATES,
  addYears,
  checkAsset,
  newAssetCode,
  normaliseAssetCode,
  serviceLifeEnds,
  serviceLifeState,
  type AssetFacts,
} from '../../src/repairs/assets.ts';
import { addDays } from '../../src/venues/opening-hours.ts';

describe('the asset catalogue', () => {
  it('names every type in Chinese and English, exactly the listed types', () => {
    expect(Object.keys(ASSET_CATALOGUE)).toEqual([...ASSET_TYPES]);
    expect(ASSET_CATALOGUE.basketball_hoop).toMatchObject({ zh: '篮球架', en: 'Basketball hoop' });
    expect(ASSET_CATALOGUE.air_walker.zh).toBe('太空漫步机');
    expect(ASSET_CATALOGUE.back_massager.zh).toBe('腰背按摩器');
    expect(ASSET_CATALOGUE.parallel_bars.zh).toBe('双杠');
    for (const type of ASSET_TYPES) {
      expect(ASSET_CATALOGUE[type].zh.length).toBeGreaterThan(0);
      expect(ASSET_CATALOGUE[type].en.length).toBeGreaterThan(0);
    }
  });

  it('gives a hoop the faults a resident would tap, in order, ending with 其他', () => {
    expect(ASSET_CATALOGUE.basketball_hoop.faults.map((f) => f.zh)).toEqual(['篮筐松动', '篮网破损', '篮板破裂', '篮架倾斜', '其他']);
  });

  it('every type offers at least two choices with unique stable keys, `other` last, each labelled in both languages', () => {
    for (const type of ASSET_TYPES) {
      const faults = ASSET_CATALOGUE[type].faults;
      expect(faults.length, type).toBeGreaterThanOrEqual(2);
      expect(new Set(faults.map((f) => f.key)).size, type).toBe(faults.length);
      expect(faults.at(-1)!.key, type).toBe('other');
      for (const fault of faults) {
        expect(fault.key, type).toMatch(/^[a-z][a-z_]*$/);
        expect(fault.zh.length, `${type}.${fault.key}`).toBeGreaterThan(0);
        expect(fault.en.length, `${type}.${fault.key}`).toBeGreaterThan(0);
      }
    }
  });
});

describe('asset codes', () => {
  it('are made only of the alphabet without look-alikes, at the set length (property)', () => {
    fc.assert(
      fc.property(fc.infiniteStream(fc.nat()), (stream) => {
        const numbers = stream[Symbol.iterator]();
        const code = newAssetCode((n) => numbers.next().value % n);
        return code.length === ASSET_CODE_LENGTH && new RegExp(ASSET_CODE_PATTERN).test(code) && !/[01ILO]/.test(code);
      }),
    );
    expect(ASSET_CODE_ALPHABET).not.toMatch(/[01ILO]/);
  });

  it('uses every letter of the alphabet the random source picks', () => {
    let i = 0;
    const code = newAssetCode(() => i++);
    expect(code).toBe(ASSET_CODE_ALPHABET.slice(0, ASSET_CODE_LENGTH));
  });

  it('as typed from a label (lower case, spaces, dash) are read back; anything else is not a code', () => {
    expect(normaliseAssetCode('k7mp-4qx2')).toBe('K7MP4QX2');
    expect(normaliseAssetCode(' K7MP 4QX2 ')).toBe('K7MP4QX2');
    expect(normaliseAssetCode('K7MP4QX')).toBeUndefined();
    expect(normaliseAssetCode('K7MP4QX0')).toBeUndefined();
    expect(normaliseAssetCode('K7MP4QXI')).toBeUndefined();
    expect(normaliseAssetCode('')).toBeUndefined();
  });
});

const dates = fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2060-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));

describe('service life', () => {
  it('ends on the anniversary; a 29 February installation ends on 28 February of a common year', () => {
    expect(serviceLifeEnds({ installDate: '2018-05-01', serviceLifeYears: 8 })).toBe('2026-05-01');
    expect(addYears('2024-02-29', 1)).toBe('2025-02-28');
    expect(addYears('2024-02-29', 4)).toBe('2028-02-29');
    expect(addYears('2023-12-31', 1)).toBe('2024-12-31');
  });

  it('in service, then out of warranty the day after it ends, then beyond its life on the anniversary', () => {
    const hoop = { installDate: '2020-06-15', serviceLifeYears: 8, warrantyUntil: '2023-06-14' };
    expect(serviceLifeState(hoop, '2020-06-15')).toBe('in_service');
    expect(serviceLifeState(hoop, '2023-06-14')).toBe('in_service');
    expect(serviceLifeState(hoop, '2023-06-15')).toBe('warranty_expired');
    expect(serviceLifeState(hoop, '2028-06-14')).toBe('warranty_expired');
    expect(serviceLifeState(hoop, '2028-06-15')).toBe('beyond_service_life');
  });

  it('with no warranty on record an asset is in service until its life ends', () => {
    const bench = { installDate: '2020-06-15', serviceLifeYears: 10, warrantyUntil: null };
    expect(serviceLifeState(bench, '2029-12-31')).toBe('in_service');
    expect(serviceLifeState(bench, '2030-06-15')).toBe('beyond_service_life');
  });

  it('never goes back as time passes: in service → out of warranty → beyond (property)', () => {
    const rank = (state: (typeof SERVICE_LIFE_STATES)[number]) => SERVICE_LIFE_STATES.indexOf(state);
    fc.assert(
      fc.property(
        dates,
        fc.integer({ min: 1, max: 50 }),
        fc.option(fc.integer({ min: 0, max: 8000 }), { nil: null }),
        dates,
        fc.integer({ min: 0, max: 9000 }),
        (installDate, serviceLifeYears, warrantyDays, today, later) => {
          const life = { installDate, serviceLifeYears, warrantyUntil: warrantyDays === null ? null : addDays(installDate, warrantyDays) };
          return rank(serviceLifeState(life, today)) <= rank(serviceLifeState(life, addDays(today, later)));
        },
      ),
    );
  });
});

describe('checkAsset', () => {
  const venue = { lat: 34.7466, lng: 113.6253 };
  const today = '2026-11-23';
  const good: AssetFacts = { installDate: '2024-03-01', serviceLifeYears: 8, warrantyUntil: '2027-02-28', lat: null, lng: null };

  it('accepts real dates in order and a position near the venue, or none', () => {
    expect(checkAsset(good, venue, today)).toEqual([]);
    expect(checkAsset({ ...good, warrantyUntil: null }, venue, today)).toEqual([]);
    expect(checkAsset({ ...good, lat: 34.7480, lng: 113.6270 }, venue, today)).toEqual([]);
  });

  it('names each field at fault', () => {
    expect(checkAsset({ ...good, installDate: '2026-02-31' }, venue, today)).toEqual([{ field: 'installDate', reason: 'not_a_date' }]);
    expect(checkAsset({ ...good, installDate: '2026-11-24' }, venue, today)).toEqual([{ field: 'installDate', reason: 'installed_in_future' }]);
    expect(checkAsset({ ...good, installDate: '2027-03-01' }, venue, today)).toEqual([
      { field: 'installDate', reason: 'installed_in_future' },
      { field: 'warrantyUntil', reason: 'warranty_before_install' },
    ]);
    expect(checkAsset({ ...good, warrantyUntil: '2024-02-29' }, venue, today)).toEqual([{ field: 'warrantyUntil', reason: 'warranty_before_install' }]);
    expect(checkAsset({ ...good, lat: 34.75 }, venue, today)).toEqual([{ field: 'lng', reason: 'position_incomplete' }]);
    expect(checkAsset({ ...good, lng: 113.6 }, venue, today)).toEqual([{ field: 'lat', reason: 'position_incomplete' }]);
    // Latitude and longitude swapped, or another city: far from the venue.
    expect(checkAsset({ ...good, lat: 39.9, lng: 116.4 }, venue, today)).toEqual([{ field: 'lat', reason: 'too_far_from_venue' }]);
  });

  it('a warranty ending on the day of installation is allowed', () => {
    expect(checkAsset({ ...good, warrantyUntil: good.installDate }, venue, today)).toEqual([]);
  });
});
