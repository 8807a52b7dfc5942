import { computed, ref, shallowRef } from 'vue';
import type { CreateSeriesBody, DayBooking, DayGrid, SeriesResult, VenueSummary } from '@sports/contracts';
import { localDate, localTimeToInstant } from '@sports/domain';
import { ApiError } from '@/api/shared/http.ts';
import { cancelReservation, createBlocks, createSeries, fetchDayGrid } from '@/api/booking/bookings.ts';
import { listVenues } from '@/api/venues/venues.ts';

const TIME_ZONE = 'Asia/Shanghai';

/** The console's 预约管理: a managed venue's day (bookings per court), cancelling, blocks and series. */
export function useVenueBookings() {
  const venues = shallowRef<VenueSummary[]>([]);
  const venueId = ref('');
  const date = ref(localDate(new Date(), TIME_ZONE));
  const grid = shallowRef<DayGrid | null>(null);
  const loading = ref(false);
  const error = ref('');
  let latest = 0;

  const venue = computed(() => venues.value.find((v) => v.id === venueId.value) ?? null);
  const timeZone = computed(() => (venue.value as { timeZone?: string } | null)?.timeZone ?? TIME_ZONE);

  async function loadVenues(): Promise<void> {
    try {
      venues.value = (await listVenues({ managed: true, page: 1, pageSize: 100 })).items;
      if (!venueId.value && venues.value[0]) venueId.value = venues.value[0].id;
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      error.value = err.detail;
    }
  }

  async function load(): Promise<void> {
    if (!venueId.value) return;
    const ticket = ++latest;
    loading.value = true;
    error.value = '';
    try {
      const found = await fetchDayGrid(venueId.value, date.value);
      if (ticket === latest) grid.value = found;
    } catch (err) {
      if (ticket !== latest) return;
      if (!(err instanceof ApiError)) throw err;
      grid.value = null;
      error.value = err.detail;
    } finally {
      if (ticket === latest) loading.value = false;
    }
  }

  /** Runs a change; on success reloads the day. Returns the server's refusal, or null. */
  async function attempt<T>(action: () => Promise<T>): Promise<{ value: T | null; refusal: string | null }> {
    try {
      const value = await action();
      await load();
      return { value, refusal: null };
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      return { value: null, refusal: err.detail };
    }
  }

  function cancel(id: string, reason: string) {
    return attempt(() => cancelReservation(id, reason));
  }

  /** Blocks courts for a span of one day, then reloads it. A refusal is thrown as the ApiError, fields named. */
  async function block(input: {
    resourceIds: string[];
    date: string;
    startTime: string;
    endTime: string;
    reason: string;
  }): Promise<{ blocks: DayBooking[]; cancelled: DayBooking[] }> {
    const start = localTimeToInstant(input.date, input.startTime, timeZone.value).toISOString();
    const end = localTimeToInstant(input.date, input.endTime, timeZone.value).toISOString();
    const result = await createBlocks(venueId.value, { resourceIds: input.resourceIds, start, end, reason: input.reason });
    await load();
    return result;
  }

  /** Lists (dryRun) or creates a weekly series; creating reloads the day. A refusal is thrown as the ApiError. */
  async function series(body: CreateSeriesBody): Promise<SeriesResult> {
    const result = await createSeries(venueId.value, body);
    if (!body.dryRun) await load();
    return result;
  }

  return { venues, venueId, venue, date, grid, loading, error, timeZone, loadVenues, load, cancel, block, series };
}
