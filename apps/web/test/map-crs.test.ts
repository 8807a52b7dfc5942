import { describe, expect, it } from 'vitest';
import { haversineMeters } from '@sports/domain';
import { fromTileCrs, toTileCrs } from '@/lib/venues/map-crs.ts';

const zhengzhou = { lat: 34.7466, lng: 113.6254 };

describe('positions on the map’s tiles', () => {
  it('are the stored WGS-84 positions on OpenStreetMap-style tiles', () => {
    expect(toTileCrs(zhengzhou, 'wgs84')).toEqual(zhengzhou);
    expect(fromTileCrs(zhengzhou, 'wgs84')).toEqual(zhengzhou);
  });

  it('are shifted a few hundred metres on GCJ-02 tiles, and the view’s edges come back to WGS-84', () => {
    const drawn = toTileCrs(zhengzhou, 'gcj02');
    const shift = haversineMeters(zhengzhou, drawn);
    expect(shift).toBeGreaterThan(100);
    expect(shift).toBeLessThan(1000);
    expect(haversineMeters(fromTileCrs(drawn, 'gcj02'), zhengzhou)).toBeLessThan(1);
  });
});
