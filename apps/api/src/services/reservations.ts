import { createHash, createHmac, randomInt, timingSafeEqual } from 'node:crypto';
import { and, asc, count, desc, eq, gt, inArray, sql } from 'drizzle-orm';
import type { CreateReservationBody, Page, Reservation } from '@sports/contracts';
import { EXCLUSION_VIOLATION, preparedRows, retryOnConflict, schema, sqlState, UNIQUE_VIOLATION, type Db, type Queryable } from '@sports/db';
import {
  canActOn,
  canCancelFree,
  chinaHolidayCalendar,
  checkInWindow,
  checkRequestedSpan,
  addDays,
  localDate,
  releaseInstant,
  slotPriceFen,
  withinCheckInWindow,
  type BookingSettings,
  type ResidentRules,
  type SlotState,
  type StaffRole,
} from '@sports/domain';
import type { Actor } from './actor.ts';
import { recordAudit } from './audit.ts';
import {
  effectiveSettings,
  endOf,
  LOCK_RESIDENT_THEN_COURT,
  rangeText,
  slotsFromRules,
  startOf,
  withDefaultRules,
  type ExceptionRow,
  type ResourceRules,
  type VenueRules,
} from './booking-rules.ts';
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

type VenueRow = typeof schema.venues.$inferSelect;
type ResourceRow = typeof schema.venueResources.$inferSelect;
/** A venue as its availability needs it. */
type AvailabilityVenue = VenueRules & Pick<VenueRow, 'isPublic'>;
/** A court as its availability (and a booking) needs it. */
type AvailabilityResource = ResourceRules & Pick<ResourceRow, 'name' | 'sport' | 'status'>;

/** A slot as the grid shows it before bookings and the clock are laid over it. */
interface PricedSlot {
  startMs: number;
  endMs: number;
  start: string;
  end: string;
  date: string;
  priceFen: number;
}

interface SlotTemplate {
  fingerprint: string;
  /** Per resource id, its slots in time order. */
  slots: Map<string, PricedSlot[]>;
  /** Per resource id, its slots' JSON as last written, and what it was written from (see courtSlots). */
  written: Map<string, WrittenSlots>;
}

interface WrittenSlots {
  /** Everything besides the template that the statuses depend on. */
  key: string;
  /** The JSON array of the court's slots, without its brackets. */
  body: Buffer;
  /** The next instant at which the court's slots change by time alone. */
  changesAt: number;
}

/**
 * A venue's priced slots for a span of days, remembered: they change only when the venue's hours,
 * exceptions, settings or courts do, and every one of those is part of the fingerprint, so a changed
 * rule is never served stale. Pricing and formatting ~2 000 slots is most of an availability request.
 * A 20-court week holds about 0.5 MB with its courts' written JSON (see courtSlots): at most ~100 MB.
 */
const templates = new Map<string, SlotTemplate>();
const TEMPLATE_LIMIT = 200;

function slotTemplate(
  venue: AvailabilityVenue,
  resources: readonly AvailabilityResource[],
  exceptions: readonly ExceptionRow[],
  date: string,
  days: number,
  fingerprint: string,
): SlotTemplate {
  const key = `${venue.id}|${date}|${days}`;
  const known = templates.get(key);
  if (known?.fingerprint === fingerprint) {
    // Least recently used goes first when the map is full: re-insert on every hit.
    templates.delete(key);
    templates.set(key, known);
    return known;
  }
  const byResource = slotsFromRules(venue, resources, exceptions, date, days);
  const slots = new Map<string, PricedSlot[]>();
  for (const resource of resources) {
    const settings = effectiveSettings(venue, resource);
    slots.set(
      resource.id,
      byResource.get(resource.id)!.map((slot) => ({
        startMs: slot.start.getTime(),
        endMs: slot.end.getTime(),
        start: slot.start.toISOString(),
        end: slot.end.toISOString(),
        date: slot.date,
        priceFen: slotPriceFen(slot, settings, venue.timeZone, chinaHolidayCalendar),
      })),
    );
  }
  const template = { fingerprint, slots, written: new Map<string, WrittenSlots>() };
  templates.delete(key);
  if (templates.size >= TEMPLATE_LIMIT) templates.delete(templates.keys().next().value!);
  templates.set(key, template);
  return template;
}

