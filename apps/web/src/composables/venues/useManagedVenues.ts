import type { VenueSummary } from '@sports/contracts';
import type { VenueKind } from '@sports/domain';
import { listVenues } from '@/api/venues/venues.ts';
import { usePagedList } from '@/composables/shared/usePagedList.ts';

export interface ManagedVenueFilter {
  q: string;
  kind: VenueKind | '';
  district: string;
  page: number;
  pageSize: number;
}

/** The venues the signed-in staff member may edit (public or not), filtered and paged by the server. */
export function useManagedVenues() {
  return usePagedList<VenueSummary, ManagedVenueFilter>({ q: '', kind: '', district: '', page: 1, pageSize: 10 }, (filter) =>
    listVenues({
      managed: true,
      page: filter.page,
      pageSize: filter.pageSize,
      q: filter.q.trim() || undefined,
      kind: filter.kind || undefined,
      district: filter.district || undefined,
    }),
  );
}
