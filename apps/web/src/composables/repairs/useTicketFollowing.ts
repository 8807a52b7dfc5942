import { ref } from 'vue';
import type { TicketFollowing } from '@sports/contracts';
import { ApiError } from '@/api/shared/http.ts';
import { followTicket, sayMeToo } from '@/api/repairs/repairs.ts';

/**
 * 我也遇到 (+1, which also follows) and 关注 on one ticket, for a signed-in resident. Both are
 * idempotent; the answer (following, +1 given, how many said it) goes to `onAnswer`, and the page
 * shows the pressed state from the ticket it keeps.
 */
export function useTicketFollowing(ticketId: () => string | null, onAnswer: (answer: TicketFollowing) => void) {
  const acting = ref<'meToo' | 'follow' | null>(null);
  const refusal = ref('');

  async function act(kind: 'meToo' | 'follow'): Promise<ApiError | null> {
    const id = ticketId();
    if (!id || acting.value) return null;
    acting.value = kind;
    refusal.value = '';
    try {
      onAnswer(kind === 'meToo' ? await sayMeToo(id) : await followTicket(id));
      return null;
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      refusal.value = err.detail;
      return err;
    } finally {
      acting.value = null;
    }
  }

  return { acting, refusal, meToo: () => act('meToo'), follow: () => act('follow') };
}
