import { ref, shallowRef, watch, type Ref } from 'vue';
import type { PublicAsset } from '@sports/contracts';
import { ApiError } from '@/api/shared/http.ts';
import { fetchPublicAsset } from '@/api/repairs/repairs.ts';
import type { OpenTicket } from '@/lib/repairs/report-rules.ts';
import { useTicketFollowing } from './useTicketFollowing.ts';

/**
 * What a label's QR code opens (`/r/<code>`): the equipment, and the ticket already open on it, if
 * any, with 我也遇到 and 关注 — or, when there is none, room for a new report.
 */
export function useAssetReport(code: Ref<string>) {
  const asset = shallowRef<PublicAsset | null>(null);
  const openTicket = shallowRef<OpenTicket | null>(null);
  const following = ref(false);
  const loading = ref(false);
  const notFound = ref(false);
  const error = ref('');
  let latest = 0;

  async function load(): Promise<void> {
    const ticket = ++latest;
    loading.value = true;
    notFound.value = false;
    error.value = '';
    try {
      const found = await fetchPublicAsset(code.value);
      if (ticket !== latest) return;
      asset.value = found;
      openTicket.value = found.openTicket;
      // Saying 我也遇到 follows the ticket too.
      following.value = found.openTicket?.meTooByMe ?? false;
    } catch (err) {
      if (ticket !== latest) return;
      if (!(err instanceof ApiError)) throw err;
      asset.value = null;
      openTicket.value = null;
      // A code with characters no label has is as unknown as a code nobody printed.
      if (err.status === 404 || err.status === 400) notFound.value = true;
      else error.value = err.detail;
    } finally {
      if (ticket === latest) loading.value = false;
    }
  }

  const actions = useTicketFollowing(
    () => openTicket.value?.id ?? null,
    (answer) => {
      following.value = answer.following;
      if (openTicket.value) openTicket.value = { ...openTicket.value, meTooCount: answer.meTooCount, meTooByMe: answer.meToo };
    },
  );

  /** +1 on the open ticket; if it was closed meanwhile, the page is loaded again (the form comes back). */
  async function meToo(): Promise<void> {
    const refused = await actions.meToo();
    if (refused?.code === 'TICKET_NOT_OPEN') await load();
  }

  watch(code, load, { immediate: true });

  return {
    asset,
    openTicket,
    following,
    acting: actions.acting,
    refusal: actions.refusal,
    loading,
    notFound,
    error,
    load,
    meToo,
    follow: actions.follow,
  };
}
