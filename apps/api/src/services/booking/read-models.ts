import { and, asc, count, desc, eq, gt, inArray, sql } from 'drizzle-orm';
import type { Page, Reservation } from '@sports/contracts';
import { preparedRows, type schema, type Db, type Queryable } from '@sports/db';
import { chinaHolidayCalendar, addDays, releaseInstant, slotPriceFen, type BookingSettings, type SlotState } from '@sports/domain';
import type { Actor } from '../shared/actor.ts';
import { effectiveSettings, slotsFromRules, type ExceptionRow, type ResourceRules, type VenueRules } from './booking-rules.ts';
import { DomainError } from '../shared/errors.ts';
import { namedCache } from '../shared/caches.ts';
import { ACTIVE, r, reservationQuery, type ReservationSecrets, toReservation, visibleReservation } from './reservation-rows.ts';

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
export type AvailabilityVenue = VenueRules & Pick<VenueRow, 'isPublic'>;
/** A court as its availability (and a booking) needs it. */
export type AvailabilityResource = ResourceRules & Pick<ResourceRow, 'name' | 'sport' | 'status'>;

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
const templates = namedCache<string, SlotTemplate>('slot-templates', { max: 200 });

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
  if (known?.fingerprint === fingerprint) return known;
  // Kept for rules that have changed since: no use.
  if (known) templates.unusable();
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
