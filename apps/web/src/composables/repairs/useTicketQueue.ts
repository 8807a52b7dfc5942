import { ref, shallowRef } from 'vue';
import type { TicketSummary, VenueSummary } from '@sports/contracts';
import { normaliseTicketCodeSearch, type TicketPriority, type TicketState } from '@sports/domain';
import { ApiError } from '@/api/shared/http.ts';
import { listTickets } from '@/api/repairs/tickets.ts';
import { listVenues } from '@/api/venues/venues.ts';
import { usePagedList } from '@/composables/shared/usePagedList.ts';

export interface TicketQueueFilter {
  /** A ticket code or its first 3+ characters, as typed. */
  code: string;
  state: TicketState | '';
  priority: TicketPriority | '';
  venueId: string;
  overdueOnly: boolean;
  page: number;
  pageSize: number;
}

/** A code typed that no ticket code can begin with (the page says so beside the box, and asks nothing). */
export function ticketCodeProblem(filter: Pick<TicketQueueFilter, 'code'>): boolean {
  return filter.code.trim() !== '' && normaliseTicketCodeSearch(filter.code) === undefined;
}

/** The 报修队列: tickets of the organisations the caller reaches, overdue first, filtered and paged by the server. */
export function useTicketQueue() {
  /** The code (or its start) the list shown was asked for, in stored form; '' when it was not searched by code. */
  const searchedCode = ref('');
  const list = usePagedList<TicketSummary, TicketQueueFilter>(
    { code: '', state: '', priority: '', venueId: '', overdueOnly: false, page: 1, pageSize: 20 },
    (filter) => {
      const code = normaliseTicketCodeSearch(filter.code);
      searchedCode.value = code ?? '';
      return listTickets({
        page: filter.page,
        pageSize: filter.pageSize,
        code,
        state: filter.state || undefined,
        priority: filter.priority || undefined,
        venueId: filter.venueId || undefined,
        overdue: filter.overdueOnly ? true : undefined,
      });
    },
  );
  /** The venues the caller keeps, for the venue filter; empty (no filter offered) when they cannot be read. */
  const venues = shallowRef<VenueSummary[]>([]);

  async function loadVenues(): Promise<void> {
    try {
      venues.value = (await listVenues({ managed: true, page: 1, pageSize: 100 })).items;
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      venues.value = [];
    }
  }

  return { ...list, searchedCode, venues, loadVenues };
}

/** 我的工单: the tickets assigned to the signed-in technician, overdue first. */
export function useMyTickets() {
  return usePagedList<TicketSummary, { state: TicketState | ''; page: number; pageSize: number }>(
    { state: '', page: 1, pageSize: 10 },
    (filter) => listTickets({ assignee: 'me', state: filter.state || undefined, page: filter.page, pageSize: filter.pageSize }),
  );
}
