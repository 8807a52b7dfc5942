import dayjs from 'dayjs';

/** `2026-11-23T04:43:38.395Z` → `2026-11-23 12:43` in the browser's time zone. */
export function formatDateTime(iso: string): string {
  return dayjs(iso).format('YYYY-MM-DD HH:mm');
}