interface AvailabilityFacts {
  venue: AvailabilityVenue | null;
  resources: AvailabilityResource[];
  exceptions: ExceptionRow[];
  /** Per court: its holds as 'start,end,isBlock;…' in epoch milliseconds. */
  holds: Record<string, string> | null;
}

/**
 * The venue, its courts, their exceptions and their bookings in range, in one round trip. Bookings
 * come as one text per court — far cheaper to move and read than a row per booking.
 */
const AVAILABILITY_FACTS = `
  select
    (select json_build_object('id', v.id, 'timeZone', v.time_zone, 'isPublic', v.is_public, 'weeklyHours', v.weekly_hours,
                              'holidayRule', v.holiday_rule, 'bookingSettings', v.booking_settings)
       from venues v where v.id = $1::uuid) as venue,
    (select coalesce(json_agg(json_build_object('id', x.id, 'name', x.name, 'sport', x.sport, 'status', x.status,
                                                'weeklyHours', x.weekly_hours, 'bookingSettings', x.booking_settings)
                              order by x.sort_order, x.name), '[]'::json)
       from venue_resources x where x.venue_id = $1::uuid and x.status <> 'retired') as resources,
    (select coalesce(json_agg(json_build_object('date', e.date, 'kind', e.kind, 'ranges', e.ranges, 'reason', e.reason,
                                                'resourceId', e.resource_id)), '[]'::json)
       from venue_hours_exceptions e where e.venue_id = $1::uuid and e.date between $2::date and $3::date) as exceptions,
    (select json_object_agg(h.resource_id, h.holds) from (
       select resource_id,
              string_agg((date_part('epoch', lower(during)) * 1000)::int8 || ',' || (date_part('epoch', upper(during)) * 1000)::int8
                         || ',' || (kind = 'block')::int, ';') as holds
         from reservations
        where venue_id = $1::uuid and status in ('confirmed', 'checked_in') and during && tstzrange($4::timestamptz, $5::timestamptz)
        group by resource_id) h) as holds`;

async function availabilityFacts(db: Queryable, venueId: string, date: string, days: number, from: Date, to: Date): Promise<AvailabilityFacts> {
  const [row] = await preparedRows<AvailabilityFacts>(db, 'availability_facts', AVAILABILITY_FACTS, [
    venueId,
    date,
    addDays(date, days - 1),
    from.toISOString(),
    to.toISOString(),
  ]);
  return row!;
}

/**
 * One court's slots as JSON, each with its status: bookings (`holds`, as availabilityFacts reads
 * them) are laid over the template's slots in one forward walk. A court's statuses depend only on
 * its slots, its bookings, its own state, how many of its slots have begun and which of its days are
 * released; when none of those changed since the court was last written (most courts, after a
 * booking on another), the same bytes are used again. Slots are plain ASCII, so the text is encoded
 * byte for byte.
 */
