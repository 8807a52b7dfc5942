import { ref, shallowRef } from 'vue';
import type { TicketSummary } from '@sports/contracts';
import { ApiError } from '@/api/shared/http.ts';
import { listMyTickets } from '@/api/repairs/repairs.ts';

const PAGE_SIZE = 20;

/** 我的报修: the tickets the resident reported or follows, newest first, a page at a time. */
export function useMyRepairs() {
  const items = shallowRef<TicketSummary[]>([]);
  const total = ref(0);
  const page = ref(1);
  const loading = ref(false);
  const error = ref('');
  let latest = 0;

  /** The first page, or with `more` the next one after those shown. */
  async function load(more = false): Promise<void> {
    const ticket = ++latest;
    loading.value = true;
    error.value = '';
    const next = more ? page.value + 1 : 1;
    try {
      const found = await listMyTickets({ page: next, pageSize: PAGE_SIZE });
      if (ticket !== latest) return;
      page.value = next;
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

  return { items, total, loading, error, load };
}
