import { ref, shallowRef, watch, type Ref } from 'vue';
import type { VenueDetail } from '@sports/contracts';
import { ApiError } from '@/api/shared/http.ts';
import { fetchVenue } from '@/api/venues/venues.ts';

/** One venue for its public page: loading, found, not found (or not public), or failed. */
export function useVenue(id: Ref<string>) {
  const venue = shallowRef<VenueDetail | null>(null);
  const loading = ref(false);
  const notFound = ref(false);
  const error = ref('');
  let latest = 0;

  async function load(): Promise<void> {
    const ticket = ++latest;
    loading.value = true;
    notFound.value = false;
    error.value = '';
    try {
      const found = await fetchVenue(id.value);
      if (ticket === latest) venue.value = found;
    } catch (err) {
      if (ticket !== latest) return;
      if (!(err instanceof ApiError)) throw err;
      venue.value = null;
      // A malformed id is as absent as an unknown one.
      if (err.status === 404 || err.status === 400) notFound.value = true;
      else error.value = err.detail;
    } finally {
      if (ticket === latest) loading.value = false;
    }
  }

  watch(id, load, { immediate: true });

  return { venue, loading, notFound, error, load };
}
