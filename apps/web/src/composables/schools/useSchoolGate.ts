import { computed, onScopeDispose, ref, shallowRef } from 'vue';
import type { EntryResult, Headcount, SchoolSession } from '@sports/contracts';
import { localDate } from '@sports/domain';
import { ApiError } from '@/api/shared/http.ts';
import { fetchHeadcount, listManagedSessions, recordEntry } from '@/api/schools/schools.ts';
import { SCHOOL_TIME_ZONE } from '@/lib/schools/school-rules.ts';

/** How often the gate asks for the headcount while the page is open. */
export const HEADCOUNT_REFRESH_MS = 15_000;

/**
 * The school gate on a phone: today's sessions, one of them watched (its headcount refreshed every few
 * seconds), and each scanned or typed entry code recorded as coming in or going out.
 */
export function useSchoolGate(now: () => Date = () => new Date()) {
  const direction = ref<'in' | 'out'>('in');
  const result = shallowRef<EntryResult | null>(null);
  /** The direction the last answer was for (the toggle may have moved since). */
  const resultDirection = ref<'in' | 'out'>('in');
  const refusal = ref('');
  const busy = ref(false);
  const sessions = shallowRef<SchoolSession[]>([]);
  const sessionsError = ref('');
  const sessionsLoading = ref(false);
  const watchedId = ref('');
  const headcount = shallowRef<Headcount | null>(null);
  const headcountError = ref('');
  let timer: ReturnType<typeof setInterval> | null = null;

  const watched = computed(() => sessions.value.find((session) => session.id === watchedId.value) ?? result.value?.session ?? null);

  /** Today's sessions; the one whose entry is open now (or next) is watched. */
  async function loadSessions(): Promise<void> {
    const today = localDate(now(), SCHOOL_TIME_ZONE);
    sessionsLoading.value = true;
    sessionsError.value = '';
    try {
      const found = await listManagedSessions({ from: today, to: today, page: 1, pageSize: 50 });
      sessions.value = found.items;
      if (!watchedId.value || !found.items.some((session) => session.id === watchedId.value)) {
        const at = now().getTime();
        const current = found.items.find((session) => new Date(session.end).getTime() >= at && session.status === 'open') ?? found.items[0];
        watchedId.value = current?.id ?? '';
      }
      await refreshHeadcount();
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      sessionsError.value = err.detail;
    } finally {
      sessionsLoading.value = false;
    }
  }

  async function refreshHeadcount(): Promise<void> {
    const id = watchedId.value;
    if (!id) {
      headcount.value = null;
      return;
    }
    try {
      const found = await fetchHeadcount(id);
      if (id === watchedId.value) {
        headcount.value = found;
        headcountError.value = '';
      }
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      headcountError.value = err.detail;
    }
  }

  function watchSession(id: string): Promise<void> {
    watchedId.value = id;
    headcount.value = null;
    return refreshHeadcount();
  }

  async function submit(code: string): Promise<void> {
    const text = code.trim();
    if (!text || busy.value) return;
    busy.value = true;
    result.value = null;
    refusal.value = '';
    try {
      const asked = direction.value;
      const answer = await recordEntry({ code: text, direction: asked });
      result.value = answer;
      resultDirection.value = asked;
      // The gate follows the session of the last person through it.
      watchedId.value = answer.session.id;
      headcount.value = answer.headcount;
      if (!sessions.value.some((session) => session.id === answer.session.id)) sessions.value = [...sessions.value, answer.session];
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      refusal.value = err.detail;
    } finally {
      busy.value = false;
    }
  }

  function startRefreshing(): void {
    timer ??= setInterval(() => void refreshHeadcount(), HEADCOUNT_REFRESH_MS);
  }

  function stopRefreshing(): void {
    if (timer) clearInterval(timer);
    timer = null;
  }

  onScopeDispose(stopRefreshing);

  return {
    direction,
    result,
    resultDirection,
    refusal,
    busy,
    sessions,
    sessionsError,
    sessionsLoading,
    watchedId,
    watched,
    headcount,
    headcountError,
    loadSessions,
    refreshHeadcount,
    watchSession,
    submit,
    startRefreshing,
    stopRefreshing,
  };
}
