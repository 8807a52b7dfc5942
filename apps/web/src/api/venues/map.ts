import type { MapSettings, VenueFeatureCollection } from '@sports/contracts';
import { request } from '@/api/shared/http.ts';
import type { VenueFilterParams } from './venues.ts';

export function fetchMapSettings(): Promise<MapSettings> {
  return request<MapSettings>('GET', '/map/settings', { auth: false });
}

/** Public venues as GeoJSON points ([lng, lat], WGS-84); ask with the bbox of the map view. */
export function fetchVenueFeatures(filters: VenueFilterParams): Promise<VenueFeatureCollection> {
  return request<VenueFeatureCollection>('GET', '/map/venues.geojson', { query: { ...filters }, auth: false });
}
