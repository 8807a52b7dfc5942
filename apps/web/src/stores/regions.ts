import { shallowRef } from 'vue';
import { defineStore } from 'pinia';
import type { Region } from '@sports/contracts';
import { listRegions } from '@/api/regions.ts';

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

  return { loadCity, districtsOf, nameOf };
});
