import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { EARTH_RADIUS_METERS, haversineMeters } from '../../src/venues/geo.ts';

describe('haversine distance', () => {
  it('one degree of latitude is πR/180 metres', () => {
    expect(haversineMeters({ lat: 34, lng: 113 }, { lat: 35, lng: 113 })).toBeCloseTo((Math.PI * EARTH_RADIUS_METERS) / 180, 3);
  });

  it('agrees with the spherical law of cosines: Zhengzhou Olympic centre to Hanghai stadium, 17.98 km', () => {
    const a = { lat: 34.7426, lng: 113.5308 };
    const b = { lat: 34.7167, lng: 113.725 };
    const rad = Math.PI / 180;
    const lawOfCosines =
      EARTH_RADIUS_METERS *
      Math.acos(
        Math.sin(a.lat * rad) * Math.sin(b.lat * rad) +
          Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.cos((b.lng - a.lng) * rad),
      );
    const d = haversineMeters(a, b);
    expect(Math.abs(d - lawOfCosines)).toBeLessThan(0.5);
    expect(Math.round(d)).toBe(17979);
  });

  it('is symmetric, zero to itself, and never negative', () => {
    const point = fc.record({ lat: fc.double({ min: -89, max: 89, noNaN: true }), lng: fc.double({ min: -179, max: 179, noNaN: true }) });
    fc.assert(
      fc.property(point, point, (a, b) => {
        expect(haversineMeters(a, a)).toBe(0);
        expect(haversineMeters(a, b)).toBeCloseTo(haversineMeters(b, a), 6);
        expect(haversineMeters(a, b)).toBeGreaterThanOrEqual(0);
      }),
    );
  });
});
