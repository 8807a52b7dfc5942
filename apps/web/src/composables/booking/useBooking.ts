import { computed, ref, shallowRef, type Ref } from 'vue';
import type { Availability, Reservation } from '@sports/contracts';
import { addDays, localDate } from '@sports/domain';
import { ApiError } from '@/api/shared/http.ts';
import { createReservation, fetchAvailability } from '@/api/booking/bookings.ts';
import { idempotencyKeeper, toggleSlot, type SelectionRefusal, type SlotSelection } from '@/lib/booking/booking-rules.ts';

type Resource = Availability['resources'][number];

/**
 * The booking page's logic: one date's slots per court, the chosen run of slots, and the booking
 * itself, sent with an Idempotency-Key that is kept for retries of the same confirmation.
 */
export function useBooking(venueId: Ref<string>, now: () => Date = () => new Date()) {
  const availability = shallowRef<Availability | null>(null);
  const date = ref('');
  const loading = ref(false);
  const error = ref('');
  const selection = ref<SlotSelection | null>(null);
  const submitting = ref(false);
  const refusal = ref('');
  const booked = shallowRef<Reservation | null>(null);
  const keeper = idempotencyKeeper();
  let latest = 0;

  const timeZone = computed(() => availability.value?.timeZone ?? 'Asia/Shanghai');
  const resources = computed<Resource[]>(() => (availability.value?.resources ?? []).filter((r) => r.status !== 'retired'));
  /** Today (on the venue's clock) and the dates the longest booking window reaches. */
  const dates = computed(() => {
    const today = localDate(now(), timeZone.value);
    const window = Math.max(0, ...resources.value.map((r) => r.settings.windowDays));
    return Array.from({ length: Math.min(window, 13) + 1 }, (_, i) => addDays(today, i));
  });
  const selectedResource = computed(() => resources.value.find((r) => r.id === selection.value?.resourceId) ?? null);
  const selectedSlots = computed(() => {
    const found = selectedResource.value;
    const chosen = selection.value;
    return found && chosen ? found.slots.slice(chosen.from, chosen.to + 1) : [];
  });
  const totalFen = computed(() => selectedSlots.value.reduce((sum, slot) => sum + slot.priceFen, 0));

  async function load(onDate?: string): Promise<void> {
    const ticket = ++latest;
    date.value = onDate ?? (date.value || localDate(now(), timeZone.value));
    loading.value = true;
    error.value = '';
    try {
      const found = await fetchAvailability(venueId.value, date.value);
      if (ticket !== latest) return;
      availability.value = found;
      selection.value = null;
    } catch (err) {
      if (ticket !== latest) return;
      if (!(err instanceof ApiError)) throw err;
      error.value = err.detail;
    } finally {
      if (ticket === latest) loading.value = false;
    }
  }

  function choose(resourceId: string, index: number): SelectionRefusal | undefined {
    const resource = resources.value.find((r) => r.id === resourceId);
    if (!resource) return undefined;
    const next = toggleSlot(selection.value, resourceId, resource.slots, index, resource.settings.maxSlots);
    selection.value = next.selection;
    return next.refused;
  }

  /** Books the chosen slots. A lost answer keeps the key, so pressing again cannot book twice. */
  async function submit(): Promise<Reservation | null> {
    const slots = selectedSlots.value;
    const resource = selectedResource.value;
    if (!resource || slots.length === 0) return null;
    const body = { resourceId: resource.id, start: slots[0]!.start, end: slots[slots.length - 1]!.end };
    submitting.value = true;
    refusal.value = '';
    try {
      const reservation = await createReservation(body, keeper.keyFor(body));
      keeper.settle();
      booked.value = reservation;
      return reservation;
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      refusal.value = err.detail;
      // A definite answer ends this attempt; a network failure or server error may be retried as is.
      if (err.status >= 400 && err.status < 500) keeper.settle();
      if (err.code === 'SLOT_TAKEN') await load(date.value);
      return null;
    } finally {
      submitting.value = false;
    }
  }

  return {
    availability,
    date,
    dates,
    timeZone,
    resources,
    loading,
    error,
    selection,
    selectedResource,
    selectedSlots,
    totalFen,
    submitting,
    refusal,
    booked,
    load,
    choose,
    submit,
  };
}
