import { ref, shallowRef } from 'vue';
import type { KpiQuery, KpiReport } from '@sports/contracts';
import { ApiError } from '@/api/shared/http.ts';
import { fetchKpiReport } from '@/api/dashboard/kpis.ts';

/**
 * The bureau's figures for one city or district and period. The latest request wins: an earlier,
 * slower answer (the person changed the period meanwhile) is dropped.
 */
export function useKpiReport() {
  const report = shallowRef<KpiReport | null>(null);
  const loading = ref(false);
  const error = ref('');
  let latest = 0;
  let lastQuery: KpiQuery | null = null;

  async function load(query: KpiQuery): Promise<void> {
    const ticket = ++latest;
    lastQuery = query;
    loading.value = true;
    error.value = '';
    try {
      const found = await fetchKpiReport(query);
      if (ticket === latest) report.value = found;
    } catch (err) {
      if (ticket !== latest) return;
      if (!(err instanceof ApiError)) throw err;
      report.value = null;
      error.value = err.detail;
    } finally {
      if (ticket === latest) loading.value = false;
    }
  }

  /** Asks again for what was last asked (the retry button). */
  function reload(): Promise<void> {
    return lastQuery ? load(lastQuery) : Promise.resolve();
  }

  return { report, loading, error, load, reload };
}
