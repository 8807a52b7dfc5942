import { ref, shallowRef } from 'vue';
import type { VenueFeatureCollection } from '@sports/contracts';
import { ApiError } from '@/api/shared/http.ts';
import { fetchVenueFeatures } from '@/api/venues/map.ts';
import type { VenueFilterParams } from '@/api/venues/venues.ts';

export type VenueFeature = VenueFeatureCollection['features'][number];

/** The venues on the map: the latest question wins, answers to older ones are dropped. */
export function useVenueFeatures() {
  const features = shallowRef<VenueFeature[]>([]);
  const loading = ref(false);
  const error = ref('');
  let latest = 0;

  async function load(params: VenueFilterParams): Promise<void> {
    const ticket = ++latest;
    loading.value = true;
    error.value = '';
    try {
      const collection = await fetchVenueFeatures(params);
      if (ticket === latest) features.value = collection.features;
    } catch (err) {
      if (ticket !== latest) return;
      if (!(err instanceof ApiError)) throw err;
      error.value = err.detail;
    } finally {
      if (ticket === latest) loading.value = false;
    }
  }

  return { features, loading, error, load };
}
