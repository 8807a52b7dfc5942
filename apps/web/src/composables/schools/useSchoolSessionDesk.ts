import { reactive, ref, shallowRef } from 'vue';
import type { Page, SchoolSession, StaffRegistration } from '@sports/contracts';
import { addDays, localDate } from '@sports/domain';
import { ApiError } from '@/api/shared/http.ts';
import { closeSession, fetchSessionRegistrationsCsv, listManagedSessions, listSessionRegistrations } from '@/api/schools/schools.ts';
import { SCHOOL_TIME_ZONE } from '@/lib/schools/school-rules.ts';
import { usePagedList } from '@/composables/shared/usePagedList.ts';

export interface ManagedSessionFilter {
  from: string;
  to: string;
  page: number;
  pageSize: number;
}

/** Saves a file the API sent through the browser's download. */
function saveBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/**
 * The console's sessions of the schools one manages: listed by date range, closed with a reason, and
 * each session's registrations (masked) as a table or a CSV file.
 */
export function useSchoolSessionDesk(now: () => Date = () => new Date()) {
  const today = localDate(now(), SCHOOL_TIME_ZONE);
  const sessions = usePagedList<SchoolSession, ManagedSessionFilter>({ from: today, to: addDays(today, 7), page: 1, pageSize: 20 }, (filter) =>
    listManagedSessions({ page: filter.page, pageSize: filter.pageSize, from: filter.from || undefined, to: filter.to || undefined }),
  );

  /** Closes a session; the API's refusal is thrown for the dialog's form to show. */
  async function close(id: string, reason: string): Promise<void> {
    const updated = await closeSession(id, reason);
    sessions.items.value = sessions.items.value.map((item) => (item.id === id ? updated : item));
  }

  /** The registrations of the session opened in the side panel. */
  const opened = shallowRef<SchoolSession | null>(null);
  const registrations = reactive({ page: 1, pageSize: 20 });
  const rows = shallowRef<StaffRegistration[]>([]);
  const rowsTotal = ref(0);
  const rowsLoading = ref(false);
  const rowsError = ref('');
  let latest = 0;

  async function loadRegistrations(page = registrations.page): Promise<void> {
    const session = opened.value;
    if (!session) return;
    const ticket = ++latest;
    registrations.page = page;
    rowsLoading.value = true;
    rowsError.value = '';
    try {
      const found: Page<StaffRegistration> = await listSessionRegistrations(session.id, { ...registrations });
      if (ticket !== latest) return;
      rows.value = found.items;
      rowsTotal.value = found.total;
    } catch (err) {
      if (ticket !== latest) return;
      if (!(err instanceof ApiError)) throw err;
      rows.value = [];
      rowsTotal.value = 0;
      rowsError.value = err.detail;
    } finally {
      if (ticket === latest) rowsLoading.value = false;
    }
  }

  function open(session: SchoolSession | null): Promise<void> {
    opened.value = session;
    rows.value = [];
    rowsTotal.value = 0;
    return loadRegistrations(1);
  }

  async function downloadCsv(session: SchoolSession): Promise<string | null> {
    try {
      saveBlob(await fetchSessionRegistrationsCsv(session.id), `school-registrations-${session.date}-${session.id.slice(0, 8)}.csv`);
      return null;
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      return err.detail;
    }
  }

  return {
    today,
    sessions,
    close,
    opened,
    registrations,
    rows,
    rowsTotal,
    rowsLoading,
    rowsError,
    open,
    loadRegistrations,
    downloadCsv,
  };
}
