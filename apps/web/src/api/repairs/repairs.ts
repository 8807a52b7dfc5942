import type {
  Page,
  PublicAsset,
  ReportTicketBody,
  TicketDetail,
  TicketFollowing,
  TicketSuggestion,
  TicketSuggestionsQuery,
  TicketSummary,
} from '@sports/contracts';
import { request } from '@/api/shared/http.ts';
import { ticketPath } from './tickets.ts';

/**
 * The resident's side of 一键报修: what a label's QR code opens, the report itself, its photos, +1 and
 * follow, the rating, and 我的报修. (Reading a ticket, its photos and the workflow moves are in tickets.ts.)
 */

/** Public: what the report page shows for a label's code; with a session, whether I said 我也遇到 on its open ticket. */
export function fetchPublicAsset(code: string): Promise<PublicAsset> {
  return request('GET', `/assets/by-code/${encodeURIComponent(code)}`);
}

/** Public: open tickets on the same asset, or within 50 m in the same category — shown before sending. */
export function listReportSuggestions(query: TicketSuggestionsQuery): Promise<TicketSuggestion[]> {
  return request('GET', '/tickets/suggestions', { query: { ...query }, auth: false });
}

/** Signed in or not: without an account the body carries a phone number and the answer an `uploadToken`. */
export function reportTicket(body: ReportTicketBody, signedIn: boolean): Promise<TicketDetail> {
  return request('POST', '/tickets', { body, auth: signedIn });
}

/** 我也遇到: +1 on an open ticket, which also follows it. Idempotent. */
export function sayMeToo(id: string): Promise<TicketFollowing> {
  return request('POST', `${ticketPath(id)}/me-too`);
}

/** 关注: hear of the ticket's progress. Idempotent. */
export function followTicket(id: string): Promise<TicketFollowing> {
  return request('POST', `${ticketPath(id)}/follow`);
}

/** The reporter rates the repair once, after it is resolved. */
export function rateTicket(id: string, stars: number): Promise<TicketDetail> {
  return request('POST', `${ticketPath(id)}/rating`, { body: { stars } });
}

/** 我的报修: tickets I reported or follow, newest first. */
export function listMyTickets(params: { page: number; pageSize: number }): Promise<Page<TicketSummary>> {
  return request('GET', '/me/tickets', { query: params });
}
