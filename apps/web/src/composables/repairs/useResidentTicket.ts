import { ref, shallowRef, watch, type Ref } from 'vue';
import type { TicketDetail } from '@sports/contracts';
import type { TicketMove } from '@sports/domain';
import { ApiError } from '@/api/shared/http.ts';
import { rateTicket } from '@/api/repairs/repairs.ts';
import { fetchTicket, moveTicket } from '@/api/repairs/tickets.ts';
import { useTicketFollowing } from './useTicketFollowing.ts';

/**
 * A repair ticket as a resident follows it (`/repairs/:id`, readable by anyone with the link): its
 * state and timeline, 我也遇到 and 关注, and for its reporter the rating and the moves the server
 * allows them (confirm the fix, or reopen it with a reason).
 */
export function useResidentTicket(id: Ref<string>) {
  const ticket = shallowRef<TicketDetail | null>(null);
  const loading = ref(false);
  const notFound = ref(false);
  const error = ref('');
  /** What the reporter is doing: rating, or one of their moves. */
  const busy = ref<'rating' | TicketMove | null>(null);
  const refusal = ref('');
  let latest = 0;

  async function load(): Promise<void> {
    const attempt = ++latest;
    loading.value = true;
    notFound.value = false;
    error.value = '';
    try {
      const found = await fetchTicket(id.value);
      if (attempt === latest) ticket.value = found;
    } catch (err) {
      if (attempt !== latest) return;
      if (!(err instanceof ApiError)) throw err;
      ticket.value = null;
      if (err.status === 404 || err.status === 400) notFound.value = true;
      else error.value = err.detail;
    } finally {
      if (attempt === latest) loading.value = false;
    }
  }

  const following = useTicketFollowing(
    () => ticket.value?.id ?? null,
    (answer) => {
      if (ticket.value) ticket.value = { ...ticket.value, following: answer.following, meTooCount: answer.meTooCount, meTooByMe: answer.meToo };
    },
  );

  /** Runs one change the server answers with the ticket as it now stands; a refusal is shown and the ticket read again. */
  async function change(what: 'rating' | TicketMove, call: (ticketId: string) => Promise<TicketDetail>): Promise<boolean> {
    const current = ticket.value;
    if (!current || busy.value) return false;
    busy.value = what;
    refusal.value = '';
    try {
      ticket.value = await call(current.id);
      return true;
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      refusal.value = err.detail;
      // Someone (or the auto-close sweep) may have moved it meanwhile: show how it stands now.
      if (err.status === 409) await load();
      return false;
    } finally {
      busy.value = null;
    }
  }

  function rate(stars: number): Promise<boolean> {
    return change('rating', (ticketId) => rateTicket(ticketId, stars));
  }

  function move(next: 'close' | 'reopen', reason?: string): Promise<boolean> {
    return change(next, (ticketId) => moveTicket(ticketId, reason === undefined ? { move: next } : { move: next, reason }));
  }

  watch(id, load, { immediate: true });

  return {
    ticket,
    loading,
    notFound,
    error,
    busy,
    refusal,
    actionRefusal: following.refusal,
    acting: following.acting,
    load,
    rate,
    move,
    meToo: following.meToo,
    follow: following.follow,
  };
}
