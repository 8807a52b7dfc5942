import { ref, shallowRef } from 'vue';
import type { CreateOrganisationBody, Organisation, OrganisationKind } from '@sports/contracts';
import { ApiError } from '@/api/shared/http.ts';
import { createOrganisation, listOrganisations } from '@/api/accounts/organisations.ts';
import { usePagedList } from '@/composables/shared/usePagedList.ts';

export interface OrganisationListFilter {
  q: string;
  kind: OrganisationKind | '';
  page: number;
  pageSize: number;
}

/** The organisations in the signed-in admin's scope, filtered and paged by the server. */
export function useOrganisationList() {
  const list = usePagedList<Organisation, OrganisationListFilter>({ q: '', kind: '', page: 1, pageSize: 10 }, (filter) =>
    listOrganisations({
      page: filter.page,
      pageSize: filter.pageSize,
      kind: filter.kind || undefined,
      q: filter.q.trim() || undefined,
    }),
  );

  async function create(body: CreateOrganisationBody): Promise<Organisation> {
    const created = await createOrganisation(body);
    await list.load();
    return created;
  }

  return { ...list, create };
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
