import { createHash, createHmac, randomInt, timingSafeEqual } from 'node:crypto';
import { and, asc, count, desc, eq, gt, gte, inArray, lt, ne, sql } from 'drizzle-orm';
import type { Availability, CreateReservationBody, Page, Reservation } from '@sports/contracts';
import { EXCLUSION_VIOLATION, retryOnConflict, schema, sqlState, UNIQUE_VIOLATION, type Db, type Queryable } from '@sports/db';
import {
  canActOn,
  canCancelFree,
  chinaHolidayCalendar,
  checkInWindow,
  checkRequestedSpan,
  localDate,
  slotPriceFen,
  timeState,
  withinCheckInWindow,
  type SlotState,
  type StaffRole,
} from '@sports/domain';
import type { Actor } from './actor.ts';
import { recordAudit } from './audit.ts';
import { effectiveSettings, endOf, rangeText, residentRules, resourceSlots, startOf, venueSlots } from './booking-rules.ts';
import { DomainError } from './errors.ts';
import { authorize, findOrganisationPlace } from './grants.ts';
import { notify } from './notifications.ts';

const r = schema.reservations;
const ACTIVE = ['confirmed', 'checked_in'] as const;
/** Who may run a venue's bookings: its operator or school, or a bureau admin in scope. */
export const BOOKING_STAFF: readonly StaffRole[] = ['operator', 'school_admin', 'bureau_admin'];

export interface ReservationSecrets {
  /** Signs the entry QR codes. */
  qrKey: string;
}

// ——— codes and QR ———

/** 8 characters from an alphabet without look-alikes (no 0/O, 1/I/L): 32^8 ≈ 10^12 codes. */
const CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
export function newReservationCode(): string {
  return Array.from({ length: 8 }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join('');
}

function qrSignature(code: string, key: string): string {
  return createHmac('sha256', key).update(`reservation:${code}`).digest('base64url').slice(0, 22);
}

/** The text in a reservation's QR: its code and a signature, so a forged code is refused at the gate. */
export function qrText(code: string, key: string): string {
  return `SPR1.${code}.${qrSignature(code, key)}`;
}

/** A scanned QR or a typed short code → the reservation code; a QR with a bad signature is refused. */
export function codeFromScan(input: string, key: string): string {
  const text = input.trim().toUpperCase();
  if (!input.trim().startsWith('SPR1.')) return text;
  const [, code = '', signature = ''] = input.trim().split('.');
  const expected = Buffer.from(qrSignature(code, key));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) throw new DomainError('NOT_FOUND');
  return code;
}

// ——— reading ———

const reservationColumns = {
  id: r.id,
  code: r.code,
  kind: r.kind,
  status: r.status,
  start: startOf(),
  end: endOf(),
  priceFen: r.priceFen,
  paymentStatus: r.paymentStatus,
  sport: r.sport,
  userId: r.userId,
  cancelReason: r.cancelReason,
  createdAt: r.createdAt,
  venueId: schema.venues.id,
  venueName: schema.venues.name,
  venueAddress: schema.venues.address,
  timeZone: schema.venues.timeZone,
  venueSettings: schema.venues.bookingSettings,
  organisationId: schema.venues.organisationId,
  cityCode: schema.venues.cityCode,
  resourceId: schema.venueResources.id,
  resourceName: schema.venueResources.name,
  resourceSettings: schema.venueResources.bookingSettings,
};

function reservationQuery(db: Queryable) {
  return db
    .select(reservationColumns)
    .from(r)
    .innerJoin(schema.venues, eq(schema.venues.id, r.venueId))
    .innerJoin(schema.venueResources, eq(schema.venueResources.id, r.resourceId));
}

type ReservationRow = Awaited<ReturnType<typeof reservationQuery>>[number];

