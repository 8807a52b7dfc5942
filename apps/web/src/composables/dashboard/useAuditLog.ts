import { ref, shallowRef } from 'vue';
import type { AuditEntry, AuditQuery, Organisation } from '@sports/contracts';
import { isMainlandMobile } from '@sports/domain';
import { listAuditEntries } from '@/api/dashboard/audit.ts';
import { ApiError } from '@/api/shared/http.ts';
import { listOrganisations } from '@/api/accounts/organisations.ts';
import { usePagedList } from '@/composables/shared/usePagedList.ts';

export interface AuditFilter {
  /** The person who acted, by phone number. */
  phone: string;
  organisationId: string;
  /** An action or a prefix of one (`ticket.`, `asset.status`). */
  action: string;
  from: string;
  to: string;
  page: number;
  pageSize: number;
}

export const AUDIT_ACTION_PATTERN = /^[a-z_.]+$/;

/** What is wrong with the filter as typed (i18n keys under `audit.problems`); nothing is sent while any is. */
export function auditFilterProblems(filter: AuditFilter): Partial<Record<'phone' | 'action' | 'to', 'phone' | 'action' | 'order'>> {
  const found: Partial<Record<'phone' | 'action' | 'to', 'phone' | 'action' | 'order'>> = {};
  const phone = filter.phone.trim();
  if (phone && !isMainlandMobile(phone)) found.phone = 'phone';
  const action = filter.action.trim();
  if (action && (action.length > 60 || !AUDIT_ACTION_PATTERN.test(action))) found.action = 'action';
  if (filter.from && filter.to && filter.from > filter.to) found.to = 'order';
  return found;
}

/** The filter as the API takes it: empty parts left out. */
export function auditQuery(filter: AuditFilter): AuditQuery {
  const query: AuditQuery = { page: filter.page, pageSize: filter.pageSize };
  if (filter.phone.trim()) query.actorPhone = filter.phone.trim();
  if (filter.organisationId) query.organisationId = filter.organisationId;
  if (filter.action.trim()) query.action = filter.action.trim();
  if (filter.from) query.from = filter.from;
  if (filter.to) query.to = filter.to;
  return query;
}

export function emptyAuditFilter(): AuditFilter {
  return { phone: '', organisationId: '', action: '', from: '', to: '', page: 1, pageSize: 20 };
}

/** 操作日志: staff actions in the organisations the signed-in person reaches, filtered and paged by the server. */
export function useAuditLog() {
  return usePagedList<AuditEntry, AuditFilter>(emptyAuditFilter(), (filter) => listAuditEntries(auditQuery(filter)));
}

/** Organisations to filter by: those the person reaches whose names match what they type. */
export function useAuditOrganisations() {
  const options = shallowRef<Organisation[]>([]);
  const loading = ref(false);
  const error = ref('');
  let latest = 0;

  async function search(text: string): Promise<void> {
    const ticket = ++latest;
    loading.value = true;
    error.value = '';
    try {
      const page = await listOrganisations({ page: 1, pageSize: 30, q: text.trim() || undefined });
      if (ticket === latest) options.value = page.items;
    } catch (err) {
      if (ticket !== latest) return;
      if (!(err instanceof ApiError)) throw err;
      options.value = [];
      error.value = err.detail;
    } finally {
      if (ticket === latest) loading.value = false;
    }
  }

  return { options, loading, error, search };
}
