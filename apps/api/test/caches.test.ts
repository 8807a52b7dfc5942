import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Fastify from 'fastify';
import { schema } from '@sports/db';
import cachesPlugin from '../src/plugins/app/caches.ts';
import { cacheStats, namedCache } from '../src/services/shared/caches.ts';
import { createTestApp, type TestApp } from './support/app.ts';
import { JINSHUI, ZHENGZHOU, insertCityFixture, insertUser } from './support/fixtures.ts';

describe('a named cache', () => {
  it('counts hits and misses of get and has, and reports them by name', () => {
    const cache = namedCache<string, number>('test-counting', { max: 10 });
    expect(cache.get('a')).toBeUndefined();
    cache.set('a', 1);
    expect(cache.get('a')).toBe(1);
    expect(cache.get('a')).toBe(1);
    expect(cache.has('b')).toBe(false);
    const stats = cacheStats().find((s) => s.name === 'test-counting');
    expect(stats).toEqual({ name: 'test-counting', size: 1, max: 10, hits: 2, misses: 2, hitRate: 0.5 });
    // A value the caller cannot use is a miss.
    cache.get('a');
    cache.unusable();
    expect(cache.stats()).toMatchObject({ hits: 2, misses: 3 });
    expect(namedCache('test-unused', { max: 1 }).stats().hitRate).toBeNull();
  });

  it('keeps at most max entries, the least recently used going first', () => {
    const cache = namedCache<number, string>('test-max', { max: 3 });
    for (const n of [1, 2, 3]) cache.set(n, String(n));
    cache.get(1);
    cache.set(4, '4');
    expect(cache.size).toBe(3);
    expect([...cache.keys()].sort()).toEqual([1, 3, 4]);
    for (let n = 0; n < 100; n++) cache.set(n, String(n));
    expect(cache.stats()).toMatchObject({ size: 3, max: 3 });
  });

  it('drops an entry once its ttl has passed on the clock it is given', () => {
    let now = 1_000;
    const cache = namedCache<string, string>('test-ttl', { max: 10, ttl: 500, perf: { now: () => now } });
    cache.set('k', 'v');
    now += 499;
    expect(cache.get('k')).toBe('v');
    now += 2;
    expect(cache.get('k')).toBeUndefined();
    expect(cache.has('k')).toBe(false);
    expect(cache.stats()).toMatchObject({ hits: 1, misses: 2 });
  });

  it('a cache made again under a name replaces the old in the stats', () => {
    namedCache<string, number>('test-again', { max: 1 }).set('x', 1);
    namedCache<string, number>('test-again', { max: 2 });
    expect(cacheStats().filter((s) => s.name === 'test-again')).toEqual([{ name: 'test-again', size: 0, max: 2, hits: 0, misses: 0, hitRate: null }]);
  });
});

describe('the caches plugin', () => {
  it('writes one info line per cache at close', async () => {
    const lines: string[] = [];
    const app = Fastify({ logger: { level: 'info', stream: { write: (line: string) => lines.push(line) } } });
    await app.register(cachesPlugin, { statsMinutes: 0 });
    await app.ready();
    namedCache<string, number>('test-logged', { max: 5 }).set('a', 1);
    expect(app.cacheStats().map((s) => s.name)).toContain('test-logged');
    await app.close();
    const logged = lines.map((line) => JSON.parse(line) as { msg: string; cache?: { name: string; size: number } }).filter((l) => l.msg === 'cache stats');
    expect(logged.map((l) => l.cache!.name)).toEqual(cacheStats().map((s) => s.name));
    expect(logged.find((l) => l.cache!.name === 'test-logged')?.cache).toMatchObject({ size: 1, max: 5, hits: 0, misses: 0 });
  });
});

describe('the booking facts cache', () => {
  const now = new Date('2026-11-24T10:00:00+08:00');
  let t: TestApp;
  let court: string;
  let token: string;
  const at = (local: string) => new Date(`${local}+08:00`).toISOString();
  const week = (ranges: { start: string; end: string }[]) => Object.fromEntries([1, 2, 3, 4, 5, 6, 7].map((d) => [d, ranges]));

  beforeAll(async () => {
    t = await createTestApp({}, () => now);
    const db = t.database.db;
    const orgs = await insertCityFixture(db);
    const [venue] = await db
      .insert(schema.venues)
      .values({
        kind: 'gym',
        cityCode: ZHENGZHOU,
        districtCode: JINSHUI,
        lat: 34.78,
        lng: 113.66,
        priceLevel: 'paid',
        holidayRule: 'closed',
        name: '缓存羽毛球馆',
        organisationId: orgs.venueCo.id,
        weeklyHours: week([{ start: '08:00', end: '22:00' }]),
        bookingSettings: { slotMinutes: 60, maxSlots: 2, windowDays: 7, releaseTime: '12:00', cancelHours: 2, defaultPriceFen: 3000, bands: [] },
      })
      .returning();
    const [resource] = await db
      .insert(schema.venueResources)
      .values({ venueId: venue!.id, name: '1号场', sport: 'badminton', mode: 'exclusive', indoor: true, sortOrder: 1 })
      .returning({ id: schema.venueResources.id });
    court = resource!.id;
    const user = await insertUser(db);
    token = `Bearer ${t.app.jwt.sign({ sub: user.id })}`;
  });
  afterAll(() => t?.close());

  const book = (start: string, end: string, key: string) =>
    t.http().post('/api/v1/reservations').set('authorization', token).set('idempotency-key', key).send({ resourceId: court, start: at(start), end: at(end) });
  const facts = () => t.app.cacheStats().find((s) => s.name === 'booking-facts')!;

  it('a second booking of the same court and day is checked against the kept facts (a hit)', async () => {
    const before = facts();
    expect((await book('2026-11-24T14:00:00', '2026-11-24T15:00:00', 'cache-test-1')).status).toBe(201);
    const afterFirst = facts();
    expect(afterFirst.misses).toBe(before.misses + 1);
    expect(afterFirst.hits).toBe(before.hits);
    expect(afterFirst.size).toBe(before.size + 1);
    expect((await book('2026-11-24T16:00:00', '2026-11-24T17:00:00', 'cache-test-2')).status).toBe(201);
    const afterSecond = facts();
    expect(afterSecond.hits).toBe(afterFirst.hits + 1);
    expect(afterSecond.misses).toBe(afterFirst.misses);
    expect(afterSecond.max).toBe(10_000);
    expect(afterSecond.hitRate).toBeGreaterThan(0);
  });
});