function courtSlots(
  template: SlotTemplate,
  resource: AvailabilityResource,
  settings: BookingSettings,
  timeZone: string,
  holds: string | undefined,
  nowMs: number,
): WrittenSlots {
  const slots = template.slots.get(resource.id)!;
  let begun = 0;
  for (let high = slots.length; begun < high; ) {
    const middle = (begun + high) >>> 1;
    if (slots[middle]!.startMs <= nowMs) begun = middle + 1;
    else high = middle;
  }
  const releases = new Map<string, number>();
  let released = '';
  for (const slot of slots) {
    if (releases.has(slot.date)) continue;
    const release = releaseInstant(slot.date, settings, timeZone).getTime();
    releases.set(slot.date, release);
    released += release > nowMs ? '0' : '1';
  }
  const key = `${begun}|${released}|${resource.status}|${holds ?? ''}`;
  const known = template.written.get(resource.id);
  if (known?.key === key) return known;

  // Bookings as [start, end, isBlock], in time order, for one forward walk beside the slots.
  const mine = (holds ? holds.split(';') : [])
    .map((hold) => {
      const [start, end, block] = hold.split(',');
      return [Number(start), Number(end), block === '1'] as [number, number, boolean];
    })
    .sort((a, b) => a[0] - b[0]);
  let next = 0;
  let changesAt = Number.POSITIVE_INFINITY;
  let json = '';
  for (let i = 0; i < slots.length; i++) {
    const slot = slots[i]!;
    // Holds that ended before this slot began can never touch a later one.
    while (next < mine.length && mine[next]![1] <= slot.startMs) next++;
    let holding: [number, number, boolean] | undefined;
    for (let h = next; h < mine.length && mine[h]![0] < slot.endMs; h++) {
      if (mine[h]![1] > slot.startMs) {
        holding = mine[h];
        break;
      }
    }
    const release = releases.get(slot.date)!;
    if (slot.startMs > nowMs && slot.startMs < changesAt) changesAt = slot.startMs;
    if (release > nowMs && release < changesAt) changesAt = release;
    let status: SlotState;
    if (slot.startMs <= nowMs) status = 'past';
    else if (resource.status === 'out_of_service') status = 'out_of_service';
    else if (holding) status = holding[2] ? 'closed' : 'booked';
    else if (release > nowMs) status = 'not_yet_released';
    else status = 'free';
    json += `${i === 0 ? '' : ','}{"start":"${slot.start}","end":"${slot.end}","status":"${status}","priceFen":${JSON.stringify(slot.priceFen)}}`;
  }
  const written = { key, body: Buffer.from(json, 'latin1'), changesAt };
  template.written.set(resource.id, written);
  return written;
}

/**
 * Every resource's slots over `days` local days from `date`: free, booked, closed (a block),
 * out of service, not yet released or past, with the price. Who booked is never revealed.
 *
 * One read (see availabilityFacts); the priced slots come from the template above; bookings are laid
 * over them in one ordered walk per court, writing the answer's JSON as it goes: the same bytes
 * JSON.stringify would make of the Availability object, without building ~2 000 objects first. A
 * court's slots are plain ASCII, so each court's run of slots is encoded byte for byte; only the
 * few texts that may hold other characters (names) go through UTF-8.
 */
export async function availabilityJson(
  db: Db,
  venueId: string,
  date: string,
  days: number,
  now: Date,
): Promise<{ body: Buffer; changesAt: number }> {
  const from = new Date(new Date(`${date}T00:00:00Z`).getTime() - 86_400_000);
  const to = new Date(from.getTime() + (days + 2) * 86_400_000);
  const facts = await availabilityFacts(db, venueId, date, days, from, to);
  const { venue, resources, exceptions } = facts;
  if (!venue || !venue.isPublic) throw new DomainError('NOT_FOUND');
  const fingerprint = JSON.stringify([
    venue.timeZone,
    venue.weeklyHours,
    venue.holidayRule,
    venue.bookingSettings,
    resources.map((x) => [x.id, x.weeklyHours, x.bookingSettings]),
    exceptions,
  ]);
  const template = slotTemplate(venue, resources, exceptions, date, days, fingerprint);

  const nowMs = now.getTime();
  // The next instant at which the answer changes by time alone: a slot begins, or a day is released.
  let changesAt = Number.POSITIVE_INFINITY;
  const parts: Buffer[] = [Buffer.from(`{"venueId":${JSON.stringify(venueId)},"timeZone":${JSON.stringify(venue.timeZone)},"resources":[`)];
  for (let i = 0; i < resources.length; i++) {
    const resource = resources[i]!;
    const settings = effectiveSettings(venue, resource);
    parts.push(
      Buffer.from(
        `${i === 0 ? '' : ','}{"id":${JSON.stringify(resource.id)},"name":${JSON.stringify(resource.name)},"sport":${JSON.stringify(resource.sport)},"status":${JSON.stringify(resource.status)},"settings":${JSON.stringify(settings)},"slots":[`,
      ),
    );
    const written = courtSlots(template, resource, settings, venue.timeZone, facts.holds?.[resource.id], nowMs);
    if (written.changesAt < changesAt) changesAt = written.changesAt;
    parts.push(written.body, Buffer.from(']}'));
  }
  parts.push(Buffer.from(']}'));
  return { body: Buffer.concat(parts), changesAt };
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
  return replayed(db, secrets, existing, hash);
}

