import { ref, shallowRef, watch, type Ref } from 'vue';
import type { Asset, CreateAssetBody, Resource, SetAssetStatusBody, UpdateAssetBody, VenueSummary } from '@sports/contracts';
import type { AssetStatus, AssetType } from '@sports/domain';
import { createAsset, fetchAssetLabelSheet, listAssets, setAssetStatus, updateAsset } from '@/api/repairs/assets.ts';
import { ApiError } from '@/api/shared/http.ts';
import { fetchVenue, listVenues } from '@/api/venues/venues.ts';
import { i18n } from '@/modules/i18n.ts';
import { usePagedList } from '@/composables/shared/usePagedList.ts';

export interface AssetRegistryFilter {
  venueId: string;
  type: AssetType | '';
  status: AssetStatus | '';
  page: number;
  pageSize: number;
}

/**
 * 设施台账: the equipment of the venues the caller keeps, filtered and paged by the server, and the
 * changes a keeper makes. Writes throw the API's refusal for the form that made them and reload the
 * page of the list on success.
 */
export function useAssetRegistry() {
  const list = usePagedList<Asset, AssetRegistryFilter>({ venueId: '', type: '', status: '', page: 1, pageSize: 20 }, (filter) =>
    listAssets({
      page: filter.page,
      pageSize: filter.pageSize,
      venueId: filter.venueId || undefined,
      type: filter.type || undefined,
      status: filter.status || undefined,
    }),
  );
  const venues = shallowRef<VenueSummary[]>([]);
  const venuesError = shallowRef('');

  async function loadVenues(): Promise<void> {
    venuesError.value = '';
    try {
      venues.value = (await listVenues({ managed: true, page: 1, pageSize: 100 })).items;
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      venuesError.value = err.detail;
    }
  }

  async function create(body: CreateAssetBody): Promise<Asset> {
    const created = await createAsset(body);
    await list.load();
    return created;
  }

  async function update(id: string, body: UpdateAssetBody): Promise<Asset> {
    const updated = await updateAsset(id, body);
    await list.load();
    return updated;
  }

  async function changeStatus(id: string, body: SetAssetStatusBody): Promise<Asset> {
    const updated = await setAssetStatus(id, body);
    await list.load();
    return updated;
  }

  return { ...list, venues, venuesError, loadVenues, create, update, changeStatus };
}

/** The courts and fields of a venue, for linking equipment to the one it serves (retired ones left out). */
export function useVenueCourts(venueId: Ref<string>) {
  const courts = shallowRef<Resource[]>([]);
  const loading = ref(false);
  const error = ref('');
  let latest = 0;

  async function load(): Promise<void> {
    const request = ++latest;
    courts.value = [];
    error.value = '';
    if (!venueId.value) return;
    loading.value = true;
    try {
      const venue = await fetchVenue(venueId.value);
      if (request === latest) courts.value = venue.resources.filter((resource) => resource.status !== 'retired');
    } catch (err) {
      if (request !== latest) return;
      if (!(err instanceof ApiError)) throw err;
      error.value = err.detail;
    } finally {
      if (request === latest) loading.value = false;
    }
  }

  watch(venueId, load, { immediate: true });
  return { courts, loading, error, load };
}

/** How long the label sheet's address stays valid: long enough to load, print and save it. */
const LABEL_SHEET_URL_LIFETIME_MS = 10 * 60_000;

/**
 * Opens a venue's QR label sheet in a new tab. The route wants the bearer token, which a plain link
 * cannot send, so the page is fetched and shown from a local address. The tab is opened before the
 * request (inside the click) so pop-up blockers let it through; on a refusal it is closed again. The
 * answer is a message for the person, or null when the sheet is showing.
 */
export async function openLabelSheet(venueId: string, opener: () => Window | null = () => window.open('', '_blank')): Promise<string | null> {
  const tab = opener();
  if (!tab) return i18n.global.t('assets.labels.blocked');
  try {
    const sheet = await fetchAssetLabelSheet(venueId);
    const url = URL.createObjectURL(new Blob([sheet], { type: 'text/html;charset=utf-8' }));
    tab.location.href = url;
    setTimeout(() => URL.revokeObjectURL(url), LABEL_SHEET_URL_LIFETIME_MS);
    return null;
  } catch (err) {
    tab.close();
    if (!(err instanceof ApiError)) throw err;
    return err.detail;
  }
}