function toReservation(row: ReservationRow, secrets: ReservationSecrets): Reservation {
  const settings = effectiveSettings({ bookingSettings: row.venueSettings }, { bookingSettings: row.resourceSettings });
  const window = checkInWindow(row.start);
  return {
    id: row.id,
    code: row.code,
    kind: row.kind,
    status: row.status,
    start: row.start.toISOString(),
    end: row.end.toISOString(),
    priceFen: row.priceFen,
    paymentStatus: row.paymentStatus,
    sport: row.sport as Reservation['sport'],
    venue: { id: row.venueId, name: row.venueName, address: row.venueAddress, timeZone: row.timeZone },
    resource: { id: row.resourceId, name: row.resourceName },
    cancelDeadline: new Date(row.start.getTime() - settings.cancelHours * 3_600_000).toISOString(),
    checkInOpens: window.opens.toISOString(),
    checkInCloses: window.closes.toISOString(),
    qr: qrText(row.code, secrets.qrKey),
    cancelReason: row.cancelReason,
    createdAt: row.createdAt.toISOString(),
  };
}

async function loadReservation(db: Queryable, id: string): Promise<ReservationRow> {
  const [row] = await reservationQuery(db).where(eq(r.id, id));
  if (!row) throw new DomainError('NOT_FOUND');
  return row;
}

/** A resident sees their own bookings; staff see the bookings of venues they run. Others: 404. */
async function visibleReservation(db: Queryable, actor: Actor, id: string): Promise<ReservationRow> {
  const row = await loadReservation(db, id);
  if (row.userId === actor.userId) return row;
  const place = await findOrganisationPlace(db, row.organisationId);
  if (place && canActOn(actor.grants, BOOKING_STAFF, place)) return row;
  throw new DomainError('NOT_FOUND');
}

export async function getReservation(db: Db, secrets: ReservationSecrets, actor: Actor, id: string): Promise<Reservation> {
  return toReservation(await visibleReservation(db, actor, id), secrets);
}

export async function listMyReservations(
  db: Db,
  secrets: ReservationSecrets,
  actor: Actor,
  query: { page: number; pageSize: number; when: 'upcoming' | 'past' },
  now: Date,
): Promise<Page<Reservation>> {
  const upcoming = query.when === 'upcoming';
  const where = and(
    eq(r.userId, actor.userId),
    upcoming
      ? and(gt(sql`upper(${r.during})`, now), inArray(r.status, [...ACTIVE]))
      : sql`(upper(${r.during}) <= ${now.toISOString()}::timestamptz or ${r.status} not in ('confirmed', 'checked_in'))`,
  );
  const [rows, [total]] = await Promise.all([
    reservationQuery(db)
      .where(where)
      .orderBy(upcoming ? asc(sql`lower(${r.during})`) : desc(sql`lower(${r.during})`))
      .limit(query.pageSize)
      .offset((query.page - 1) * query.pageSize),
    db.select({ n: count() }).from(r).where(where),
  ]);
  return {
    items: rows.map((row) => toReservation(row, secrets)),
    page: query.page,
    pageSize: query.pageSize,
    total: total?.n ?? 0,
  };
}

// ——— availability ———

async function venueAndResources(db: Queryable, venueId: string) {
  const [venue] = await db.select().from(schema.venues).where(eq(schema.venues.id, venueId));
  if (!venue || !venue.isPublic) throw new DomainError('NOT_FOUND');
  const resources = await db
    .select()
    .from(schema.venueResources)
    .where(and(eq(schema.venueResources.venueId, venueId), ne(schema.venueResources.status, 'retired')))
    .orderBy(asc(schema.venueResources.sortOrder), asc(schema.venueResources.name));
  return { venue, resources };
}

/**
 * Every resource's slots over `days` local days from `date`: free, booked, closed (a block),
 * out of service, not yet released or past, with the price. Who booked is never revealed.
 */
