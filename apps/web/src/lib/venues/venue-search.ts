import type { LocationQuery, LocationQueryRaw } from 'vue-router';
import { SPORTS, VENUE_KINDS, type LatLng, type Sport, type VenueKind } from '@sports/domain';
import type { VenueFilterParams } from '@/api/venues/venues.ts';

/** What a resident asks the map and the list for. The same search drives both views. */
export interface VenueSearch {
  q: string;
  sport: Sport | '';
  kind: VenueKind | '';
  /** Only free venues (priceLevel=free). */
  free: boolean;
  openNow: boolean;
}

export type MapView = 'map' | 'list';

/** A map view's edges in degrees (WGS-84). */
export interface Bounds {
  south: number;
  west: number;
  north: number;
  east: number;
}

/** The API's limit for the search text. */
export const SEARCH_TEXT_MAX = 50;

/**
 * Decimals a bbox is rounded to: 0.001° is about 100 m, finer than a phone screen's pixel at city
 * zoom is useful for, and coarse enough that nudging the map asks the same question again.
 */
export const BBOX_DECIMALS = 3;

export function emptySearch(): VenueSearch {
  return { q: '', sport: '', kind: '', free: false, openNow: false };
}

export function hasFilters(search: VenueSearch): boolean {
  return search.q.trim() !== '' || search.sport !== '' || search.kind !== '' || search.free || search.openNow;
}

/** The query parameters of a search: what was not chosen is left out, so the server sees only real filters. */
export function filterParams(search: VenueSearch): VenueFilterParams {
  const q = search.q.trim().slice(0, SEARCH_TEXT_MAX);
  return {
    q: q || undefined,
    sport: search.sport || undefined,
    kind: search.kind || undefined,
    priceLevel: search.free ? 'free' : undefined,
    openNow: search.openNow ? true : undefined,
  };
}

const clamp = (value: number, min: number, max: number) => Math.min(max, Math.max(min, value));

/**
 * `minLng,minLat,maxLng,maxLat` for a map view, rounded outwards to BBOX_DECIMALS so a venue on the
 * edge of the screen is never cut off, and clamped to the globe (a zoomed-out map wraps around it).
 */
export function bboxParam(bounds: Bounds): string {
  const scale = 10 ** BBOX_DECIMALS;
  const down = (value: number) => Math.floor(Math.round(value * scale * 1e6) / 1e6) / scale;
  const up = (value: number) => Math.ceil(Math.round(value * scale * 1e6) / 1e6) / scale;
  const edges = [
    clamp(down(bounds.west), -180, 180),
    clamp(down(bounds.south), -90, 90),
    clamp(up(bounds.east), -180, 180),
    clamp(up(bounds.north), -90, 90),
  ];
  return edges.map((edge) => (edge === 0 ? 0 : edge).toFixed(BBOX_DECIMALS)).join(',');
}

/** `lat,lng` for distance sorting; 5 decimals is about a metre. */
export function nearParam(point: LatLng): string {
  return `${point.lat.toFixed(5)},${point.lng.toFixed(5)}`;
}

function single(value: LocationQuery[string] | undefined): string {
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' ? first : '';
}

function oneOf<T extends string>(value: string, allowed: readonly T[]): T | '' {
  return (allowed as readonly string[]).includes(value) ? (value as T) : '';
}

/** The search in a map page address (`/map?sport=basketball&free=1`); anything unknown is ignored. */
export function searchFromRoute(query: LocationQuery): VenueSearch {
  return {
    q: single(query.q).slice(0, SEARCH_TEXT_MAX),
    sport: oneOf(single(query.sport), SPORTS),
    kind: oneOf(single(query.kind), VENUE_KINDS),
    free: single(query.free) === '1',
    openNow: single(query.open) === '1',
  };
}

export function viewFromRoute(query: LocationQuery): MapView {
  return single(query.view) === 'list' ? 'list' : 'map';
}

/** The address of a search, so the back button and shared links bring it back. */
export function searchToRoute(search: VenueSearch, view: MapView): LocationQueryRaw {
  const query: LocationQueryRaw = {};
  const q = search.q.trim();
  if (q) query.q = q;
  if (search.sport) query.sport = search.sport;
  if (search.kind) query.kind = search.kind;
  if (search.free) query.free = '1';
  if (search.openNow) query.open = '1';
  if (view === 'list') query.view = 'list';
  return query;
}
