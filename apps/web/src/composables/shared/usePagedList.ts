import { reactive, ref, shallowRef, type Ref, type UnwrapNestedRefs } from 'vue';
import type { Page } from '@sports/contracts';
import { ApiError } from '@/api/shared/http.ts';

export interface PageFilter {
  page: number;
  pageSize: number;
}

/**
 * A server-paged, filtered list: the latest request wins (an earlier, slower answer is dropped),
 * a refused request shows its message and empties the list, new search terms start at page 1.
 */
export function usePagedList<T, F extends PageFilter>(initial: F, fetchPage: (filter: F) => Promise<Page<T>>) {
  const filter = reactive(initial) as UnwrapNestedRefs<F>;
  const items = shallowRef<T[]>([]);
  const total = ref(0);
  const loading = ref(false);
  const error = ref('');
  let latest = 0;

  async function load(): Promise<void> {
    const ticket = ++latest;
    loading.value = true;
    error.value = '';
    try {
      const page = await fetchPage(filter as F);
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

/**
 * What a list's view needs of `usePagedList` (its answer, or a composable's answer that spreads it):
 * `components/console/ConsoleListPage.vue` takes it whole.
 */
export interface PagedListView<T extends object = object> {
  readonly filter: Readonly<PageFilter>;
  readonly items: Readonly<Ref<T[]>>;
  readonly total: Readonly<Ref<number>>;
  readonly loading: Readonly<Ref<boolean>>;
  readonly error: Readonly<Ref<string>>;
  load(): Promise<void>;
  goToPage(page: number): Promise<void>;
}
