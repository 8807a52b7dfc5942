import sharp from 'sharp';
import { and, eq } from 'drizzle-orm';
import { schema } from '@sports/db';
import { idNumberCheckChar } from '@sports/domain';
import type { TestApp } from './app.ts';
import { JINSHUI, ZHENGZHOU, insertCityFixture, insertUser } from './fixtures.ts';
import type { IdsByName } from './fuzz-schema.ts';

/**
 * A small city in which every kind of object a path names exists once, made the way the app makes
 * them (through the API where it can), so that a fuzzed request with a real id reaches the handler
 * and its rules, not only the router: a venue with a court, hours exception and photo, a booking,
 * an asset, a ticket, an Open311 client, a school plan with a session and a registration.
 */
export interface FuzzFixture {
  /** Bearer headers of the three callers: a city bureau admin (the broadest staff scope) and a resident. */
  callers: { anonymous: undefined; staff: string; resident: string };
  /** Real values for path parameters, by the path's pattern and the parameter's name. */
  pathValue(path: string, name: string): string | undefined;
  /** Real ids for body and query fields, by field name. */
  ids: IdsByName;
  png: Buffer;
  /** Where the venue photo is served, under /media/. */
  photoUrl: string;
}

const week = (ranges: { start: string; end: string }[]) => Object.fromEntries([1, 2, 3, 4, 5, 6, 7].map((d) => [d, ranges]));