/** The earlier booking made with this key, unless the key came with another request. */
async function replayed(db: Queryable, secrets: ReservationSecrets, existing: { id: string; requestHash: string | null }, hash: string) {
  if (existing.requestHash !== hash) throw new DomainError('IDEMPOTENCY_KEY_REUSED');
  return toReservation(await loadReservation(db, existing.id), secrets);
}

export interface ReserveResult {
  reservation: Reservation;
  /** False when the Idempotency-Key replayed an earlier request. */
  created: boolean;
}

/** Everything a booking is checked against before its transaction: one round trip. */
interface BookingFacts {
  /** The booking this resident made earlier with the same Idempotency-Key. */
  earlier: { id: string; requestHash: string | null } | null;
  /** The court and its venue; null when there is no such court. */
  place: {
    resource: AvailabilityResource;
    venue: AvailabilityVenue & { name: string; address: string; organisationId: string; cityCode: string };
    /** The city's stored resident rules (over the defaults), if it set any. */
    cityRules: Partial<ResidentRules> | null;
    /** The venue's and this court's exceptions from the day before to the day after the start's UTC date. */
    exceptions: ExceptionRow[];
  } | null;
}

const BOOKING_FACTS = `
  select
    (select json_build_object('id', x.id, 'requestHash', x.request_hash)
       from reservations x where x.user_id = $1::uuid and x.idempotency_key = $2::text) as earlier,
    (select json_build_object(
              'resource', json_build_object('id', vr.id, 'name', vr.name, 'sport', vr.sport, 'status', vr.status,
                                            'weeklyHours', vr.weekly_hours, 'bookingSettings', vr.booking_settings),
              'venue', json_build_object('id', v.id, 'name', v.name, 'address', v.address, 'timeZone', v.time_zone,
                                         'isPublic', v.is_public, 'organisationId', v.organisation_id, 'cityCode', v.city_code,
                                         'holidayRule', v.holiday_rule, 'weeklyHours', v.weekly_hours,
                                         'bookingSettings', v.booking_settings),
              'cityRules', (select c.rules from city_booking_rules c where c.city_code = v.city_code),
              'exceptions', (select coalesce(json_agg(json_build_object('date', e.date, 'kind', e.kind, 'ranges', e.ranges,
                                                                        'reason', e.reason, 'resourceId', e.resource_id)), '[]'::json)
                               from venue_hours_exceptions e
                              where e.venue_id = v.id and (e.resource_id is null or e.resource_id = vr.id)
                                and e.date between $4::date and $5::date))
       from venue_resources vr join venues v on v.id = vr.venue_id
      where vr.id = $3::uuid) as place`;

async function bookingFacts(db: Queryable, userId: string, idempotencyKey: string, resourceId: string, start: Date): Promise<BookingFacts> {
  // The start's local date is within a day of its UTC date in every zone; the zone picks it later.
  const utcDate = start.toISOString().slice(0, 10);
  const [row] = await preparedRows<BookingFacts>(db, 'booking_facts', BOOKING_FACTS, [userId, idempotencyKey, resourceId, addDays(utcDate, -1), addDays(utcDate, 1)]);
  return row!;
}

/** What the checking insert reports: the resident's standing when it ran, and the booking if it was made. */
interface BookingOutcome {
  suspendedUntil: string | null;
  upcoming: number;
  minutes: number;
  created: { id: string; code: string; kind: ReservationRow['kind']; status: ReservationRow['status']; paymentStatus: ReservationRow['paymentStatus']; cancelReason: string | null; createdAt: string; start: string; end: string } | null;
}

