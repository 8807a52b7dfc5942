import type { Asset, AssetListQuery, CreateAssetBody, Page, SetAssetStatusBody, UpdateAssetBody } from '@sports/contracts';
import { request, requestBlob } from '@/api/shared/http.ts';

const assetPath = (id: string) => `/assets/${encodeURIComponent(id)}`;

export type AssetListParams = Partial<Omit<AssetListQuery, 'page' | 'pageSize'>> & { page: number; pageSize: number };

/** The equipment of the venues the caller keeps. */
export function listAssets(params: AssetListParams): Promise<Page<Asset>> {
  return request('GET', '/assets', { query: { ...params } });
}

export function createAsset(body: CreateAssetBody): Promise<Asset> {
  return request('POST', '/assets', { body });
}

export function fetchAsset(id: string): Promise<Asset> {
  return request('GET', assetPath(id));
}

export function updateAsset(id: string, body: UpdateAssetBody): Promise<Asset> {
  return request('PATCH', assetPath(id), { body });
}

export function setAssetStatus(id: string, body: SetAssetStatusBody): Promise<Asset> {
  return request('PUT', `${assetPath(id)}/status`, { body });
}

/** A venue's print-ready A4 sheet of QR labels, as HTML (the route wants the bearer token, so it is fetched). */
export function fetchAssetLabelSheet(venueId: string): Promise<Blob> {
  return requestBlob(`/venues/${encodeURIComponent(venueId)}/asset-labels`);
}
