import { reactive, ref, shallowRef } from 'vue';
import type { CreateOrganisationBody, Organisation, OrganisationKind } from '@sports/contracts';
import { ApiError } from '@/api/http.ts';
import { createOrganisation, listOrganisations } from '@/api/organisations.ts';

export interface OrganisationListFilter {
  q: string;
  kind: OrganisationKind | '';
  page: number;
  pageSize: number;
}

/** The organisations in the signed-in admin's scope, filtered and paged by the server. */
export function useOrganisationList() {
  const filter = reactive<OrganisationListFilter>({ q: '', kind: '', page: 1, pageSize: 10 });
  const items = shallowRef<Organisation[]>([]);
  const total = ref(0);
  const loading = ref(false);
  const error = ref('');
  let latest = 0;

  async function load(): Promise<void> {
    const ticket = ++latest;
    loading.value = true;
    error.value = '';
    try {
      const page = await listOrganisations({
        page: filter.page,
        pageSize: filter.pageSize,
        kind: filter.kind || undefined,
        q: filter.q.trim() || undefined,
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

  async function create(body: CreateOrganisationBody): Promise<Organisation> {
    const created = await createOrganisation(body);
    await load();
    return created;
  }

  return { filter, items, total, loading, error, load, search, goToPage, create };
}

/** Every bureau in scope: the possible parents of a new organisation. */
export function useBureausInScope() {
  const bureaus = shallowRef<Organisation[]>([]);
  const loading = ref(false);
  const error = ref('');

  async function load(): Promise<void> {
    loading.value = true;
    error.value = '';
    try {
      const found: Organisation[] = [];
      for (let page = 1; ; page++) {
        const result = await listOrganisations({ page, pageSize: 100, kind: 'bureau' });
        found.push(...result.items);
        if (result.items.length === 0 || found.length >= result.total) break;
      }
      bureaus.value = found;
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      error.value = err.detail;
    } finally {
      loading.value = false;
    }
  }

  return { bureaus, loading, error, load };
}
