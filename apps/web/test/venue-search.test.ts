import { describe, expect, it } from 'vitest';
import {
  bboxParam,
  emptySearch,
  filterParams,
  hasFilters,
  nearParam,
  searchFromRoute,
  searchToRoute,
  viewFromRoute,
} from '@/lib/venues/venue-search.ts';

describe('the map’s filters as API query parameters', () => {
  it('send nothing when nothing is chosen, so the server sees every public venue', () => {
    const params = filterParams(emptySearch());
    expect(Object.values(params).filter((value) => value !== undefined)).toEqual([]);
    expect(hasFilters(emptySearch())).toBe(false);
  });

  it('map each chip to its parameter: sport, kind, 免费 → priceLevel=free, 正在开放 → openNow=true', () => {
    const params = filterParams({ q: '  体育馆 ', sport: 'basketball', kind: 'gym', free: true, openNow: true });
    expect(params).toEqual({ q: '体育馆', sport: 'basketball', kind: 'gym', priceLevel: 'free', openNow: true });
  });

  it('drop a search text of only spaces and cut one longer than the API accepts', () => {
    expect(filterParams({ ...emptySearch(), q: '   ' }).q).toBeUndefined();
    expect(filterParams({ ...emptySearch(), q: '场'.repeat(80) }).q).toHaveLength(50);
  });
});

describe('the bbox of a map view', () => {
  it('is minLng,minLat,maxLng,maxLat rounded outwards to 0.001°, so a venue on the edge is never cut off', () => {
    const bbox = bboxParam({ south: 34.70123, west: 113.55987, north: 34.79001, east: 113.70011 });
    expect(bbox).toBe('113.559,34.701,113.701,34.791');
  });

  it('keeps edges that are already on the grid (no floating-point creep)', () => {
    expect(bboxParam({ south: 34.7, west: 113.625, north: 34.8, east: 113.7 })).toBe('113.625,34.700,113.700,34.800');
  });

  it('asks the same question after a nudge of a few metres', () => {
    const before = bboxParam({ south: 34.70012, west: 113.60012, north: 34.79012, east: 113.70012 });
    const after = bboxParam({ south: 34.70031, west: 113.60044, north: 34.79044, east: 113.70031 });
    expect(after).toBe(before);
  });

  it('stays on the globe when the map is zoomed out past the date line or the poles', () => {
    expect(bboxParam({ south: -95, west: -200.5, north: 91, east: 250 })).toBe('-180.000,-90.000,180.000,90.000');
  });

  it('rounds west and south of Greenwich and the equator outwards too', () => {
    expect(bboxParam({ south: -0.0004, west: -0.0004, north: 0.0004, east: 0.0004 })).toBe('-0.001,-0.001,0.001,0.001');
  });
});

describe('the near point of the list', () => {
  it('is lat,lng to about a metre', () => {
    expect(nearParam({ lat: 34.7466, lng: 113.6254 })).toBe('34.74660,113.62540');
  });
});

describe('the search in the address', () => {
  it('comes back the same after a round trip, with only what was chosen in the address', () => {
    const search = { q: '郑州', sport: 'basketball', kind: '', free: true, openNow: false } as const;
    const query = searchToRoute(search, 'list');
    expect(query).toEqual({ q: '郑州', sport: 'basketball', free: '1', view: 'list' });
    expect(searchFromRoute(query as Record<string, string>)).toEqual(search);
    expect(viewFromRoute(query as Record<string, string>)).toBe('list');
    expect(searchToRoute(emptySearch(), 'map')).toEqual({});
  });

  it('ignores a sport or kind the app does not know', () => {
    expect(searchFromRoute({ sport: 'quidditch', kind: 'castle', view: 'globe' })).toEqual(emptySearch());
    expect(viewFromRoute({ view: 'globe' })).toBe('map');
  });
});
