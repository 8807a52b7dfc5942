import type {
  CreateExceptionBody,
  CreateResourceBody,
  CreateVenueBody,
  HoursException,
  Page,
  Photo,
  Resource,
  SetHoursBody,
  UpdateResourceBody,
  UpdateVenueBody,
  VenueDetail,
  VenueSummary,
} from '@sports/contracts';
import type { PriceLevel, Sport, VenueKind } from '@sports/domain';
import { request } from '@/api/shared/http.ts';

/** The filters the venue list and the map share; absent ones are not sent. */
export interface VenueFilterParams {
  city?: string | undefined;
  district?: string | undefined;
  sport?: Sport | undefined;
  kind?: VenueKind | undefined;
  priceLevel?: PriceLevel | undefined;
  q?: string | undefined;
  /** minLng,minLat,maxLng,maxLat */
  bbox?: string | undefined;
  /** lat,lng: sorts by distance and adds distanceMeters. */
  near?: string | undefined;
  openNow?: true | undefined;
}

export interface VenueListParams extends VenueFilterParams {
  page: number;
  pageSize: number;
  /** Staff: the venues I may edit, public or not. */
  managed?: true | undefined;
}

const venuePath = (id: string) => `/venues/${encodeURIComponent(id)}`;

/** Public venues for everyone; with `managed` the signed-in staff member's own. */
export function listVenues(params: VenueListParams): Promise<Page<VenueSummary>> {
  return request<Page<VenueSummary>>('GET', '/venues', { query: { ...params } });
}

export function fetchVenue(id: string): Promise<VenueDetail> {
  return request<VenueDetail>('GET', venuePath(id));
}

export function createVenue(body: CreateVenueBody): Promise<VenueDetail> {
  return request<VenueDetail>('POST', '/venues', { body });
}

export function updateVenue(id: string, body: UpdateVenueBody): Promise<VenueDetail> {
  return request<VenueDetail>('PATCH', venuePath(id), { body });
}

export function setVenueHours(id: string, body: SetHoursBody): Promise<VenueDetail> {
  return request<VenueDetail>('PUT', `${venuePath(id)}/hours`, { body });
}

export function addHoursException(id: string, body: CreateExceptionBody): Promise<HoursException> {
  return request<HoursException>('POST', `${venuePath(id)}/exceptions`, { body });
}

export function deleteHoursException(id: string, exceptionId: string): Promise<void> {
  return request<void>('DELETE', `${venuePath(id)}/exceptions/${encodeURIComponent(exceptionId)}`);
}

export function createResource(id: string, body: CreateResourceBody): Promise<Resource> {
  return request<Resource>('POST', `${venuePath(id)}/resources`, { body });
}

export function updateResource(id: string, resourceId: string, body: UpdateResourceBody): Promise<Resource> {
  return request<Resource>('PATCH', `${venuePath(id)}/resources/${encodeURIComponent(resourceId)}`, { body });
}

/** One image file as multipart field `file` (JPEG, PNG or WebP, at most 10 MB). */
export function uploadVenuePhoto(id: string, image: Blob, fileName: string): Promise<Photo> {
  const body = new FormData();
  body.append('file', image, fileName);
  return request<Photo>('POST', `${venuePath(id)}/photos`, { body });
}

export function deleteVenuePhoto(id: string, photoId: string): Promise<void> {
  return request<void>('DELETE', `${venuePath(id)}/photos/${encodeURIComponent(photoId)}`);
}
