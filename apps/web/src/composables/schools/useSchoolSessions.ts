import { computed, reactive, ref, shallowRef } from 'vue';
import type { SchoolSession } from '@sports/contracts';
import { localDate, SCHOOL_WINDOW_DAYS, type Sport } from '@sports/domain';
import { ApiError } from '@/api/shared/http.ts';
import { listSessions } from '@/api/schools/schools.ts';
import { SCHOOL_TIME_ZONE, windowDates } from '@/lib/schools/school-rules.ts';

/** The city whose school fields residents browse (the platform's first city, Zhengzhou). */
export const SCHOOL_CITY = '410100';

export interface SessionFilter {
  date: string;
  district: string;
  sport: Sport | '';
}

/** 校园开放: one date's open school sessions in the city, by district and sport, a page at a time. */
export function useSchoolSessions(now: () => Date = () => new Date()) {
  const today = localDate(now(), SCHOOL_TIME_ZONE);
  // Sessions are open for registration from today to SCHOOL_WINDOW_DAYS ahead, both included.
  const dates = windowDates(today, SCHOOL_WINDOW_DAYS + 1);
  const filter = reactive<SessionFilter>({ date: today, district: '', sport: '' });
  const items = shallowRef<SchoolSession[]>([]);
  const total = ref(0);
  const page = ref(1);
  const loading = ref(false);
  const error = ref('');
  let latest = 0;

  const hasMore = computed(() => items.value.length < total.value);

  async function load(more = false): Promise<void> {
    const ticket = ++latest;
    loading.value = true;
    error.value = '';
    page.value = more ? page.value + 1 : 1;
    try {
      const found = await listSessions({
        city: SCHOOL_CITY,
        date: filter.date,
        district: filter.district || undefined,
        sport: filter.sport || undefined,
        page: page.value,
        pageSize: 20,
      });
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

  return { today, dates, filter, items, total, loading, error, hasMore, load };
}
