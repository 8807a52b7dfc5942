import { reactive, ref, shallowRef } from 'vue';
import type { VenueSummary } from '@sports/contracts';
import type { VenueKind } from '@sports/domain';
import { ApiError } from '@/api/http.ts';
import { listVenues } from '@/api/venues.ts';

export interface ManagedVenueFilter {
  q: string;
  kind: VenueKind | '';
  district: string;
  page: number;
  pageSize: number;
}

/** The venues the signed-in staff member may edit (public or not), filtered and paged by the server. */
export function useManagedVenues() {
  const filter = reactive<ManagedVenueFilter>({ q: '', kind: '', district: '', page: 1, pageSize: 10 });
  const items = shallowRef<VenueSummary[]>([]);
  const total = ref(0);
  const loading = ref(false);
  const error = ref('');
  let latest = 0;

  async function load(): Promise<void> {
    const ticket = ++latest;
    loading.value = true;
    error.value = '';
    try {
      const page = await listVenues({
        managed: true,
        page: filter.page,
        pageSize: filter.pageSize,
        q: filter.q.trim() || undefined,
        kind: filter.kind || undefined,
        district: filter.district || undefined,
      });
      if (ticket !== latest) return;
      items.value = page.items;
      total.value = page.total;
    } catch (err) {
      if (ticket !== latest) return;
      if (!(err instanceof ApiError)) throw err;
      items.value = [];
      total.value = 0;
      error.value = err.detail;
    } finally {
      if (ticket === latest) loading.value = false;
    }
  }

  /** New search terms start again from the first page. */
  function search(): Promise<void> {
    filter.page = 1;
    return load();
  }

  function goToPage(page: number): Promise<void> {
    filter.page = page;
    return load();
  }

  return { filter, items, total, loading, error, load, search, goToPage };
}
