import { eq } from 'drizzle-orm';
import type { Reservation } from '@sports/contracts';
import { schema, type Queryable } from '@sports/db';
import { ACTIVE_RESERVATION_STATUSES, canActOn, checkInWindow, type StaffRole } from '@sports/domain';
import type { Actor } from '../shared/actor.ts';
import { effectiveSettings, endOf, startOf } from './booking-rules.ts';
import { DomainError } from '../shared/errors.ts';
import { namedCache } from '../shared/caches.ts';
import { findOrganisationPlace } from '../shared/grants.ts';
import { signedQrText } from '../shared/signed-codes.ts';

export const r = schema.reservations;
export const ACTIVE = ACTIVE_RESERVATION_STATUSES;
/** Who may run a venue's bookings: its operator or school, or a bureau admin in scope. */
export const BOOKING_STAFF: readonly StaffRole[] = ['operator', 'school_admin', 'bureau_admin'];

export interface ReservationSecrets {
  /** Signs the entry QR codes. */
  qrKey: string;
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

export function reservationQuery(db: Queryable) {
  return db
    .select(reservationColumns)
    .from(r)
    .innerJoin(schema.venues, eq(schema.venues.id, r.venueId))
    .innerJoin(schema.venueResources, eq(schema.venueResources.id, r.resourceId));
}

export type ReservationRow = Awaited<ReturnType<typeof reservationQuery>>[number];

export function toReservation(row: ReservationRow, secrets: ReservationSecrets): Reservation {
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
    qr: signedQrText('reservation', row.code, secrets.qrKey),
    cancelReason: row.cancelReason,
    createdAt: row.createdAt.toISOString(),
  };
}

export async function loadReservation(db: Queryable, id: string): Promise<ReservationRow> {
  const [row] = await reservationQuery(db).where(eq(r.id, id));
  if (!row) throw new DomainError('NOT_FOUND');
  return row;
}

/** A resident sees their own bookings; staff see the bookings of venues they run. Others: 404. */
export async function visibleReservation(db: Queryable, actor: Actor, id: string): Promise<ReservationRow> {
  const row = await loadReservation(db, id);
  if (row.userId === actor.userId) return row;
  const place = await findOrganisationPlace(db, row.organisationId);
  if (place && canActOn(actor.grants, BOOKING_STAFF, place)) return row;
  throw new DomainError('NOT_FOUND');
}

/** One formatter per venue time zone (a few in practice; bounded however many are stored). */
const localFormatters = namedCache<string, Intl.DateTimeFormat>('local-time-formatters', { max: 100 });

export function formatLocal(at: Date, timeZone: string): string {
  let formatter = localFormatters.get(timeZone);
  if (!formatter) localFormatters.set(timeZone, (formatter = new Intl.DateTimeFormat('zh-CN', { timeZone, dateStyle: 'medium', timeStyle: 'short' })));
  return formatter.format(at);
}
