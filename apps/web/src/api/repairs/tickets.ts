import type {
  Page,
  TicketDetail,
  TicketListQuery,
  TicketMoveBody,
  TicketNoteBody,
  TicketPhoto,
  TicketSla,
  TicketSuggestion,
  TicketSummary,
  TicketTechnician,
  TicketTransferTarget,
} from '@sports/contracts';
import type { TicketPhotoKind } from '@sports/domain';
import { request } from '@/api/shared/http.ts';

export const ticketPath = (id: string) => `/tickets/${encodeURIComponent(id)}`;

export type TicketListParams = Partial<Omit<TicketListQuery, 'page' | 'pageSize'>> & { page: number; pageSize: number };

/** Staff's queue: tickets of the organisations they reach, overdue first, then by due time. */
export function listTickets(params: TicketListParams): Promise<Page<TicketSummary>> {
  return request('GET', '/tickets', { query: { ...params } });
}

/** One ticket with its timeline (internal notes for staff) and the moves the caller may make. */
export function fetchTicket(id: string): Promise<TicketDetail> {
  return request('GET', ticketPath(id));
}

/** A workflow move; the answer is the ticket as it now stands. */
export function moveTicket(id: string, body: TicketMoveBody): Promise<TicketDetail> {
  return request('POST', `${ticketPath(id)}/moves`, { body });
}

export function addTicketNote(id: string, body: TicketNoteBody): Promise<TicketDetail> {
  return request('POST', `${ticketPath(id)}/notes`, { body });
}

/** A photo (already shrunk in the browser) as multipart field `file`. */
export function uploadTicketPhoto(id: string, kind: TicketPhotoKind, image: Blob, fileName: string, reportToken?: string): Promise<TicketPhoto> {
  const body = new FormData();
  body.append('file', image, fileName);
  // Without an account, the report's upload token stands in for the session.
  const anonymous = reportToken === undefined ? {} : { auth: false, headers: { 'X-Report-Token': reportToken } };
  return request('POST', `${ticketPath(id)}/photos`, { query: { kind }, body, ...anonymous });
}

/** The owner's technicians, for the dispatch picker. */
export function listTicketTechnicians(id: string): Promise<TicketTechnician[]> {
  return request('GET', `${ticketPath(id)}/technicians`);
}

/** The organisations the ticket may be transferred to. */
export function listTransferTargets(id: string): Promise<TicketTransferTarget[]> {
  return request('GET', `${ticketPath(id)}/transfer-targets`);
}

/** Open tickets within 50 m in the same category: candidates for the original of a duplicate. */
export function listTicketSuggestions(params: { lat: number; lng: number; category: string }): Promise<TicketSuggestion[]> {
  return request('GET', '/tickets/suggestions', { query: { ...params } });
}

export function fetchTicketSla(organisationId: string): Promise<TicketSla> {
  return request('GET', `/organisations/${encodeURIComponent(organisationId)}/ticket-sla`);
}

export function saveTicketSla(organisationId: string, body: TicketSla): Promise<TicketSla> {
  return request('PUT', `/organisations/${encodeURIComponent(organisationId)}/ticket-sla`, { body });
}
