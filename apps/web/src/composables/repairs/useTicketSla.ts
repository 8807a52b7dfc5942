import { reactive, ref, watch, type Ref } from 'vue';
import type { TicketPriority } from '@sports/domain';
import { ApiError } from '@/api/shared/http.ts';
import { fetchTicketSla, saveTicketSla } from '@/api/repairs/tickets.ts';
import { i18n } from '@/modules/i18n.ts';
import { slaBody, slaDraftOf, slaProblems, type SlaDraft } from '@/lib/repairs/ticket-rules.ts';

/**
 * An organisation's repair promise (hours to fix per priority): read it, edit it, save it. New
 * tickets, and tickets accepted from then on, are due by it.
 */
export function useTicketSla(organisationId: Ref<string>) {
  const draft = reactive<SlaDraft>({ urgent: '', normal: '', low: '' });
  const errors = reactive<Partial<Record<TicketPriority, string>>>({});
  const loading = ref(false);
  const loadError = ref('');
  const formError = ref('');
  const saving = ref(false);
  let latest = 0;

  function clearErrors(): void {
    for (const key of Object.keys(errors) as TicketPriority[]) delete errors[key];
    formError.value = '';
  }

  async function load(): Promise<void> {
    const request = ++latest;
    clearErrors();
    loadError.value = '';
    if (!organisationId.value) return;
    loading.value = true;
    try {
      const sla = await fetchTicketSla(organisationId.value);
      if (request === latest) Object.assign(draft, slaDraftOf(sla));
    } catch (err) {
      if (request !== latest) return;
      if (!(err instanceof ApiError)) throw err;
      loadError.value = err.detail;
    } finally {
      if (request === latest) loading.value = false;
    }
  }

  /** Checks, then saves; true when the server took it. */
  async function save(): Promise<boolean> {
    clearErrors();
    const t = i18n.global.t;
    const found = slaProblems(draft);
    for (const [priority, problem] of Object.entries(found)) errors[priority as TicketPriority] = t(`tickets.sla.errors.${problem}`);
    if (Object.keys(found).length > 0) {
      formError.value = t('errors.checkFields');
      return false;
    }
    saving.value = true;
    try {
      Object.assign(draft, slaDraftOf(await saveTicketSla(organisationId.value, slaBody(draft))));
      return true;
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      const fields = Object.entries(err.fields).filter(([field]) => field in draft);
      for (const [field, message] of fields) errors[field as TicketPriority] = message;
      formError.value = fields.length > 0 ? t('errors.checkFields') : err.detail;
      return false;
    } finally {
      saving.value = false;
    }
  }

  watch(organisationId, load, { immediate: true });

  return { draft, errors, loading, loadError, formError, saving, load, save };
}
