import { ref, shallowRef, watch } from 'vue';
import type { TicketDetail, TicketSuggestion } from '@sports/contracts';
import type { AssetType } from '@sports/domain';
import { ApiError } from '@/api/shared/http.ts';
import { listReportSuggestions, reportTicket } from '@/api/repairs/repairs.ts';
import { uploadTicketPhoto } from '@/api/repairs/tickets.ts';
import { reportBody, suggestionsQuery, type ReportDraft, type ReportPlace } from '@/lib/repairs/report-rules.ts';

/** What came of sending a report. */
export interface ReportOutcome {
  ticket: TicketDetail;
  photosSent: number;
  /**
   * Photos that did not reach the ticket, and why: the server's message, or null when a report
   * without an account got no upload token to send them with.
   */
  photosFailed: { count: number; detail: string | null } | null;
}

/**
 * Sending one repair report, wherever it comes from (a label, a venue, a point on the map): possible
 * duplicates nearby are looked up as soon as the place and the kind of equipment are known, then the
 * report is sent and its photos uploaded to it — with the report's upload token when there is no
 * account. Refusals are thrown as ApiErrors for the form to show.
 */
export function useRepairReport(options: { place: () => ReportPlace | null; category: () => AssetType | ''; signedIn: () => boolean }) {
  const suggestions = shallowRef<TicketSuggestion[]>([]);
  const outcome = shallowRef<ReportOutcome | null>(null);
  /** The open ticket the server named when it refused the report because the equipment already has one. */
  const alreadyOpen = ref<string | null>(null);
  let latest = 0;

  /** Scanned equipment has its open ticket shown by the page instead; duplicates are looked for by place and kind. */
  async function loadSuggestions(): Promise<void> {
    const ticket = ++latest;
    const place = options.place();
    const query = place?.kind === 'asset' ? null : suggestionsQuery(place, options.category());
    if (!query) {
      suggestions.value = [];
      return;
    }
    try {
      const found = await listReportSuggestions(query);
      if (ticket === latest) suggestions.value = found;
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      // Only advice: a failed look-up must not stand between the resident and the report.
      if (ticket === latest) suggestions.value = [];
    }
  }

  async function uploadPhotos(ticket: TicketDetail, images: readonly Blob[], signedIn: boolean): Promise<Omit<ReportOutcome, 'ticket'>> {
    if (images.length === 0) return { photosSent: 0, photosFailed: null };
    const token = signedIn ? undefined : ticket.uploadToken;
    if (!signedIn && token === undefined) return { photosSent: 0, photosFailed: { count: images.length, detail: null } };
    let sent = 0;
    for (const [index, image] of images.entries()) {
      try {
        await uploadTicketPhoto(ticket.id, 'report', image, `report-${index + 1}.jpg`, token);
        sent += 1;
      } catch (err) {
        if (!(err instanceof ApiError)) throw err;
        return { photosSent: sent, photosFailed: { count: images.length - sent, detail: err.detail } };
      }
    }
    return { photosSent: sent, photosFailed: null };
  }

  async function send(draft: ReportDraft, images: readonly Blob[]): Promise<ReportOutcome> {
    const place = options.place();
    if (!place) throw new Error('a report needs a place');
    const signedIn = options.signedIn();
    alreadyOpen.value = null;
    let ticket: TicketDetail;
    try {
      ticket = await reportTicket(reportBody(place, draft, signedIn), signedIn);
    } catch (err) {
      if (err instanceof ApiError && err.code === 'ASSET_TICKET_OPEN') alreadyOpen.value = err.existingId;
      throw err;
    }
    outcome.value = { ticket, ...(await uploadPhotos(ticket, images, signedIn)) };
    return outcome.value;
  }

  watch(() => [options.place(), options.category()], loadSuggestions, { immediate: true });

  return { suggestions, outcome, alreadyOpen, loadSuggestions, send };
}
