import type { AuditEntry, AuditQuery, Page } from '@sports/contracts';
import { request } from '@/api/shared/http.ts';

/** Staff actions in the organisations the caller reaches, newest first. */
export function listAuditEntries(query: AuditQuery): Promise<Page<AuditEntry>> {
  return request<Page<AuditEntry>>('GET', '/audit', { query: { ...query } });
}
