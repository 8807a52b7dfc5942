import gcoord from 'gcoord';
import type { MapSettings } from '@sports/contracts';
import type { LatLng } from '@sports/domain';

export type TileCrs = MapSettings['crs'];

/**
 * Where a WGS-84 position (as stored, as GPS gives it) is drawn on tiles in `crs`: unchanged on
 * OpenStreetMap-style tiles, shifted into GCJ-02 on Chinese providers' tiles. Only the map uses this.
 */
export function toTileCrs(point: LatLng, crs: TileCrs): LatLng {
  if (crs === 'wgs84') return point;
  const [lng, lat] = gcoord.transform([point.lng, point.lat], gcoord.WGS84, gcoord.GCJ02);
  return { lat, lng };
}

/** The WGS-84 position of a point on tiles in `crs` (the map's centre and edges, for the API). */
export function fromTileCrs(point: LatLng, crs: TileCrs): LatLng {
  if (crs === 'wgs84') return point;
  const [lng, lat] = gcoord.transform([point.lng, point.lat], gcoord.GCJ02, gcoord.WGS84);
  return { lat, lng };
}
