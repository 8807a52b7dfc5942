import type {
  Availability,
  BookingStanding,
  CreateReservationBody,
  CreateSeriesBody,
  DayBooking,
  DayGrid,
  Notification,
  Page,
  Reservation,
  SeriesResult,
} from '@sports/contracts';
import { request, requestBlob } from '@/api/shared/http.ts';

/** Public: every court's slots for `days` dates from `date` (the venue's local dates). */
export function fetchAvailability(venueId: string, date: string, days = 1): Promise<Availability> {
  return request('GET', `/venues/${venueId}/availability`, { query: { date, days }, auth: false });
}

/** Books whole consecutive slots; the same `idempotencyKey` on a retry never books twice. */
export function createReservation(body: CreateReservationBody, idempotencyKey: string): Promise<Reservation> {
  return request('POST', '/reservations', { body, headers: { 'Idempotency-Key': idempotencyKey } });
}

export function listMyReservations(params: { when: 'upcoming' | 'past'; page?: number; pageSize?: number }): Promise<Page<Reservation>> {
  return request('GET', '/reservations', { query: params });
}

export function fetchReservation(id: string): Promise<Reservation> {
  return request('GET', `/reservations/${id}`);
}

/** The booking as an iCalendar file. */
export function fetchReservationIcs(id: string): Promise<Blob> {
  return requestBlob(`/reservations/${id}.ics`);
}

/** A resident cancels their own (no reason); venue staff give one. */
export function cancelReservation(id: string, reason?: string): Promise<Reservation> {
  return request('POST', `/reservations/${id}/cancel`, { body: reason === undefined ? {} : { reason } });
}

export function fetchBookingStanding(city: string): Promise<BookingStanding> {
  return request('GET', '/me/booking-standing', { query: { city } });
}

export function listNotifications(): Promise<Notification[]> {
  return request('GET', '/me/notifications');
}

export function markNotificationRead(id: string): Promise<void> {
  return request('POST', `/me/notifications/${id}/read`);
}

/** Staff: the scanned QR text or the typed short code. */
export function checkIn(code: string): Promise<Reservation> {
  return request('POST', '/check-ins', { body: { code } });
}

export function fetchDayGrid(venueId: string, date: string): Promise<DayGrid> {
  return request('GET', `/venues/${venueId}/bookings`, { query: { date } });
}

export function createBlocks(
  venueId: string,
  body: { resourceIds: string[]; start: string; end: string; reason: string },
): Promise<{ blocks: DayBooking[]; cancelled: DayBooking[] }> {
  return request('POST', `/venues/${venueId}/blocks`, { body });
}

export function createSeries(venueId: string, body: CreateSeriesBody): Promise<SeriesResult> {
  return request('POST', `/venues/${venueId}/series`, { body });
}
