import { ApiError } from '@/api/shared/http.ts';

/**
 * The message to show for a refused or failed API call (the server's `detail`, in the UI language).
 * Anything that is not an ApiError is a bug, not a refusal, and is thrown on.
 */
export function refusalMessage(error: unknown): string {
  if (error instanceof ApiError) return error.detail;
  throw error;
}

/** The server's message for each field at fault in a refused call (`weeklyHours.2`, `name`, …). */
export function refusalFields(error: unknown): Record<string, string> {
  if (error instanceof ApiError) return error.fields;
  throw error;
}
