import type { KpiQuery, KpiReport } from '@sports/contracts';
import { request } from '@/api/shared/http.ts';

/** The bureau's figures for a city (or one of its districts) over a period. */
export function fetchKpiReport(query: KpiQuery): Promise<KpiReport> {
  return request<KpiReport>('GET', '/kpis', { query: { ...query } });
}
