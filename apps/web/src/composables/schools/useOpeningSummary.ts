import { ref, shallowRef } from 'vue';
import type { OpeningSummary } from '@sports/contracts';
import { ApiError } from '@/api/shared/http.ts';
import { fetchOpeningSummary } from '@/api/schools/schools.ts';

/** The bureau's 校园开放统计 for one city: per district, school venues open and places used. */
export function useOpeningSummary() {
  const city = ref('');
  const summary = shallowRef<OpeningSummary | null>(null);
  const loading = ref(false);
  const error = ref('');
  let latest = 0;

  async function load(): Promise<void> {
    if (!city.value) return;
    const ticket = ++latest;
    loading.value = true;
    error.value = '';
    try {
      const found = await fetchOpeningSummary(city.value);
      if (ticket === latest) summary.value = found;
    } catch (err) {
      if (ticket !== latest) return;
      if (!(err instanceof ApiError)) throw err;
      summary.value = null;
      error.value = err.detail;
    } finally {
      if (ticket === latest) loading.value = false;
    }
  }

  return { city, summary, loading, error, load };
}
