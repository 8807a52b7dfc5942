import { shallowRef } from 'vue';
import { defineStore } from 'pinia';
import type { Region } from '@sports/contracts';
import { listRegions } from '@/api/venues/regions.ts';

/** Cities and districts: reference data that rarely changes, fetched once per city and shared. */
export const useRegionStore = defineStore('regions', () => {
  const byCity = shallowRef<Record<string, Region[]>>({});
  const pending = new Map<string, Promise<Region[]>>();

  function loadCity(cityCode: string): Promise<Region[]> {
    const known = byCity.value[cityCode];
    if (known) return Promise.resolve(known);
    let loading = pending.get(cityCode);
    if (!loading) {
      loading = listRegions(cityCode)
        .then((regions) => {
          byCity.value = { ...byCity.value, [cityCode]: regions };
          return regions;
        })
        .finally(() => pending.delete(cityCode));
      pending.set(cityCode, loading);
    }
    return loading;
  }

  /** Every city and its districts (the home-district picker of the real-name page). */
  async function loadAll(): Promise<Region[]> {
    let loading = pending.get('');
    if (!loading) {
      loading = listRegions()
        .then((regions) => {
          const grouped: Record<string, Region[]> = {};
          for (const region of regions) (grouped[region.cityCode] ??= []).push(region);
          byCity.value = { ...byCity.value, ...grouped };
          return regions;
        })
        .finally(() => pending.delete(''));
      pending.set('', loading);
    }
    return loading;
  }

  /** The loaded cities, in the order the API lists them. */
  function cities(): Region[] {
    return Object.values(byCity.value).flatMap((regions) => regions.filter((region) => region.level === 'city'));
  }

  function districtsOf(cityCode: string): Region[] {
    return (byCity.value[cityCode] ?? []).filter((region) => region.level === 'district');
  }

  /** The name of a loaded city or district, or undefined when its city has not been loaded. */
  function nameOf(code: string): string | undefined {
    for (const regions of Object.values(byCity.value)) {
      const found = regions.find((region) => region.code === code);
      if (found) return found.name;
    }
    return undefined;
  }

  return { loadCity, loadAll, cities, districtsOf, nameOf };
});
