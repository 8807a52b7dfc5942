import type {
  Page,
  PublicAsset,
  ReportTicketBody,
  TicketDetail,
  TicketFollowing,
  TicketPhoto,
  TicketSuggestion,
  TicketSuggestionsQuery,
  TicketSummary,
} from '@sports/contracts';
import { request } from './http.ts';

/**
 * The resident's side of 一键报修: what a label's QR code opens, the report itself, its photos, +1 and
 * follow, the rating, and 我的报修. (Reading a ticket and the workflow moves are in tickets.ts.)
 */

const ticketPath = (id: string) => `/tickets/${encodeURIComponent(id)}`;

/** Public: what the report page shows for a label's code. */
export function fetchPublicAsset(code: string): Promise<PublicAsset> {
  return request('GET', `/assets/by-code/${encodeURIComponent(code)}`, { auth: false });
}

/** Public: open tickets on the same asset, or within 50 m in the same category — shown before sending. */
export function listReportSuggestions(query: TicketSuggestionsQuery): Promise<TicketSuggestion[]> {
  return request('GET', '/tickets/suggestions', { query: { ...query }, auth: false });
}

/** Signed in or not: without an account the body carries a phone number and the answer an `uploadToken`. */
export function reportTicket(body: ReportTicketBody, signedIn: boolean): Promise<TicketDetail> {
  return request('POST', '/tickets', { body, auth: signedIn });
}

/**
 * One report photo (already shrunk in the browser) as multipart field `file`. A reporter without an
 * account proves it is their report with the `uploadToken` of the report's answer, and no session.
 */
export function uploadReportPhoto(id: string, image: Blob, fileName: string, reportToken?: string): Promise<TicketPhoto> {
  const body = new FormData();
  body.append('file', image, fileName);
  return request('POST', `${ticketPath(id)}/photos`, {
    query: { kind: 'report' },
    body,
    ...(reportToken === undefined ? {} : { auth: false, headers: { 'X-Report-Token': reportToken } }),
  });
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
