import type { SchoolPlan } from '@sports/contracts';
import { listPlans } from '@/api/schools/schools.ts';
import { usePagedList } from '@/composables/shared/usePagedList.ts';

export interface PlanFilter {
  status: SchoolPlan['status'] | '';
  page: number;
  pageSize: number;
}

/** The opening plans of the schools the signed-in staff member manages, newest first, paged by the server. */
export function useSchoolPlans() {
  return usePagedList<SchoolPlan, PlanFilter>({ status: '', page: 1, pageSize: 10 }, (filter) =>
    listPlans({ page: filter.page, pageSize: filter.pageSize, status: filter.status || undefined }),
  );
}
