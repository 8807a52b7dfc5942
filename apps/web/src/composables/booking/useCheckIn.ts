import { ref, shallowRef } from 'vue';
import type { Reservation } from '@sports/contracts';
import { ApiError } from '@/api/shared/http.ts';
import { checkIn } from '@/api/booking/bookings.ts';

/** The gate: checks in the scanned QR text or a typed short code and keeps the last answer. */
export function useCheckIn() {
  const result = shallowRef<Reservation | null>(null);
  const refusal = ref('');
  const refusalCode = ref('');
  const busy = ref(false);

  async function submit(code: string): Promise<void> {
    const text = code.trim();
    if (!text || busy.value) return;
    busy.value = true;
    result.value = null;
    refusal.value = '';
    refusalCode.value = '';
    try {
      result.value = await checkIn(text);
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      refusal.value = err.detail;
      refusalCode.value = err.code;
    } finally {
      busy.value = false;
    }
  }

  return { result, refusal, refusalCode, busy, submit };
}
