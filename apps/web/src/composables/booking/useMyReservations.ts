import { ref, shallowRef } from 'vue';
import type { BookingStanding, Reservation } from '@sports/contracts';
import { ApiError } from '@/api/shared/http.ts';
import { cancelReservation, fetchBookingStanding, fetchReservationIcs, listMyReservations } from '@/api/booking/bookings.ts';

/** The city whose booking rules and suspension the resident sees (the platform's first city, Zhengzhou). */
export const STANDING_CITY = '410100';

/** 我的预约: upcoming or past bookings (paged), the resident's standing, cancel and calendar export. */
export function useMyReservations() {
  const when = ref<'upcoming' | 'past'>('upcoming');
  const items = shallowRef<Reservation[]>([]);
  const total = ref(0);
  const page = ref(1);
  const loading = ref(false);
  const error = ref('');
  const standing = shallowRef<BookingStanding | null>(null);
  let latest = 0;

  async function load(more = false): Promise<void> {
    const ticket = ++latest;
    loading.value = true;
    error.value = '';
    page.value = more ? page.value + 1 : 1;
    try {
      const found = await listMyReservations({ when: when.value, page: page.value, pageSize: 20 });
      if (ticket !== latest) return;
      items.value = more ? [...items.value, ...found.items] : found.items;
      total.value = found.total;
    } catch (err) {
      if (ticket !== latest) return;
      if (!(err instanceof ApiError)) throw err;
      if (!more) items.value = [];
      error.value = err.detail;
    } finally {
      if (ticket === latest) loading.value = false;
    }
  }

  async function loadStanding(): Promise<void> {
    try {
      standing.value = await fetchBookingStanding(STANDING_CITY);
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      standing.value = null;
    }
  }

  /** Cancels one of mine; the server's refusal (deadline passed) comes back as the message. */
  async function cancel(id: string): Promise<string | null> {
    try {
      const updated = await cancelReservation(id);
      items.value = items.value.map((item) => (item.id === id ? updated : item));
      return null;
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      return err.detail;
    }
  }

  /** Saves the booking's .ics through the browser. */
  async function downloadIcs(reservation: Reservation): Promise<string | null> {
    try {
      const blob = await fetchReservationIcs(reservation.id);
      const url = URL.createObjectURL(blob);
      const link = document.createElement('a');
      link.href = url;
      link.download = `booking-${reservation.code}.ics`;
      link.click();
      setTimeout(() => URL.revokeObjectURL(url), 1000);
      return null;
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      return err.detail;
    }
  }

  return { when, items, total, loading, error, standing, load, loadStanding, cancel, downloadIcs };
}