/**
 * The resident's standing — suspension, upcoming bookings in the city, minutes of this sport on this
 * local day — and the booking, inserted only when those allow it (the same rules reserve then
 * checks, in the order a resident is told about them). Parameters: $1 user, $2 city, $3 now, $4 sport,
 * $5 and $6 the local day, $7 max upcoming, $8 minutes requested, $9 max minutes, then the row: $10
 * code, $11 court, $12 venue, $13 range, $14 price, $15 Idempotency-Key, $16 request hash.
 */
const CHECKED_INSERT = `
  with suspension as (
         select until from booking_suspensions
          where user_id = $1::uuid and city_code = $2::text and until > $3::timestamptz
          order by until desc limit 1),
       upcoming as (
         select count(*) as n from reservations
          where user_id = $1::uuid and kind = 'booking' and status in ('confirmed', 'checked_in')
            and upper(during) > $3::timestamptz and venue_id in (select id from venues where city_code = $2::text)),
       minutes as (
         select coalesce(sum(extract(epoch from upper(during) - lower(during)) / 60), 0) as n from reservations
          where user_id = $1::uuid and sport = $4::text and status in ('confirmed', 'checked_in')
            and lower(during) >= $5::timestamptz and lower(during) < $6::timestamptz
            and venue_id in (select id from venues where city_code = $2::text)),
       created as (
         insert into reservations (code, resource_id, venue_id, user_id, during, sport, price_fen, idempotency_key, request_hash, created_by)
         select $10::text, $11::uuid, $12::uuid, $1::uuid, $13::tstzrange, $4::text, $14::int, $15::text, $16::text, $1::uuid
          where not exists (select 1 from suspension)
            and (select n from upcoming) < $7::float8
            and (select n from minutes) + $8::float8 <= $9::float8
         returning id, code, kind, status, payment_status as "paymentStatus", cancel_reason as "cancelReason",
                   created_at as "createdAt", lower(during) as start, upper(during) as "end")
  select json_build_object('suspendedUntil', (select until from suspension), 'upcoming', (select n from upcoming),
                           'minutes', (select n from minutes), 'created', (select row_to_json(created) from created)) as outcome`;

