import { and, eq } from 'drizzle-orm';
import type { CreateReservationBody, Reservation } from '@sports/contracts';
import { EXCLUSION_VIOLATION, preparedRows, retryOnConflict, sqlState, UNIQUE_VIOLATION, type Db, type Queryable } from '@sports/db';
import {
  chinaHolidayCalendar,
  checkRequestedSpan,
  addDays,
  localTimeToInstant,
  slotPriceFen,
  standingRefusal,
  type BookingSettings,
  type ResidentRules,
  type Slot,
} from '@sports/domain';
import { accountState, loadActor, requireEnabled, type Caller } from '../shared/actor.ts';
import { effectiveSettings, slotsFromRules, withDefaultRules, type ExceptionRow } from './booking-rules.ts';
import { DomainError } from '../shared/errors.ts';
import { replayEarlier, requestHash, type EarlierWrite } from '../shared/idempotency.ts';
import { standingError, toStanding } from './standing.ts';
import type { AvailabilityResource, AvailabilityVenue } from './read-models.ts';
import { loadReservation, r, type ReservationRow, type ReservationSecrets, toReservation } from './reservation-rows.ts';
import { newShortCode } from '../shared/signed-codes.ts';
import { namedCache } from '../shared/caches.ts';

// ——— reserving ———

const hashOf = (body: CreateReservationBody) => requestHash([body.resourceId, new Date(body.start).toISOString(), new Date(body.end).toISOString()]);

async function replay(db: Queryable, secrets: ReservationSecrets, userId: string, key: string, hash: string) {
  const [existing] = await db
    .select({ id: r.id, requestHash: r.requestHash })
    .from(r)
    .where(and(eq(r.userId, userId), eq(r.idempotencyKey, key)));
  return replayed(db, secrets, existing, hash);
}

/** The earlier booking made with this key, unless the key came with another request. */
function replayed(db: Queryable, secrets: ReservationSecrets, existing: EarlierWrite | undefined, hash: string) {
  return replayEarlier(existing, hash, async (id) => toReservation(await loadReservation(db, id), secrets));
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
 * At most 10 000 courts-days; the least recently used goes first.
 */
const knownFacts = namedCache<string, BookingFacts>('booking-facts', { max: 10_000 });

function rememberFacts(key: string, text: string): BookingFacts {
  const facts = JSON.parse(text) as BookingFacts;
  knownFacts.set(key, facts);
  return facts;
}

/** What reserve_checked answers (see migration 0012). */
type BookingOutcome =
  | { earlier: { id: string; requestHash: string | null } }
  | { stale: true; place: string | null }
  | {
      standing: { suspendedUntil: string | null; upcoming: number; minutes: number };
      created: { id: string; code: string; kind: ReservationRow['kind']; status: ReservationRow['status']; paymentStatus: ReservationRow['paymentStatus']; cancelReason: string | null; createdAt: string; start: string; end: string } | null;
    };

/**
 * What reserve_checked takes: one object, every key required (the `reserve_request` domain of
 * migration 0012 refuses a call that lacks one).
 */
interface ReserveRequest {
  user: string;
  key: string;
  hash: string;
  resource: string;
  factsFrom: string;
  factsTo: string;
  factsVersion: string;
  venue: string;
  city: string;
  sport: string;
  now: string;
  dayStart: string;
  dayEnd: string;
  maxUpcoming: number;
  maxHoursPerDayPerSport: number;
  minutes: number;
  code: string;
  start: string;
  end: string;
  priceFen: number;
}

/**
 * Whether the caller's account is disabled, whether their sign-in is still live (not signed out) and,
 * only when both allow it, reserve_checked: the signed-in check and the booking in one round trip.
 * No row: no such account.
 */
const RESERVE_CHECKED = `
  select a.disabled, a."signedIn",
         case when a.disabled or not a."signedIn" then null else reserve_checked($3::jsonb) end as outcome
    from (${accountState('$1', '$2')}) a`;

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
  };
}

/**
 * Books a resource for whole consecutive slots. The request is checked against the court's booking
 * facts (read once and kept; see knownFacts), then one statement, reserve_checked (migration 0012),
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
  const hash = hashOf(body);
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
    const { rules, priceFen, dayStart, dayEnd, requested } = checked;
    let outcome: BookingOutcome;
    try {
      const [row] = await retryOnConflict(() =>
        preparedRows<{ disabled: boolean; signedIn: boolean; outcome: BookingOutcome }>(db, 'reserve_checked', RESERVE_CHECKED, [
          caller.userId,
          caller.sessionId,
          JSON.stringify({
            user: caller.userId,
            key: idempotencyKey,
            hash,
            resource: resource.id,
            factsFrom: from,
            factsTo: to,
            factsVersion: version,
            venue: venue.id,
            city: venue.cityCode,
            sport: resource.sport,
            now: now.toISOString(),
            dayStart: dayStart.toISOString(),
            dayEnd: dayEnd.toISOString(),
            maxUpcoming: rules.maxUpcoming,
            maxHoursPerDayPerSport: rules.maxHoursPerDayPerSport,
            minutes: requested,
            code: newShortCode(),
            start: start.toISOString(),
            end: end.toISOString(),
            priceFen,
          } satisfies ReserveRequest),
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
    if ('earlier' in outcome) return { reservation: (await replayed(db, secrets, outcome.earlier, hash))!, created: false };
    if ('stale' in outcome) {
      facts = outcome.place ? rememberFacts(factsKey, outcome.place) : undefined;
      if (!facts) knownFacts.delete(factsKey);
      fresh = true;
      continue;
    }
    // The same decision as the insert's condition (standing_refusal), from the same standing.
    const refusal = standingRefusal(toStanding(outcome.standing), rules, { kind: 'court', minutes: requested });
    if (refusal) throw standingError(refusal, venue.timeZone);
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
