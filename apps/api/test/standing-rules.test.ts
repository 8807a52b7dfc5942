import fc from 'fast-check';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schema } from '@sports/db';
import { standingRefusal, type Standing, type StandingRequest, type StandingRules } from '@sports/domain';
import { readStanding } from '../src/services/booking/standing.ts';
import { createTestDatabase, type TestDatabase } from './support/database.ts';
import { insertCityFixture, insertUser, JINSHUI, ORDOS, ZHENGZHOU } from './support/fixtures.ts';

/**
 * The resident standing rules exist once as a decision (`standingRefusal` in the domain) and once
 * as the condition of the booking's insert (`standing_refusal`, migration 0012), over a standing
 * counted by `resident_standing`. Random standings — suspensions in force, expired or in the other
 * city; bookings of either sport, in either city, in every status, before, around and after now —
 * are written to the database, counted there and by hand from the scenario, and decided by both:
 * the counts and the decisions must agree on every case. Runs on PGlite and, in the PostgreSQL
 * run, on PostgreSQL.
 */

const NOW = new Date('2026-11-24T10:00:00+08:00');
const HOUR = 3_600_000;
const COURTS = 8;
/** The requested local day: 2026-11-24 or the day after, in Asia/Shanghai. */
const DAYS = [
  { start: new Date('2026-11-24T00:00:00+08:00'), end: new Date('2026-11-25T00:00:00+08:00') },
  { start: new Date('2026-11-25T00:00:00+08:00'), end: new Date('2026-11-26T00:00:00+08:00') },
];
const SPORTS = ['badminton', 'basketball'] as const;
const STATUSES = ['confirmed', 'checked_in', 'completed', 'cancelled', 'no_show'] as const;

let database: TestDatabase;
let courts: Record<'here' | 'there', { venueId: string; courtIds: string[] }>;

const week = Object.fromEntries([1, 2, 3, 4, 5, 6, 7].map((d) => [d, [{ start: '00:00', end: '24:00' }]]));

beforeAll(async () => {
  database = await createTestDatabase();
  const db = database.db;
  const orgs = await insertCityFixture(db);
  const venue = async (cityCode: string, districtCode: string, organisationId: string) => {
    const [v] = await db
      .insert(schema.venues)
      .values({ name: `场馆${cityCode}`, address: '演示地址', kind: 'gym', priceLevel: 'free', cityCode, districtCode, lat: 34.7, lng: 113.6, organisationId, holidayRule: 'as_usual', weeklyHours: week })
      .returning({ id: schema.venues.id });
    const rows = await db
      .insert(schema.venueResources)
      .values(Array.from({ length: COURTS }, (_, i) => ({ venueId: v!.id, name: `${i + 1}号场`, sport: 'badminton' as const, mode: 'exclusive' as const, sortOrder: i })))
      .returning({ id: schema.venueResources.id });
    return { venueId: v!.id, courtIds: rows.map((r) => r.id) };
  };
  courts = { here: await venue(ZHENGZHOU, JINSHUI, orgs.venueCo.id), there: await venue(ORDOS, '150602', orgs.ordosBureau.id) };
});
afterAll(() => database.destroy());

const bookingArbitrary = fc.record({
  city: fc.constantFrom('here' as const, 'there' as const),
  sport: fc.constantFrom(...SPORTS),
  status: fc.constantFrom(...STATUSES),
  /** Hours from NOW to the start: three days back to three days ahead. */
  startHours: fc.integer({ min: -72, max: 72 }),
  hours: fc.integer({ min: 1, max: 3 }),
});

const scenarioArbitrary = fc.record({
  rules: fc.record({ maxUpcoming: fc.integer({ min: 1, max: 5 }), maxHoursPerDayPerSport: fc.integer({ min: 1, max: 4 }) }),
  suspension: fc.constantFrom('none', 'in_force', 'expired', 'other_city'),
  bookings: fc.array(bookingArbitrary, { maxLength: COURTS }),
  sport: fc.constantFrom(...SPORTS),
  day: fc.constantFrom(0, 1),
  request: fc.oneof(fc.record({ kind: fc.constant('court' as const), minutes: fc.constantFrom(30, 60, 90, 120, 180, 240) }), fc.constant({ kind: 'school' as const })),
});

type Scenario = typeof scenarioArbitrary extends fc.Arbitrary<infer T> ? T : never;

/** The standing counted from the scenario itself, by the rules' own words. */
function expectedStanding(s: Scenario): Standing {
  const active = s.bookings.filter((b) => b.city === 'here' && (b.status === 'confirmed' || b.status === 'checked_in'));
  const day = DAYS[s.day]!;
  return {
    suspendedUntil: s.suspension === 'in_force' ? new Date(NOW.getTime() + 5 * 86_400_000).toISOString() : null,
    upcoming: active.filter((b) => NOW.getTime() + (b.startHours + b.hours) * HOUR > NOW.getTime()).length,
    minutes: active
      .filter((b) => b.sport === s.sport)
      .filter((b) => {
        const start = NOW.getTime() + b.startHours * HOUR;
        return start >= day.start.getTime() && start < day.end.getTime();
      })
      .reduce((sum, b) => sum + b.hours * 60, 0),
  };
}

