import { ref, shallowRef } from 'vue';
import type { SchoolRegistration } from '@sports/contracts';
import { ApiError } from '@/api/shared/http.ts';
import { cancelRegistration, listMyRegistrations } from '@/api/schools/schools.ts';

/** 我的预约 › 校园开放: upcoming or past school registrations (paged) and cancelling one. */
export function useMySchoolRegistrations() {
  const when = ref<'upcoming' | 'past'>('upcoming');
  const items = shallowRef<SchoolRegistration[]>([]);
  const total = ref(0);
  const page = ref(1);
  const loading = ref(false);
  const error = ref('');
  let latest = 0;

  async function load(more = false): Promise<void> {
    const ticket = ++latest;
    loading.value = true;
    error.value = '';
    page.value = more ? page.value + 1 : 1;
    try {
      const found = await listMyRegistrations({ when: when.value, page: page.value, pageSize: 20 });
      if (ticket !== latest) return;
      items.value = more ? [...items.value, ...found.items] : found.items;
      total.value = found.total;
    } catch (err) {
      if (ticket !== latest) return;
      if (!(err instanceof ApiError)) throw err;
      if (!more) items.value = [];
      error.value = err.detail;
    } finally {
      if (ticket === latest) loading.value = false;
    }
  }

  /** Cancels one of mine; the server's refusal comes back as the message. */
  async function cancel(id: string): Promise<string | null> {
    try {
      const updated = await cancelRegistration(id);
      items.value = items.value.map((item) => (item.id === id ? updated : item));
      return null;
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      return err.detail;
    }
  }

  return { when, items, total, loading, error, load, cancel };
}