/**
 * Books a resource for whole consecutive slots. The court, its venue, their rules and the city's
 * rules are read and checked first, outside any transaction (one round trip). Then one transaction:
 * the resident's advisory lock and the court's (in that order, in one statement), then one statement
 * that reads the resident's standing — suspension, upcoming bookings, hours that day — and inserts
 * only when every rule allows. The standing is read after the resident's lock is held, so two of their
 * requests cannot both slip under a quota; the exclusion constraint on `reservations` is what keeps
 * two residents off the same court at the same time: the checks before it only make the refusal
 * friendlier.
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
  const start = new Date(body.start);
  const end = new Date(body.end);
  const facts = await bookingFacts(db, actor.userId, idempotencyKey, body.resourceId, start);
  if (facts.earlier) return { reservation: await replayed(db, secrets, facts.earlier, hash), created: false };
  const place = facts.place;
  if (!place) throw new DomainError('NOT_FOUND');
  const { resource, venue } = place;
  if (!venue.isPublic) throw new DomainError('NOT_FOUND');
  if (resource.status !== 'active') throw new DomainError('RESOURCE_OUT_OF_SERVICE');
  const settings = effectiveSettings(venue, resource);

  const date = localDate(start, venue.timeZone);
  const exceptions = place.exceptions.filter((e) => e.date === date);
  const slots = slotsFromRules(venue, [resource], exceptions, date, 1).get(resource.id)!;
  const span = checkRequestedSpan(start, end, slots, settings, venue.timeZone, now);
  if (!span.ok) {
    throw new DomainError(span.reason, { slotMinutes: settings.slotMinutes, minSlots: settings.minSlots, maxSlots: settings.maxSlots });
  }
  const rules = withDefaultRules(place.cityRules);
  const priceFen = span.slots.reduce((sum, s) => sum + slotPriceFen(s, settings, venue.timeZone, chinaHolidayCalendar), 0);
  const dayStart = new Date(`${date}T00:00:00${offsetOf(start, venue.timeZone)}`);
  const dayEnd = new Date(dayStart.getTime() + 86_400_000);
  const requested = (end.getTime() - start.getTime()) / 60_000;
  const maxMinutes = rules.maxHoursPerDayPerSport * 60;

  try {
    const created = await retryOnConflict(() =>
      db.transaction(async (tx) => {
        await preparedRows(tx, 'lock_resident_then_court', LOCK_RESIDENT_THEN_COURT, [actor.userId, resource.id]);
        const values = {
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
        };
        const [{ outcome }] = (await preparedRows<{ outcome: BookingOutcome }>(tx, 'reserve_checked_insert', CHECKED_INSERT, [
          actor.userId,
          venue.cityCode,
          now.toISOString(),
          resource.sport,
          dayStart.toISOString(),
          dayEnd.toISOString(),
          rules.maxUpcoming,
          requested,
          maxMinutes,
          values.code,
          values.resourceId,
          values.venueId,
          values.during,
          values.priceFen,
          values.idempotencyKey,
          values.requestHash,
        ])) as [{ outcome: BookingOutcome }];
        // The same rules as the insert's condition, in the order a resident is told about them.
        if (outcome.suspendedUntil) {
          const until = new Date(outcome.suspendedUntil);
          throw new DomainError('SUSPENDED', { until: formatLocal(until, venue.timeZone), untilIso: until.toISOString() });
        }
        if (outcome.upcoming >= rules.maxUpcoming) {
          throw new DomainError('QUOTA_EXCEEDED', { rule: `最多同时持有 ${rules.maxUpcoming} 个未开始的预约 / at most ${rules.maxUpcoming} upcoming bookings` });
        }
        if (outcome.minutes + requested > maxMinutes) {
          throw new DomainError('QUOTA_EXCEEDED', {
            rule: `同一运动每天最多 ${rules.maxHoursPerDayPerSport} 小时 / at most ${rules.maxHoursPerDayPerSport} hours a day per sport`,
          });
        }
        if (outcome.created) return outcome.created;
        // Unreachable while the insert's condition and the checks above agree; should they ever
        // not, the checks above are the ones that hold.
        const [row] = await tx.insert(r).values(values).returning({ id: r.id });
        return row!.id;
      }),
    );
    if (typeof created === 'string') return { reservation: toReservation(await loadReservation(db, created), secrets), created: true };
    const row: ReservationRow = {
      ...created,
      start: new Date(created.start),
      end: new Date(created.end),
      createdAt: new Date(created.createdAt),
      priceFen,
      sport: resource.sport,
      userId: actor.userId,
      venueId: venue.id,
      venueName: venue.name,
      venueAddress: venue.address,
      timeZone: venue.timeZone,
      venueSettings: venue.bookingSettings,
      organisationId: venue.organisationId,
      cityCode: venue.cityCode,
      resourceId: resource.id,
      resourceName: resource.name,
      resourceSettings: resource.bookingSettings,
    };
    return { reservation: toReservation(row, secrets), created: true };
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

const offsetFormatters = new Map<string, Intl.DateTimeFormat>();
const localFormatters = new Map<string, Intl.DateTimeFormat>();

/** '+08:00' for an instant in a zone. (Formatters are remembered per zone: making one costs more than a booking's queries.) */
function offsetOf(at: Date, timeZone: string): string {
  let formatter = offsetFormatters.get(timeZone);
  if (!formatter) offsetFormatters.set(timeZone, (formatter = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' })));
  const name = formatter.formatToParts(at).find((p) => p.type === 'timeZoneName')!.value;
  return name === 'GMT' ? '+00:00' : name.replace('GMT', '');
}

function formatLocal(at: Date, timeZone: string): string {
  let formatter = localFormatters.get(timeZone);
  if (!formatter) localFormatters.set(timeZone, (formatter = new Intl.DateTimeFormat('zh-CN', { timeZone, dateStyle: 'medium', timeStyle: 'short' })));
  return formatter.format(at);
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
