import { ref, shallowRef } from 'vue';
import type { Pledge, SetPledgeBody } from '@sports/contracts';
import { ApiError } from '@/api/shared/http.ts';
import { fetchPledge, setPledge } from '@/api/schools/schools.ts';

/** A school's safety pledge for its staff: the current version (none yet is fine) and a new version. */
export function useSchoolPledge() {
  const organisationId = ref('');
  const pledge = shallowRef<Pledge | null>(null);
  const loading = ref(false);
  const error = ref('');

  async function load(): Promise<void> {
    if (!organisationId.value) return;
    loading.value = true;
    error.value = '';
    try {
      pledge.value = await fetchPledge(organisationId.value);
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      pledge.value = null;
      if (err.status !== 404) error.value = err.detail;
    } finally {
      loading.value = false;
    }
  }

  /** Publishes the text as the next version; the API's refusal is thrown for the form to place. */
  async function save(body: SetPledgeBody): Promise<Pledge> {
    const saved = await setPledge(organisationId.value, body);
    pledge.value = saved;
    return saved;
  }

  return { organisationId, pledge, loading, error, load, save };
}
