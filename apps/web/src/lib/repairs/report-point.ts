import type { LatLng } from '@sports/domain';

/**
 * The point of 在此报修 on the map, as it travels in the address (`/map/repair?lat=&lng=`, WGS-84).
 * Kept apart from the report's rules so the map page loads nothing else of the report.
 */

/** Six decimals (about 0.1 m) are more than a finger on a map can choose. */
export function roundedPoint(point: LatLng): LatLng {
  return { lat: Number(point.lat.toFixed(6)), lng: Number(point.lng.toFixed(6)) };
}

/** `?lat=&lng=` of the map's report link, when both are numbers on the globe; else null. */
export function pointFromQuery(lat: unknown, lng: unknown): LatLng | null {
  if (typeof lat !== 'string' || typeof lng !== 'string' || lat.trim() === '' || lng.trim() === '') return null;
  const point = { lat: Number(lat), lng: Number(lng) };
  if (!Number.isFinite(point.lat) || !Number.isFinite(point.lng)) return null;
  if (Math.abs(point.lat) > 90 || Math.abs(point.lng) > 180) return null;
  return point;
}
