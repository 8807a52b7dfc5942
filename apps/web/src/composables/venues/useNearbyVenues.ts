import { computed, ref, shallowRef } from 'vue';
import type { VenueSummary } from '@sports/contracts';
import { ApiError } from '@/api/shared/http.ts';
import { listVenues, type VenueFilterParams } from '@/api/venues/venues.ts';

/** The list view: venues nearest a point first, a page at a time ("load more"). */
export function useNearbyVenues(pageSize = 20) {
  const items = shallowRef<VenueSummary[]>([]);
  const total = ref(0);
  const page = ref(0);
  const loading = ref(false);
  const error = ref('');
  const hasMore = computed(() => items.value.length < total.value);
  let params: VenueFilterParams = {};
  let latest = 0;

  async function fetchPage(next: number): Promise<void> {
    const ticket = ++latest;
    loading.value = true;
    error.value = '';
    try {
      const found = await listVenues({ ...params, page: next, pageSize });
      if (ticket !== latest) return;
      items.value = next === 1 ? found.items : [...items.value, ...found.items];
      total.value = found.total;
      page.value = next;
    } catch (err) {
      if (ticket !== latest) return;
      if (!(err instanceof ApiError)) throw err;
      if (next === 1) {
        items.value = [];
        total.value = 0;
      }
      error.value = err.detail;
    } finally {
      if (ticket === latest) loading.value = false;
    }
  }

  /** A new question (filters or origin) starts again from the first page. */
  function search(next: VenueFilterParams): Promise<void> {
    params = next;
    return fetchPage(1);
  }

  function loadMore(): Promise<void> {
    return fetchPage(page.value + 1);
  }

  /** After a failure: asks for the page that failed again. */
  function retry(): Promise<void> {
    return fetchPage(items.value.length === 0 ? 1 : page.value + 1);
  }

  return { items, total, loading, error, hasMore, search, loadMore, retry };
}
