import type { FaultChoice, PublicAsset, ReportTicketBody, TicketDetail, TicketEvent, TicketSuggestionsQuery } from '@sports/contracts';
import { ASSET_CATALOGUE, ASSET_TYPES, MAX_REPORT_PHOTOS, OPEN_TICKET_STATES, type AssetType, type LatLng, type TicketMove, type TicketState } from '@sports/domain';
import { phoneProblem } from '@/lib/accounts/account-rules.ts';

/** Tickets carry no time zone; both cities of the platform keep China Standard Time. */
export const REPAIR_TIME_ZONE = 'Asia/Shanghai';
/** The API's limit on the description (ReportTicketBody) and on a reason to reopen (TicketMoveBody). */
export const MAX_REPORT_TEXT = 500;

// ——— where the report is about ———

/** A scanned label, a venue (and perhaps one of its courts), or a point on the map: exactly one. */
export type ReportPlace =
  | { kind: 'asset'; assetCode: string }
  /** `at` is the venue's point, where its reports are looked for as duplicates. */
  | { kind: 'venue'; venueId: string; resourceId: string | null; at: LatLng }
  | { kind: 'point'; at: LatLng };

// ——— the form ———

export interface ReportDraft {
  category: AssetType | '';
  fault: string;
  description: string;
  /** Only asked for without an account. */
  phone: string;
}

export type ReportField = keyof ReportDraft;

export function emptyReportDraft(category: AssetType | '' = ''): ReportDraft {
  return { category, fault: '', description: '', phone: '' };
}

/** Every kind of equipment with its names, in the catalogue's order (`other` last). */
export function categoryChoices(): { type: AssetType; zh: string; en: string }[] {
  return ASSET_TYPES.map((type) => ({ type, zh: ASSET_CATALOGUE[type].zh, en: ASSET_CATALOGUE[type].en }));
}

/** The one-tap faults of a kind of equipment, in order; none until a kind is chosen. */
export function faultChoicesOf(category: AssetType | ''): readonly FaultChoice[] {
  return category === '' ? [] : ASSET_CATALOGUE[category].faults;
}

/**
 * The API's rules, checked before sending: per field, the i18n key of what is wrong. `faults` are the
 * choices on screen (a scanned asset's come from the server).
 */
export function reportProblems(draft: ReportDraft, faults: readonly FaultChoice[], signedIn: boolean): Partial<Record<ReportField, string>> {
  const found: Partial<Record<ReportField, string>> = {};
  if (draft.category === '') found.category = 'report.errors.categoryRequired';
  if (!faults.some((choice) => choice.key === draft.fault)) found.fault = 'report.errors.faultRequired';
  if ([...draft.description.trim()].length > MAX_REPORT_TEXT) found.description = 'report.errors.descriptionLength';
  if (!signedIn) {
    const phone = phoneProblem(draft.phone);
    if (phone) found.phone = phone === 'validation.phoneRequired' ? 'report.errors.phoneRequired' : phone;
  }
  return found;
}

/** The request body: the place, the fault, the description when there is one, the phone only without an account. */
export function reportBody(place: ReportPlace, draft: ReportDraft, signedIn: boolean): ReportTicketBody {
  if (draft.category === '') throw new Error('a report needs a category');
  const where =
    place.kind === 'asset'
      ? { assetCode: place.assetCode }
      : place.kind === 'venue'
        ? { venueId: place.venueId, ...(place.resourceId ? { resourceId: place.resourceId } : {}) }
        : { lat: place.at.lat, lng: place.at.lng };
  const description = draft.description.trim();
  return {
    ...where,
    category: draft.category,
    fault: draft.fault,
    ...(description ? { description } : {}),
    ...(signedIn ? {} : { phone: draft.phone.trim() }),
  };
}

/** What to ask for possible duplicates: the same asset, or the same kind of equipment near the point; null until that is known. */
export function suggestionsQuery(place: ReportPlace | null, category: AssetType | ''): TicketSuggestionsQuery | null {
  if (!place) return null;
  if (place.kind === 'asset') return { assetCode: place.assetCode };
  if (category === '') return null;
  return { lat: place.at.lat, lng: place.at.lng, category };
}

/** How many of `offered` photos still fit beside the `current` ones. */
export function photosThatFit(current: number, offered: number): number {
  return Math.max(0, Math.min(offered, MAX_REPORT_PHOTOS - current));
}

// ——— the ticket ———

export type OpenTicket = NonNullable<PublicAsset['openTicket']>;

export function isOpenTicketState(state: string): boolean {
  return OPEN_TICKET_STATES.includes(state as TicketState);
}

/** Timeline entries with a label of their own; anything newer is shown as a plain progress entry. */
const EVENT_KINDS = [
  'report',
  'accept',
  'reject',
  'mark_duplicate',
  'transfer',
  'dispatch',
  'start',
  'hold',
  'resume',
  'resolve',
  'close',
  'reopen',
  'note',
  'merged',
  'rating',
  'escalate',
] as const;

/** The i18n key under `report.events` for a timeline entry's kind. */
export function eventKey(kind: string): string {
  return (EVENT_KINDS as readonly string[]).includes(kind) ? kind : 'other';
}

/** What a resident is shown of the timeline: never a staff-only note, even to staff who open this page. */
export function residentTimeline(events: readonly TicketEvent[]): TicketEvent[] {
  return events.filter((event) => !event.internal);
}

/** The reporter rates the repair once it is resolved (or closed after that), and only once. */
export function canRate(ticket: Pick<TicketDetail, 'mine' | 'rating' | 'state'>): boolean {
  return ticket.mine && ticket.rating === null && (ticket.state === 'resolved' || ticket.state === 'closed');
}

/** The reporter's own moves the server allows now (confirm the fix, or reopen it); staff moves belong to the console. */
export function reporterMoves(ticket: Pick<TicketDetail, 'roles' | 'moves'>): TicketMove[] {
  if (!ticket.roles.includes('reporter')) return [];
  return ticket.moves.filter((move) => move === 'close' || move === 'reopen');
}

/** A reason to reopen: 2–500 characters, as the workflow asks; the i18n key of the problem, or null. */
export function reopenReasonProblem(reason: string): string | null {
  const length = [...reason.trim()].length;
  if (length < 2) return 'report.ticket.reasonRequired';
  return length > MAX_REPORT_TEXT ? 'report.ticket.reasonLength' : null;
}

/** A name the API gives in both languages (fault choices, kinds of equipment), in the UI's language. */
export function localName(names: { zh: string; en: string }, locale: string): string {
  return locale === 'en' ? names.en : names.zh;
}

/** The colour of a state's tag: being worked on, fixed, or ended otherwise (rejected, merged). */
export function stateTone(state: string): 'primary' | 'success' | 'default' {
  if (isOpenTicketState(state)) return 'primary';
  return state === 'resolved' || state === 'closed' ? 'success' : 'default';
}
