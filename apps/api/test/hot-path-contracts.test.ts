import { gunzipSync } from 'node:zlib';
import fc from 'fast-check';
import type { TSchema } from 'typebox';
import { Value } from 'typebox/value';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schema } from '@sports/db';
import { Availability, Page, Reservation, VenueFeatureCollection } from '@sports/contracts';
import { SPORTS, VENUE_KINDS, PRICE_LEVELS } from '@sports/domain';
import { createTestApp, type TestApp } from './support/app.ts';
import { JINSHUI, ZHENGZHOU, insertCityFixture, insertUser } from './support/fixtures.ts';

/**
 * The answers written by hand for speed — availability (strings concatenated), the map's GeoJSON
 * (written by the database) and bookings — hold to the TypeBox schemas the OpenAPI document gives
 * for them: checked with `Value.Check` on a fixture and on venues generated with names no hand
 * serialiser expects (quotes, backslashes, line and paragraph separators, controls, emoji).
 */

const NOW = new Date('2026-11-24T10:00:00+08:00');
let t: TestApp;
let orgs: Awaited<ReturnType<typeof insertCityFixture>>;
let resident: string;
beforeAll(async () => {
  t = await createTestApp({}, () => NOW);
  orgs = await insertCityFixture(t.database.db);
  const user = await insertUser(t.database.db);
  resident = `Bearer ${t.app.jwt.sign({ sub: user.id })}`;
});
afterAll(() => t.close());

const week = (ranges: { start: string; end: string }[]) => Object.fromEntries([1, 2, 3, 4, 5, 6, 7].map((d) => [d, ranges]));

/** Why an answer fails its schema, readable: the first few errors with their paths. */
function failures(schemaOf: TSchema, value: unknown): string[] {
  return [...Value.Errors(schemaOf, value)].slice(0, 5).map((e) => `${e.instancePath || '/'} ${e.message}`);
}

const awkward = fc.stringMatching(/^[\s\S]{1,40}$/).map((s) => `${s}"\\\u2028\u2029\u0001🏸</script>`.slice(0, 60));

const venueArbitrary = fc.record({
  name: awkward,
  address: awkward,
  kind: fc.constantFrom(...VENUE_KINDS),
  priceLevel: fc.constantFrom(...PRICE_LEVELS),
  lat: fc.double({ min: 34.6, max: 34.9, noNaN: true }),
  lng: fc.double({ min: 113.5, max: 113.8, noNaN: true }),
  courts: fc.array(fc.record({ name: awkward, sport: fc.constantFrom(...SPORTS) }), { minLength: 1, maxLength: 3 }),
  priceFen: fc.integer({ min: 0, max: 100_000 }),
  band: fc.option(fc.record({ priceFen: fc.integer({ min: 0, max: 100_000 }), startHour: fc.integer({ min: 8, max: 20 }) }), { nil: undefined }),
});

async function insertVenue(v: typeof venueArbitrary extends fc.Arbitrary<infer T> ? T : never): Promise<{ venueId: string; courtIds: string[] }> {
  const db = t.database.db;
  const [venue] = await db
    .insert(schema.venues)
    .values({
      name: v.name,
      address: v.address,
      kind: v.kind,
      priceLevel: v.priceLevel,
      cityCode: ZHENGZHOU,
      districtCode: JINSHUI,
      lat: v.lat,
      lng: v.lng,
      organisationId: orgs.venueCo.id,
      holidayRule: 'as_usual',
      weeklyHours: week([{ start: '08:00', end: '22:00' }]),
      bookingSettings: {
        slotMinutes: 60,
        maxSlots: 2,
        windowDays: 7,
        releaseTime: '00:00',
        cancelHours: 2,
        defaultPriceFen: v.priceFen,
        bands: v.band ? [{ days: 'weekday', start: `${String(v.band.startHour).padStart(2, '0')}:00`, end: '22:00', priceFen: v.band.priceFen }] : [],
      },
    })
    .returning({ id: schema.venues.id });
  const courts = await db
    .insert(schema.venueResources)
    .values(v.courts.map((c, i) => ({ venueId: venue!.id, name: `${i}${c.name}`, sport: c.sport, mode: 'exclusive' as const, sortOrder: i })))
    .returning({ id: schema.venueResources.id });
  return { venueId: venue!.id, courtIds: courts.map((c) => c.id) };
}

describe('hand-written answers hold to their schemas', () => {
  it('availability, the GeoJSON map and a booking, for generated venues', async () => {
    let hour = 8;
    await fc.assert(
      fc.asyncProperty(venueArbitrary, async (v) => {
        const { venueId, courtIds } = await insertVenue(v);

        for (const encoding of ['identity', 'gzip']) {
          const availability = await t.app.inject({ url: `/api/v1/venues/${venueId}/availability?date=2026-11-25&days=2`, headers: { 'accept-encoding': encoding } });
          expect(availability.statusCode, availability.body).toBe(200);
          const body = JSON.parse((availability.headers['content-encoding'] === 'gzip' ? gunzipSync(availability.rawPayload) : availability.rawPayload).toString('utf8'));
          if (encoding === 'gzip') expect(availability.headers['content-encoding']).toBe('gzip');
          expect(failures(Availability, body), JSON.stringify(v)).toEqual([]);
          expect(body.resources.map((r: { name: string }) => r.name).sort()).toEqual(v.courts.map((c, i) => `${i}${c.name}`).sort());
        }

        const map = await t.app.inject({ url: '/api/v1/map/venues.geojson' });
        expect(map.statusCode).toBe(200);
        const collection = map.json();
        expect(failures(VenueFeatureCollection, collection)).toEqual([]);
        const feature = (collection.features as { id: string; properties: { name: string } }[]).find((f) => f.id === venueId);
        expect(feature?.properties.name).toBe(v.name);

        // one booking a run, each its own hour, so that none is refused
        const start = new Date(`2026-11-26T${String(hour).padStart(2, '0')}:00:00+08:00`);
        hour = hour >= 21 ? 8 : hour + 1;
        const booked = await t.app.inject({
          method: 'POST',
          url: '/api/v1/reservations',
          headers: { authorization: resident, 'idempotency-key': `hot-path-${venueId}` },
          payload: { resourceId: courtIds[0], start: start.toISOString(), end: new Date(start.getTime() + 3_600_000).toISOString() },
        });
        expect(booked.statusCode, booked.body).toBe(201);
        expect(failures(Reservation, booked.json())).toEqual([]);
        const mine = await t.app.inject({ url: '/api/v1/reservations?page=1&pageSize=100', headers: { authorization: resident } });
        expect(failures(Page(Reservation), mine.json())).toEqual([]);
        // cancel it again, so that the resident's quota never refuses the next run's booking
        const cancelled = await t.app.inject({ method: 'POST', url: `/api/v1/reservations/${booked.json().id}/cancel`, headers: { authorization: resident }, payload: {} });
        expect(cancelled.statusCode, cancelled.body).toBe(200);
        expect(failures(Reservation, cancelled.json())).toEqual([]);
      }),
      { numRuns: 12, seed: Number(process.env.FUZZ_SEED ?? 20261203) },
    );
  }, 120_000);
});
