import { computed, ref, shallowRef } from 'vue';
import type { RoleScope, StaffRole } from '@sports/contracts';
import { ApiError } from '@/api/shared/http.ts';
import { listOrganisations } from '@/api/accounts/organisations.ts';
import { useAuthStore } from '@/stores/auth.ts';

export type VenueOwner = RoleScope['organisation'];

const MANAGERS: readonly StaffRole[] = ['bureau_admin', 'operator', 'school_admin'];

/**
 * The organisations a venue may belong to, for the signed-in manager: the ones their roles are held
 * in; a bureau admin may also choose any organisation in the bureau's scope.
 */
export function useVenueOwners() {
  const auth = useAuthStore();
  const owners = shallowRef<VenueOwner[]>([]);
  const loading = ref(false);
  const error = ref('');
  const canReassign = computed(() => auth.hasRole('bureau_admin'));

  async function load(): Promise<void> {
    const found = new Map<string, VenueOwner>();
    for (const scope of auth.roles) if (MANAGERS.includes(scope.role)) found.set(scope.organisation.id, scope.organisation);
    owners.value = [...found.values()];
    if (!canReassign.value) return;
    loading.value = true;
    error.value = '';
    try {
      for (let page = 1; ; page++) {
        const result = await listOrganisations({ page, pageSize: 100 });
        for (const { id, name, kind, cityCode, districtCode } of result.items) {
          if (!found.has(id)) found.set(id, { id, name, kind, cityCode, districtCode });
        }
        if (result.items.length === 0 || page * 100 >= result.total) break;
      }
      owners.value = [...found.values()];
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      error.value = err.detail;
    } finally {
      loading.value = false;
    }
  }

  return { owners, loading, error, canReassign, load };
}
