import { ref, shallowRef, watch, type Ref } from 'vue';
import type { GrantRoleBody, Organisation, RoleAssignment } from '@sports/contracts';
import { ApiError } from '@/api/shared/http.ts';
import { grantRole, listRoleAssignments, revokeRole } from '@/api/accounts/organisations.ts';

/** The roles held in one organisation; reloads when the organisation changes. */
export function useRoleAssignments(organisation: Ref<Organisation>) {
  const items = shallowRef<RoleAssignment[]>([]);
  const loading = ref(false);
  const error = ref('');
  let latest = 0;

  async function load(): Promise<void> {
    const ticket = ++latest;
    loading.value = true;
    error.value = '';
    try {
      const found = await listRoleAssignments(organisation.value.id);
      if (ticket === latest) items.value = found;
    } catch (err) {
      if (ticket !== latest) return;
      if (!(err instanceof ApiError)) throw err;
      items.value = [];
      error.value = err.detail;
    } finally {
      if (ticket === latest) loading.value = false;
    }
  }

  async function grant(body: GrantRoleBody): Promise<RoleAssignment> {
    const granted = await grantRole(organisation.value.id, body);
    await load();
    return granted;
  }

  async function revoke(assignment: RoleAssignment): Promise<void> {
    await revokeRole(organisation.value.id, assignment.id);
    await load();
  }

  watch(() => organisation.value.id, load, { immediate: true });

  return { items, loading, error, load, grant, revoke };
}