export async function availability(db: Db, venueId: string, date: string, days: number, now: Date): Promise<Availability> {
  const { venue, resources } = await venueAndResources(db, venueId);
  const from = new Date(`${date}T00:00:00Z`).getTime() - 86_400_000;
  const to = from + (days + 2) * 86_400_000;
  const taken = resources.length
    ? await db
        .select({ resourceId: r.resourceId, kind: r.kind, start: startOf(), end: endOf() })
        .from(r)
        .where(
          and(
            inArray(r.resourceId, resources.map((x) => x.id)),
            inArray(r.status, [...ACTIVE]),
            sql`${r.during} && tstzrange(${new Date(from).toISOString()}::timestamptz, ${new Date(to).toISOString()}::timestamptz)`,
          ),
        )
    : [];
  const slotsByResource = await venueSlots(db, venue, resources, date, days);
  const out: Availability['resources'] = [];
  for (const resource of resources) {
    const settings = effectiveSettings(venue, resource);
    const slots = slotsByResource.get(resource.id)!;
    const mine = taken.filter((t) => t.resourceId === resource.id);
    out.push({
      id: resource.id,
      name: resource.name,
      sport: resource.sport as Availability['resources'][number]['sport'],
      status: resource.status,
      settings,
      slots: slots.map((slot) => {
        const holding = mine.find((t) => t.start < slot.end && slot.start < t.end);
        const time = timeState(slot, settings, venue.timeZone, now);
        let status: SlotState;
        if (time === 'past') status = 'past';
        else if (resource.status === 'out_of_service') status = 'out_of_service';
        else if (holding) status = holding.kind === 'block' ? 'closed' : 'booked';
        else if (time === 'not_yet_released') status = 'not_yet_released';
        else status = 'free';
        return {
          start: slot.start.toISOString(),
          end: slot.end.toISOString(),
          status,
          priceFen: slotPriceFen(slot, settings, venue.timeZone, chinaHolidayCalendar),
        };
      }),
    });
  }
  return { venueId, timeZone: venue.timeZone, resources: out };
}

// ——— reserving ———

function requestHash(body: CreateReservationBody): string {
  const canonical = JSON.stringify([body.resourceId, new Date(body.start).toISOString(), new Date(body.end).toISOString()]);
  return createHash('sha256').update(canonical).digest('base64url');
}

async function replay(db: Queryable, secrets: ReservationSecrets, userId: string, key: string, hash: string) {
  const [existing] = await db
    .select({ id: r.id, requestHash: r.requestHash })
    .from(r)
    .where(and(eq(r.userId, userId), eq(r.idempotencyKey, key)));
  if (!existing) return undefined;
  if (existing.requestHash !== hash) throw new DomainError('IDEMPOTENCY_KEY_REUSED');
  return toReservation(await loadReservation(db, existing.id), secrets);
}

export interface ReserveResult {
  reservation: Reservation;
  /** False when the Idempotency-Key replayed an earlier request. */
  created: boolean;
}

/**
 * Books a resource for whole consecutive slots. One transaction: the resident's own rules are
 * checked under a per-resident advisory lock (so two of their requests cannot both slip under a
 * quota), and the exclusion constraint on `reservations` is what keeps two residents off the same
 * court at the same time: the checks before it only make the refusal friendlier.
 */
