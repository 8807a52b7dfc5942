import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { count, eq } from 'drizzle-orm';
import { schema } from '@sports/db';
import { MAX_PHOTOS_PER_VENUE } from '../src/services/venues/venue-rows.ts';
import { createTestApp, type TestApp } from './support/app.ts';
import { JINSHUI, PASSWORD, bearerFor, insertCityFixture, insertUser } from './support/fixtures.ts';

/** Limits that a burst of simultaneous requests must not get past (issue 12 #6), on both databases. */
let t: TestApp;
let orgs: Awaited<ReturnType<typeof insertCityFixture>>;
let operator: string;

beforeAll(async () => {
  t = await createTestApp({ LOGIN_MAX_FAILURES_PER_PHONE: '5', LOGIN_MAX_FAILURES_PER_IP: '1000' });
  orgs = await insertCityFixture(t.database.db);
  operator = await bearerFor(t.app, (await insertUser(t.database.db, [{ role: 'operator', organisationId: orgs.venueCo.id }])).phone);
});
afterAll(() => t.close());

describe('the sign-in brake', () => {
  it('of 40 simultaneous wrong passwords for one phone, at most the limit (5) are checked', async () => {
    const { phone } = await insertUser(t.database.db);
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, i) => t.http().post('/api/v1/auth/login').send({ phone, password: `wrong-guess-${i}` })),
    );
    const statuses = answers.map((a) => a.status);
    const checked = statuses.filter((s) => s === 401).length;
    expect({ checked, throttled: statuses.filter((s) => s === 429).length }).toEqual({ checked: 5, throttled: 35 });
    // Even the right password waits now.
    expect((await t.http().post('/api/v1/auth/login').send({ phone, password: PASSWORD })).status).toBe(429);
  });

  it('the right password among simultaneous wrong ones still signs in while the limit is not reached', async () => {
    const { phone } = await insertUser(t.database.db);
    const answers = await Promise.all([
      t.http().post('/api/v1/auth/login').send({ phone, password: 'wrong-guess-a' }),
      t.http().post('/api/v1/auth/login').send({ phone, password: PASSWORD }),
      t.http().post('/api/v1/auth/login').send({ phone, password: 'wrong-guess-b' }),
    ]);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 401, 401]);
  });
});

describe('the venue photo limit', () => {
  it(`10 simultaneous uploads onto 10 photos leave ${MAX_PHOTOS_PER_VENUE}, not more`, async () => {
    const venue = await t
      .http()
      .post('/api/v1/venues')
      .set('authorization', operator)
      .send({
        name: '并发照片馆',
        kind: 'gym',
        organisationId: orgs.venueCo.id,
        districtCode: JINSHUI,
        address: '测试路2号',
        lat: 34.78,
        lng: 113.66,
        priceLevel: 'paid',
        sports: ['basketball'],
      });
    expect(venue.status).toBe(201);
    const id = venue.body.id as string;
    const png = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#3a6' } }).png().toBuffer();
    const upload = () =>
      t.http().post(`/api/v1/venues/${id}/photos`).set('authorization', operator).attach('file', png, { filename: 'p.png', contentType: 'image/png' });
    for (let i = 0; i < 10; i++) expect((await upload()).status).toBe(201);

    const answers = await Promise.all(Array.from({ length: 10 }, upload));
    const statuses = answers.map((a) => a.status);
    const [photos] = await t.database.db.select({ n: count() }).from(schema.venuePhotos).where(eq(schema.venuePhotos.venueId, id));
    expect({ photos: photos!.n, created: statuses.filter((s) => s === 201).length }).toEqual({ photos: MAX_PHOTOS_PER_VENUE, created: 2 });
    expect(answers.filter((a) => a.status !== 201).every((a) => a.body.code === 'TOO_MANY_PHOTOS')).toBe(true);
  });
});
