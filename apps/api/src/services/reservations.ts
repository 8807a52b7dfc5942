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
  localTimeToInstant,
  releaseInstant,
  slotPriceFen,
  withinCheckInWindow,
  type BookingSettings,
  type ResidentRules,
  type Slot,
  type SlotState,
  type StaffRole,
} from '@sports/domain';
import { accountState, loadActor, requireEnabled, type Actor, type Caller } from './actor.ts';
import { recordAudit } from './audit.ts';
import {
  effectiveSettings,
  endOf,
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

/**
 * The facts a booking is checked against — the court, its venue, the city's resident rules and the
 * exceptions from the day before to the day after the start's UTC date — as `booking_facts`
 * (migration 0011) writes them, with their version: what reserve_checked compares with the rows it
 * reads under the locks.
 */
interface BookingFacts {
  version: string;
  resource: AvailabilityResource;
  venue: AvailabilityVenue & { name: string; address: string; organisationId: string; cityCode: string };
  /** The city's stored resident rules (over the defaults), if it set any. */
  cityRules: Partial<ResidentRules> | null;
  exceptions: ExceptionRow[];
}

/**
 * Facts read for earlier bookings, by court and UTC date. A kept copy only saves the read:
 * reserve_checked refuses to insert when the facts have changed since, and answers with the new ones.
 */
const knownFacts = new Map<string, BookingFacts>();
const KNOWN_FACTS_LIMIT = 10_000;

function rememberFacts(key: string, text: string): BookingFacts {
  const facts = JSON.parse(text) as BookingFacts;
  knownFacts.delete(key);
  if (knownFacts.size >= KNOWN_FACTS_LIMIT) knownFacts.delete(knownFacts.keys().next().value!);
  knownFacts.set(key, facts);
  return facts;
}

/** What reserve_checked answers (see migration 0011). */
type BookingOutcome =
  | { earlier: { id: string; requestHash: string | null } }
  | { stale: true; place: string | null }
  | {
      suspendedUntil: string | null;
      upcoming: number;
      minutes: number;
      created: { id: string; code: string; kind: ReservationRow['kind']; status: ReservationRow['status']; paymentStatus: ReservationRow['paymentStatus']; cancelReason: string | null; createdAt: string; start: string; end: string } | null;
    };

/**
 * Whether the caller's account is disabled, whether their sign-in is still live (not signed out) and,
 * only when both allow it, reserve_checked: the signed-in check and the booking in one round trip.
 * No row: no such account.
 */
const RESERVE_CHECKED = `
  select a.disabled, a."signedIn",
         case when a.disabled or not a."signedIn" then null
              else reserve_checked($1::uuid, $2::text, $3::text, $4::uuid, $5::date, $6::date, $7::text, $8::uuid, $9::text, $10::text,
                                   $11::timestamptz, $12::timestamptz, $13::timestamptz, $14::float8, $15::float8, $16::float8,
                                   $17::text, $18::tstzrange, $19::int) end as outcome
    from (${accountState('$1', '$20')}) a`;

/** One local day of a court as its booking facts have it: its slots, each slot's price, and the day's bounds. */
interface BookingDay {
  slots: Slot[];
  priceFen: Map<number, number>;
  start: Date;
  end: Date;
}

/** Days worked out from kept facts, kept with them (and dropped with them). */
const bookingDays = new WeakMap<BookingFacts, Map<string, BookingDay>>();

function bookingDay(facts: BookingFacts, date: string, settings: BookingSettings): BookingDay {
  let days = bookingDays.get(facts);
  if (!days) bookingDays.set(facts, (days = new Map()));
  let day = days.get(date);
  if (!day) {
    const { resource, venue } = facts;
    const exceptions = facts.exceptions.filter((e) => e.date === date);
    const slots = slotsFromRules(venue, [resource], exceptions, date, 1).get(resource.id)!;
    day = {
      slots,
      priceFen: new Map(slots.map((slot) => [slot.start.getTime(), slotPriceFen(slot, settings, venue.timeZone, chinaHolidayCalendar)])),
      start: localTimeToInstant(date, '00:00', venue.timeZone),
      end: localTimeToInstant(addDays(date, 1), '00:00', venue.timeZone),
    };
    days.set(date, day);
  }
  return day;
}

/**
 * The local day a start falls in. The facts were read for the start's UTC date, and in every zone
 * the local date is that date or one either side: the day whose bounds hold the start is the one
 * (no time-zone lookup per request).
 */
function bookingDayOf(facts: BookingFacts, start: Date, utcDate: string, settings: BookingSettings): BookingDay {
  for (const date of [utcDate, addDays(utcDate, 1), addDays(utcDate, -1)]) {
    const day = bookingDay(facts, date, settings);
    if (start >= day.start && start < day.end) return day;
  }
  throw new Error(`no local day of ${facts.venue.timeZone} holds ${start.toISOString()}`);
}

/** A request checked against the facts (read for the start's UTC date): what the insert needs, or the refusal. */
function checkBooking(facts: BookingFacts, utcDate: string, start: Date, end: Date, now: Date) {
  const { resource, venue } = facts;
  if (!venue.isPublic) throw new DomainError('NOT_FOUND');
  if (resource.status !== 'active') throw new DomainError('RESOURCE_OUT_OF_SERVICE');
  const settings = effectiveSettings(venue, resource);
  const day = bookingDayOf(facts, start, utcDate, settings);
  const span = checkRequestedSpan(start, end, day.slots, settings, venue.timeZone, now);
  if (!span.ok) {
    throw new DomainError(span.reason, { slotMinutes: settings.slotMinutes, minSlots: settings.minSlots, maxSlots: settings.maxSlots });
  }
  const rules = withDefaultRules(facts.cityRules);
  return {
    rules,
    priceFen: span.slots.reduce((sum, slot) => sum + day.priceFen.get(slot.start.getTime())!, 0),
    dayStart: day.start,
    dayEnd: day.end,
    requested: (end.getTime() - start.getTime()) / 60_000,
    maxMinutes: rules.maxHoursPerDayPerSport * 60,
  };
}

/**
 * Books a resource for whole consecutive slots. The request is checked against the court's booking
 * facts (read once and kept; see knownFacts), then one statement, reserve_checked (migration 0011),
 * takes the resident's lock and the court's, answers an Idempotency-Key already used, refuses facts
 * that changed since they were read (the request is then checked again against the new ones), reads
 * the resident's standing — suspension, upcoming bookings, hours that day — and inserts only when
 * every rule allows. The standing is read after the resident's lock is held, so two of their
 * requests cannot both slip under a quota; the exclusion constraint on `reservations` is what keeps
 * two residents off the same court at the same time: the checks before it only make the refusal
 * friendlier. The caller's account is read by the same statement, which books nothing unless it is
 * there and enabled, so a booking whose facts are known costs one round trip; a refusal reads the
 * account first, so a disabled account hears that rather than what was wrong with its request.
 */
export async function reserve(
  db: Db,
  secrets: ReservationSecrets,
  caller: Caller,
  body: CreateReservationBody,
  idempotencyKey: string,
  now: Date,
): Promise<ReserveResult> {
  const hash = requestHash(body);
  const start = new Date(body.start);
  const end = new Date(body.end);
  // The start's local date is within a day of its UTC date in every zone; the zone picks it later.
  const utcDate = start.toISOString().slice(0, 10);
  const [from, to] = [addDays(utcDate, -1), addDays(utcDate, 1)];
  const factsKey = `${body.resourceId}|${utcDate}`;
  const readFacts = async () => {
    const [row] = await preparedRows<{ place: string | null }>(db, 'booking_facts', 'select booking_facts($1::uuid, $2::date, $3::date) as place', [body.resourceId, from, to]);
    if (row?.place) return rememberFacts(factsKey, row.place);
    knownFacts.delete(factsKey);
    return undefined;
  };
  let facts = knownFacts.get(factsKey);
  // Whether the facts were read for this request: a refusal is only ever given on those.
  let fresh = !facts;
  if (!facts) facts = await readFacts();
  // Facts change between the check and the insert only when staff edit the venue meanwhile, and codes
  // collide almost never; a few tries are plenty.
  for (let attempt = 1; attempt <= 5; attempt++) {
    let checked: ReturnType<typeof checkBooking>;
    try {
      if (!facts) throw new DomainError('NOT_FOUND');
      checked = checkBooking(facts, utcDate, start, end, now);
    } catch (err) {
      if (!fresh) {
        facts = await readFacts();
        fresh = true;
        continue;
      }
      await loadActor(db, caller);
      // A request booked earlier with this key is answered as it was, even when it would now be refused.
      const earlier = await replay(db, secrets, caller.userId, idempotencyKey, hash);
      if (earlier) return { reservation: earlier, created: false };
      throw err;
    }
    const { resource, venue, version } = facts;
    const { rules, priceFen, dayStart, dayEnd, requested, maxMinutes } = checked;
    let outcome: BookingOutcome;
    try {
      const [row] = await retryOnConflict(() =>
        preparedRows<{ disabled: boolean; signedIn: boolean; outcome: BookingOutcome }>(db, 'reserve_checked', RESERVE_CHECKED, [
          caller.userId,
          idempotencyKey,
          hash,
          resource.id,
          from,
          to,
          version,
          venue.id,
          venue.cityCode,
          resource.sport,
          now.toISOString(),
          dayStart.toISOString(),
          dayEnd.toISOString(),
          rules.maxUpcoming,
          requested,
          maxMinutes,
          newReservationCode(),
          rangeText(start, end),
          priceFen,
          caller.sessionId,
        ]),
      );
      requireEnabled(row);
      outcome = row!.outcome;
    } catch (err) {
      // The statement books only for an enabled account, so a taken slot needs no account check.
      if (sqlState(err) === EXCLUSION_VIOLATION) throw new DomainError('SLOT_TAKEN');
      if (sqlState(err) === UNIQUE_VIOLATION) {
        // The same key raced itself past the lock, or a new reservation code met an old one:
        // answer as the other request did, or try again with a new code.
        const again = await replay(db, secrets, caller.userId, idempotencyKey, hash);
        if (again) return { reservation: again, created: false };
        continue;
      }
      throw err;
    }
    if ('earlier' in outcome) return { reservation: await replayed(db, secrets, outcome.earlier, hash), created: false };
    if ('stale' in outcome) {
      facts = outcome.place ? rememberFacts(factsKey, outcome.place) : undefined;
      if (!facts) knownFacts.delete(factsKey);
      fresh = true;
      continue;
    }
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
    const created = outcome.created;
    // The insert's condition and the checks above are the same rules; should they ever disagree,
    // nothing was booked and the request fails loudly rather than answering a booking that is not there.
    if (!created) throw new Error('reserve_checked inserted nothing although every rule allowed the booking');
    const row: ReservationRow = {
      ...created,
      start: new Date(created.start),
      end: new Date(created.end),
      createdAt: new Date(created.createdAt),
      priceFen,
      sport: resource.sport,
      userId: caller.userId,
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
  }
  throw new Error('the booking facts kept changing, or its codes kept colliding, while the booking was made');
}

const localFormatters = new Map<string, Intl.DateTimeFormat>();

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