export async function seedFuzzFixture(t: TestApp): Promise<FuzzFixture> {
  const db = t.database.db;
  const orgs = await insertCityFixture(db);
  const sign = (id: string) => `Bearer ${t.app.jwt.sign({ sub: id })}`;
  const cityAdmin = await insertUser(db, [{ role: 'bureau_admin', organisationId: orgs.zzBureau.id }]);
  const operator = await insertUser(db, [
    { role: 'operator', organisationId: orgs.venueCo.id },
    { role: 'technician', organisationId: orgs.venueCo.id },
  ]);
  const schoolAdmin = await insertUser(db, [{ role: 'school_admin', organisationId: orgs.schoolX.id }]);
  const resident = await insertUser(db);
  const staff = sign(cityAdmin.id);
  const residentToken = sign(resident.id);
  const ok = (res: { status: number; body: unknown }, what: string, status = [200, 201, 204]) => {
    if (!status.includes(res.status)) throw new Error(`fixture: ${what} answered ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as Record<string, unknown>;
  };
  const http = () => t.http();

  // A venue of the operator with two courts, open every day, bookable a week ahead.
  const place = { cityCode: ZHENGZHOU, districtCode: JINSHUI, lat: 34.78, lng: 113.66 };
  const [venue] = await db
    .insert(schema.venues)
    .values({
      ...place,
      name: '模糊测试羽毛球馆',
      kind: 'gym',
      priceLevel: 'paid',
      holidayRule: 'closed',
      organisationId: orgs.venueCo.id,
      weeklyHours: week([{ start: '08:00', end: '22:00' }]),
      bookingSettings: { slotMinutes: 60, maxSlots: 2, windowDays: 7, releaseTime: '00:00', cancelHours: 2, defaultPriceFen: 3000, bands: [] },
    })
    .returning({ id: schema.venues.id });
  const courts = await db
    .insert(schema.venueResources)
    .values([
      { venueId: venue!.id, name: '1号场', sport: 'badminton', mode: 'exclusive', indoor: true, sortOrder: 1 },
      { venueId: venue!.id, name: '2号场', sport: 'basketball', mode: 'exclusive', indoor: true, sortOrder: 2 },
    ])
    .returning({ id: schema.venueResources.id });
  const court = courts[0]!.id;
  const opToken = sign(operator.id);
  const exception = ok(
    await http().post(`/api/v1/venues/${venue!.id}/exceptions`).set('authorization', opToken).send({ date: '2026-12-20', kind: 'closed', reason: '设备检修' }),
    'venue exception',
  );
  const png = await sharp({ create: { width: 40, height: 30, channels: 3, background: '#3a7' } }).png().toBuffer();
  const photo = ok(
    await http().post(`/api/v1/venues/${venue!.id}/photos`).set('authorization', opToken).attach('file', png, { filename: 'venue.png', contentType: 'image/png' }),
    'venue photo',
  );

  // A booking of the resident, tomorrow at ten.
  const reservation = ok(
    await http()
      .post('/api/v1/reservations')
      .set('authorization', residentToken)
      .set('idempotency-key', 'fuzz-fixture-booking')
      .send({ resourceId: courts[1]!.id, start: '2026-11-25T10:00:00+08:00', end: '2026-11-25T11:00:00+08:00' }),
    'reservation',
  );
  const standing = ok(await http().get('/api/v1/me/booking-standing').query({ city: ZHENGZHOU }).set('authorization', residentToken), 'booking standing');
  const calendarToken = /calendar\/([\w-]+)\.ics/.exec(String(standing.calendarFeedPath))?.[1];

  // An asset on the court and a ticket about it, reported by the resident.
  const asset = ok(
    await http()
      .post('/api/v1/assets')
      .set('authorization', opToken)
      .send({ venueId: venue!.id, resourceId: court, type: 'basketball_hoop', name: '1号场篮球架', installDate: '2024-05-01', serviceLifeYears: 8 }),
    'asset',
  );
  const ticket = ok(
    await http().post('/api/v1/tickets').set('authorization', residentToken).send({ assetCode: asset.code, category: 'basketball_hoop', fault: 'backboard_cracked' }),
    'ticket',
  );
  const [ticketRow] = await db.select({ code: schema.tickets.code }).from(schema.tickets).where(eq(schema.tickets.id, String(ticket.id)));
  const client = ok(await http().post('/api/v1/open311-clients').set('authorization', staff).send({ name: '模糊测试热线' }), 'Open311 client');

  // A school field with a published plan, one of its sessions, and the resident registered for it.
  const [schoolVenue] = await db
    .insert(schema.venues)
    .values({ ...place, name: '甲中学运动场', kind: 'school', priceLevel: 'free', organisationId: orgs.schoolX.id, weeklyHours: week([{ start: '06:00', end: '22:00' }]) })
    .returning({ id: schema.venues.id });
  const [field] = await db
    .insert(schema.venueResources)
    .values({ venueId: schoolVenue!.id, name: '田径场', sport: 'running', mode: 'shared', capacity: 200, indoor: false })
    .returning({ id: schema.venueResources.id });
  const schoolToken = sign(schoolAdmin.id);
  const evenings = Object.fromEntries([1, 2, 3, 4, 5, 6, 7].map((d) => [d, [{ start: '18:00', end: '20:00' }]]));
  const plan = ok(
    await http()
      .post('/api/v1/school-plans')
      .set('authorization', schoolToken)
      .send({
        venueId: schoolVenue!.id,
        resourceId: field!.id,
        title: '操场课余开放',
        startsOn: '2026-11-20',
        endsOn: '2027-01-20',
        weekly: evenings,
        closedDates: [],
        openOnHolidays: false,
        capacity: 50,
        eligibility: 'city',
        allowMinors: true,
      }),
    'school plan',
  );
  ok(await http().post(`/api/v1/school-plans/${String(plan.id)}/publish`).set('authorization', schoolToken), 'publishing the plan');
  const [session] = await db
    .select({ id: schema.schoolSessions.id })
    .from(schema.schoolSessions)
    .where(and(eq(schema.schoolSessions.planId, String(plan.id)), eq(schema.schoolSessions.startsAt, new Date('2026-11-25T18:00:00+08:00'))));
  if (!session) throw new Error('fixture: the plan made no session on 2026-11-25');
  const first17 = `${JINSHUI}19900101123`;
  ok(
    await http()
      .put('/api/v1/me/identity')
      .set('authorization', residentToken)
      .send({ name: '张三丰', idNumber: first17 + idNumberCheckChar(first17), districtCode: JINSHUI, consentVersion: '2026-11' }),
    'identity',
  );
  ok(
    await http()
      .put(`/api/v1/schools/${orgs.schoolX.id}/pledge`)
      .set('authorization', schoolToken)
      .send({ title: '安全承诺书', body: '本人承诺遵守学校体育场地开放的各项安全规定，服从管理。' }),
    'pledge',
  );
  const pledge = ok(await http().get(`/api/v1/schools/${orgs.schoolX.id}/pledge`).set('authorization', residentToken), 'pledge');
  ok(await http().post(`/api/v1/schools/${orgs.schoolX.id}/pledge/acceptances`).set('authorization', residentToken).send({ version: pledge.version }), 'accepting the pledge');
  const registration = ok(
    await http()
      .post(`/api/v1/school-sessions/${session.id}/registrations`)
      .set('authorization', residentToken)
      .set('idempotency-key', 'fuzz-fixture-registration')
      .send({ partySize: 1, minors: [] }),
    'registration',
  );

  const [notification] = await db
    .insert(schema.notifications)
    .values({ userId: resident.id, kind: 'ticket_update', title: '报修进度', body: '您的报修已受理。' })
    .returning({ id: schema.notifications.id });
  const [assignment] = await db.select({ id: schema.roleAssignments.id }).from(schema.roleAssignments).where(eq(schema.roleAssignments.userId, operator.id));

  const byPath: [RegExp, Record<string, string>][] = [
    [/^\/api\/v1\/venues\/\{id\}/, { id: venue!.id, resourceId: court, exceptionId: String(exception.id), photoId: String(photo.id) }],
    [/^\/api\/v1\/reservations\//, { id: String(reservation.id) }],
    [/^\/api\/v1\/me\/notifications\//, { id: String(notification!.id) }],
    [/^\/api\/v1\/organisations\/\{id\}/, { id: orgs.venueCo.id, assignmentId: String(assignment!.id) }],
    [/^\/api\/v1\/calendar\//, { token: calendarToken ?? 'a'.repeat(32) }],
    [/^\/api\/v1\/cities\//, { city: ZHENGZHOU }],
    [/^\/api\/v1\/schools\//, { organisationId: orgs.schoolX.id }],
    [/^\/api\/v1\/school-plans\//, { id: String(plan.id) }],
    [/^\/api\/v1\/school-sessions\//, { id: session.id }],
    [/^\/api\/v1\/school-registrations\//, { id: String(registration.id) }],
    [/^\/api\/v1\/assets\/by-code\//, { code: String(asset.code) }],
    [/^\/api\/v1\/assets\//, { id: String(asset.id) }],
    [/^\/api\/v1\/tickets\//, { id: String(ticket.id) }],
    [/^\/api\/v1\/open311-clients\//, { id: String(client.id) }],
    [/^\/open311\/v2\/services\//, { code: 'basketball_hoop' }],
    [/^\/open311\/v2\/requests\//, { id: ticketRow!.code }],
    [/^\/open311\/v2\/tokens\//, { token: String(ticket.id) }],
    [/^\/open311\/v2\//, { format: 'json' }],
  ];

  return {
    callers: { anonymous: undefined, staff, resident: residentToken },
    pathValue: (path, name) => {
      for (const [pattern, values] of byPath) if (pattern.test(path) && values[name] !== undefined) return values[name];
      if (path.startsWith('/open311/v2/') && name === 'format') return 'json';
      return undefined;
    },
    ids: {
      venueId: venue!.id,
      resourceId: court,
      resourceIds: court,
      organisationId: orgs.venueCo.id,
      parentId: orgs.zzBureau.id,
      targetOrganisationId: orgs.jinshuiBureau.id,
      userId: resident.id,
      actorId: cityAdmin.id,
      assigneeId: operator.id,
      originalId: String(ticket.id),
      planId: String(plan.id),
      assetCode: String(asset.code),
      code: String(ticketRow!.code),
      phone: resident.phone,
      holderPhone: resident.phone,
      actorPhone: resident.phone,
      city: ZHENGZHOU,
      cityCode: ZHENGZHOU,
      district: JINSHUI,
      districtCode: JINSHUI,
      api_key: String(client.apiKey ?? client.key ?? 'no-key'),
      service_code: 'basketball_hoop',
    },
    png,
    photoUrl: String(photo.url),
  };
}