export async function reserve(
  db: Db,
  secrets: ReservationSecrets,
  actor: Actor,
  body: CreateReservationBody,
  idempotencyKey: string,
  now: Date,
): Promise<ReserveResult> {
  const hash = requestHash(body);
  const earlier = await replay(db, secrets, actor.userId, idempotencyKey, hash);
  if (earlier) return { reservation: earlier, created: false };
  const start = new Date(body.start);
  const end = new Date(body.end);
  try {
    const id = await retryOnConflict(() => db.transaction(async (tx) => {
      const [resource] = await tx.select().from(schema.venueResources).where(eq(schema.venueResources.id, body.resourceId));
      if (!resource) throw new DomainError('NOT_FOUND');
      const [venue] = await tx.select().from(schema.venues).where(eq(schema.venues.id, resource.venueId));
      if (!venue || !venue.isPublic) throw new DomainError('NOT_FOUND');
      if (resource.status !== 'active') throw new DomainError('RESOURCE_OUT_OF_SERVICE');
      const settings = effectiveSettings(venue, resource);

      const date = localDate(start, venue.timeZone);
      const slots = await resourceSlots(tx, venue, resource, date, 1);
      const span = checkRequestedSpan(start, end, slots, settings, venue.timeZone, now);
      if (!span.ok) {
        throw new DomainError(span.reason, { slotMinutes: settings.slotMinutes, minSlots: settings.minSlots, maxSlots: settings.maxSlots });
      }

      await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`reservations:${actor.userId}`}))`);
      await assertResidentMayBook(tx, actor.userId, venue.cityCode, resource.sport, venue.timeZone, start, end, now);

      const priceFen = span.slots.reduce((sum, s) => sum + slotPriceFen(s, settings, venue.timeZone, chinaHolidayCalendar), 0);
      const [created] = await tx
        .insert(r)
        .values({
          code: newReservationCode(),
          resourceId: resource.id,
          venueId: venue.id,
          userId: actor.userId,
          during: rangeText(start, end),
          sport: resource.sport,
          priceFen,
          idempotencyKey,
          requestHash: hash,
          createdBy: actor.userId,
        })
        .returning({ id: r.id });
      return created!.id;
    }));
    return { reservation: toReservation(await loadReservation(db, id), secrets), created: true };
  } catch (err) {
    if (sqlState(err) === EXCLUSION_VIOLATION) throw new DomainError('SLOT_TAKEN');
    if (sqlState(err) === UNIQUE_VIOLATION) {
      // The same key raced itself: the other request won; answer as it did.
      const again = await replay(db, secrets, actor.userId, idempotencyKey, hash);
      if (again) return { reservation: again, created: false };
    }
    throw err;
  }
}

/** The city-wide resident rules: not suspended, few enough upcoming bookings, few enough hours a day per sport. */
async function assertResidentMayBook(
  tx: Queryable,
  userId: string,
  cityCode: string,
  sport: string,
  timeZone: string,
  start: Date,
  end: Date,
  now: Date,
): Promise<void> {
  const rules = await residentRules(tx, cityCode);
  const s = schema.bookingSuspensions;
  const [suspension] = await tx
    .select({ until: s.until })
    .from(s)
    .where(and(eq(s.userId, userId), eq(s.cityCode, cityCode), gt(s.until, now)))
    .orderBy(desc(s.until))
    .limit(1);
  if (suspension) {
    throw new DomainError('SUSPENDED', { until: formatLocal(suspension.until, timeZone), untilIso: suspension.until.toISOString() });
  }
  const inCity = sql`${r.venueId} in (select id from ${schema.venues} where city_code = ${cityCode})`;
  const [upcoming] = await tx
    .select({ n: count() })
    .from(r)
    .where(and(eq(r.userId, userId), eq(r.kind, 'booking'), inArray(r.status, [...ACTIVE]), gt(sql`upper(${r.during})`, now), inCity));
  if ((upcoming?.n ?? 0) >= rules.maxUpcoming) {
    throw new DomainError('QUOTA_EXCEEDED', { rule: `最多同时持有 ${rules.maxUpcoming} 个未开始的预约 / at most ${rules.maxUpcoming} upcoming bookings` });
  }
  const day = localDate(start, timeZone);
  const dayStart = new Date(`${day}T00:00:00${offsetOf(start, timeZone)}`);
  const dayEnd = new Date(dayStart.getTime() + 86_400_000);
  const [minutes] = await tx
    .select({ n: sql<number>`coalesce(sum(extract(epoch from upper(${r.during}) - lower(${r.during})) / 60), 0)`.mapWith(Number) })
    .from(r)
    .where(
      and(
        eq(r.userId, userId),
        eq(r.sport, sport),
        inArray(r.status, [...ACTIVE]),
        gte(sql`lower(${r.during})`, dayStart),
        lt(sql`lower(${r.during})`, dayEnd),
        inCity,
      ),
    );
  const requested = (end.getTime() - start.getTime()) / 60_000;
  if ((minutes?.n ?? 0) + requested > rules.maxHoursPerDayPerSport * 60) {
    throw new DomainError('QUOTA_EXCEEDED', {
      rule: `同一运动每天最多 ${rules.maxHoursPerDayPerSport} 小时 / at most ${rules.maxHoursPerDayPerSport} hours a day per sport`,
    });
  }
}

/** '+08:00' for an instant in a zone. */
function offsetOf(at: Date, timeZone: string): string {
  const name = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' })
    .formatToParts(at)
    .find((p) => p.type === 'timeZoneName')!.value;
  return name === 'GMT' ? '+00:00' : name.replace('GMT', '');
}

function formatLocal(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('zh-CN', { timeZone, dateStyle: 'medium', timeStyle: 'short' }).format(at);
}

// ——— cancelling and checking in ———

/**
 * A resident cancels their own booking, free until the deadline. Staff of the venue cancel any
 * booking there with a reason, without penalty to the resident, who is told.
 */
export async function cancelReservation(
  db: Db,
  secrets: ReservationSecrets,
  actor: Actor,
  id: string,
  reason: string | undefined,
  now: Date,
): Promise<Reservation> {
  await db.transaction(async (tx) => {
    const row = await visibleReservation(tx, actor, id);
    const own = row.userId === actor.userId;
    if (row.status !== 'confirmed') throw new DomainError('NOT_CANCELLABLE');
    if (own) {
      const settings = effectiveSettings({ bookingSettings: row.venueSettings }, { bookingSettings: row.resourceSettings });
      if (!canCancelFree(row.start, settings.cancelHours, now)) {
        throw new DomainError('CANCELLATION_DEADLINE_PASSED', { hours: settings.cancelHours });
      }
    } else if (!reason) {
      throw new DomainError('REASON_REQUIRED');
    }
    const [updated] = await tx
      .update(r)
      .set({
        status: 'cancelled',
        cancelledAt: now,
        cancelledBy: actor.userId,
        cancelReason: reason ?? null,
        cancelledWithoutPenalty: !own,
      })
      .where(and(eq(r.id, id), eq(r.status, 'confirmed')))
      .returning({ id: r.id });
    if (!updated) throw new DomainError('NOT_CANCELLABLE');
    if (!own) {
      await recordAudit(tx, actor, {
        action: 'reservation.cancel',
        targetType: 'reservation',
        targetId: id,
        organisationId: row.organisationId,
        detail: { reason, code: row.code },
      });
      if (row.userId) {
        await notify(tx, [
          {
            userId: row.userId,
            kind: 'reservation.cancelled_by_venue',
            title: '您的预约已被场馆取消',
            body: `${row.venueName} ${row.resourceName} ${formatLocal(row.start, row.timeZone)} 的预约已被取消，原因：${reason}。不计违约。`,
            data: { reservationId: id, reason },
          },
        ]);
      }
    }
  });
  return toReservation(await loadReservation(db, id), secrets);
}

/**
 * Staff at the gate scan the resident's QR (or type the short code) and check them in, from 30
 * minutes before the start to 15 minutes after.
 */
export async function checkIn(db: Db, secrets: ReservationSecrets, actor: Actor, scanned: string, now: Date): Promise<Reservation> {
  const code = codeFromScan(scanned, secrets.qrKey);
  const id = await db.transaction(async (tx) => {
    const [row] = await reservationQuery(tx).where(eq(r.code, code));
    if (!row) throw new DomainError('NOT_FOUND');
    await authorize(tx, actor, BOOKING_STAFF, row.organisationId);
    if (row.status === 'checked_in') throw new DomainError('ALREADY_CHECKED_IN');
    if (row.status !== 'confirmed') throw new DomainError('NOT_FOUND');
    if (!withinCheckInWindow(row.start, now)) throw new DomainError('CHECK_IN_WINDOW');
    await tx.update(r).set({ status: 'checked_in', checkedInAt: now, checkedInBy: actor.userId }).where(eq(r.id, row.id));
    await recordAudit(tx, actor, {
      action: 'reservation.check_in',
      targetType: 'reservation',
      targetId: row.id,
      organisationId: row.organisationId,
      detail: { code },
    });
    return row.id;
  });
  return toReservation(await loadReservation(db, id), secrets);
}