async function writeScenario(s: Scenario): Promise<string> {
  const db = database.db;
  await db.delete(schema.reservations);
  const user = await insertUser(db);
  const until = {
    none: null,
    in_force: { cityCode: ZHENGZHOU, until: new Date(NOW.getTime() + 5 * 86_400_000) },
    expired: { cityCode: ZHENGZHOU, until: new Date(NOW.getTime() - 60_000) },
    other_city: { cityCode: ORDOS, until: new Date(NOW.getTime() + 5 * 86_400_000) },
  }[s.suspension];
  if (until) await db.insert(schema.bookingSuspensions).values({ userId: user.id, ...until, reason: '演示' });
  if (s.bookings.length > 0) {
    await db.insert(schema.reservations).values(
      s.bookings.map((b, i) => {
        const place = courts[b.city];
        const start = new Date(NOW.getTime() + b.startHours * HOUR);
        return {
          code: `S${i}${user.id.slice(0, 8)}`,
          resourceId: place.courtIds[i]!,
          venueId: place.venueId,
          userId: user.id,
          during: `[${start.toISOString()},${new Date(start.getTime() + b.hours * HOUR).toISOString()})`,
          sport: b.sport,
          status: b.status,
        };
      }),
    );
  }
  return user.id;
}

/** `standing_refusal` as the booking's statement calls it. */
async function sqlRefusal(standing: Standing, rules: StandingRules, request: StandingRequest): Promise<string | null> {
  const result = await database.db.execute(sql`
    select standing_refusal(${standing.suspendedUntil}::timestamptz, ${standing.upcoming}::bigint, ${standing.minutes}::float8,
                            ${rules.maxUpcoming}::int, ${rules.maxHoursPerDayPerSport}::int, ${request.kind}::text,
                            ${request.kind === 'court' ? request.minutes : 0}::float8) as refusal`);
  return (result as unknown as { rows: { refusal: string | null }[] }).rows[0]!.refusal;
}

describe('the standing rules, in the domain and in SQL', () => {
  it('count and decide alike on random standings written to the database', async () => {
    let refused = 0;
    let allowed = 0;
    await fc.assert(
      fc.asyncProperty(scenarioArbitrary, async (s) => {
        const userId = await writeScenario(s);
        const expected = expectedStanding(s);
        const day = DAYS[s.day]!;
        const counted = await readStanding(database.db, userId, ZHENGZHOU, NOW, { sport: s.sport, start: day.start, end: day.end });
        expect(counted).toEqual(expected);
        const inDomain = standingRefusal(counted, s.rules, s.request);
        expect(await sqlRefusal(counted, s.rules, s.request)).toBe(inDomain?.rule ?? null);
        if (inDomain) refused++;
        else allowed++;
      }),
      { numRuns: 60, seed: Number(process.env.FUZZ_SEED ?? 20261204) },
    );
    // the generator reaches both outcomes, so agreement is not agreement on one answer
    expect(refused).toBeGreaterThan(5);
    expect(allowed).toBeGreaterThan(5);
  }, 120_000);

  it('decide alike on every edge of the thresholds', async () => {
    const cases = fc.sample(
      fc.record({
        standing: fc.record({
          suspendedUntil: fc.option(fc.constant('2026-12-01T00:00:00.000Z'), { nil: null }),
          upcoming: fc.integer({ min: 0, max: 6 }),
          minutes: fc.constantFrom(0, 30, 60, 90, 120, 150, 180, 240, 300),
        }),
        rules: fc.record({ maxUpcoming: fc.integer({ min: 1, max: 5 }), maxHoursPerDayPerSport: fc.integer({ min: 1, max: 5 }) }),
        request: fc.oneof(fc.record({ kind: fc.constant('court' as const), minutes: fc.constantFrom(30, 60, 120, 180) }), fc.constant({ kind: 'school' as const })),
      }),
      { numRuns: 300, seed: 20261204 },
    );
    const seen = new Set<string>();
    for (const c of cases) {
      const inDomain = standingRefusal(c.standing, c.rules, c.request)?.rule ?? null;
      expect(await sqlRefusal(c.standing, c.rules, c.request), JSON.stringify(c)).toBe(inDomain);
      seen.add(String(inDomain));
    }
    expect([...seen].sort()).toEqual(['max_sport_hours_per_day', 'max_upcoming', 'null', 'suspended']);
  });
});
