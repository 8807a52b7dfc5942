/**
 * Repair tickets (一键报修): the workflow as one table — which move leads from which state to which,
 * who may make it, and what it requires. The API applies moves only through `checkMove`, so no
 * illegal transition can be reached through it.
 */

import { ASSET_CODE_ALPHABET } from './assets.ts';
import { newCode } from '../shared/codes.ts';

export const TICKET_STATES = [
  'submitted',
  'accepted',
  'dispatched',
  'in_progress',
  'on_hold',
  'resolved',
  'closed',
  'rejected',
  'duplicate',
  'transferred',
  'reopened',
] as const;
export type TicketState = (typeof TICKET_STATES)[number];

/** Who is moving the ticket, as far as the workflow cares. */
export const TICKET_ACTORS = ['dispatcher', 'technician', 'reporter', 'bureau', 'system'] as const;
export type TicketActor = (typeof TICKET_ACTORS)[number];

export const TICKET_MOVES = [
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
] as const;
export type TicketMove = (typeof TICKET_MOVES)[number];

/** What a move needs besides permission. */
export type MoveRequirement = 'reason' | 'assignee' | 'after_photo' | 'original' | 'target_organisation';

interface Transition {
  from: readonly TicketState[];
  to: TicketState;
  by: readonly TicketActor[];
  requires: readonly MoveRequirement[];
}

/** The workflow. The bureau may make every staff move (escalation); `system` only auto-closes. */
export const TICKET_WORKFLOW: Record<TicketMove, Transition> = {
  accept: { from: ['submitted', 'transferred', 'reopened'], to: 'accepted', by: ['dispatcher', 'bureau'], requires: [] },
  reject: { from: ['submitted', 'transferred'], to: 'rejected', by: ['dispatcher', 'bureau'], requires: ['reason'] },
  mark_duplicate: { from: ['submitted', 'accepted', 'transferred'], to: 'duplicate', by: ['dispatcher', 'bureau'], requires: ['original'] },
  transfer: { from: ['submitted', 'accepted', 'transferred'], to: 'transferred', by: ['dispatcher', 'bureau'], requires: ['reason', 'target_organisation'] },
  dispatch: { from: ['accepted', 'dispatched', 'reopened'], to: 'dispatched', by: ['dispatcher', 'bureau'], requires: ['assignee'] },
  start: { from: ['dispatched'], to: 'in_progress', by: ['technician', 'dispatcher', 'bureau'], requires: [] },
  hold: { from: ['in_progress'], to: 'on_hold', by: ['technician', 'dispatcher', 'bureau'], requires: ['reason'] },
  resume: { from: ['on_hold'], to: 'in_progress', by: ['technician', 'dispatcher', 'bureau'], requires: [] },
  resolve: { from: ['in_progress'], to: 'resolved', by: ['technician', 'dispatcher', 'bureau'], requires: ['after_photo'] },
  close: { from: ['resolved'], to: 'closed', by: ['reporter', 'dispatcher', 'bureau', 'system'], requires: [] },
  reopen: { from: ['resolved'], to: 'reopened', by: ['reporter', 'dispatcher', 'bureau'], requires: ['reason'] },
};

/** States from which no move leads anywhere. */
export const TERMINAL_TICKET_STATES: readonly TicketState[] = ['closed', 'rejected', 'duplicate'];

/** Open311 knows two statuses: fixed or ended ('closed'), or still being worked on ('open'). */
export function open311Status(state: TicketState): 'open' | 'closed' {
  return state === 'resolved' || TERMINAL_TICKET_STATES.includes(state) ? 'closed' : 'open';
}

export interface MoveContext {
  reason?: string | undefined;
  assigneeId?: string | undefined;
  afterPhotos?: number | undefined;
  originalId?: string | undefined;
  targetOrganisationId?: string | undefined;
}

export type MoveCheck = { ok: true; to: TicketState } | { ok: false; problem: 'illegal' | 'forbidden' | MoveRequirement };

function satisfied(requirement: MoveRequirement, context: MoveContext): boolean {
  switch (requirement) {
    case 'reason':
      return (context.reason?.trim().length ?? 0) >= 2;
    case 'assignee':
      return Boolean(context.assigneeId);
    case 'after_photo':
      return (context.afterPhotos ?? 0) > 0;
    case 'original':
      return Boolean(context.originalId);
    case 'target_organisation':
      return Boolean(context.targetOrganisationId);
  }
}

/** Whether `actor` may make `move` from `state` with what they supplied, and where it leads. */
export function checkMove(state: TicketState, move: TicketMove, actor: TicketActor, context: MoveContext = {}): MoveCheck {
  const transition = TICKET_WORKFLOW[move];
  if (!transition.from.includes(state)) return { ok: false, problem: 'illegal' };
  if (!transition.by.includes(actor)) return { ok: false, problem: 'forbidden' };
  for (const requirement of transition.requires) {
    if (!satisfied(requirement, context)) return { ok: false, problem: requirement };
  }
  return { ok: true, to: transition.to };
}

/** The moves `actor` may make from `state` — what the console shows as buttons. */
export function movesFor(state: TicketState, actor: TicketActor): TicketMove[] {
  return TICKET_MOVES.filter((move) => TICKET_WORKFLOW[move].from.includes(state) && TICKET_WORKFLOW[move].by.includes(actor));
}

export const TICKET_PRIORITIES = ['urgent', 'normal', 'low'] as const;
export type TicketPriority = (typeof TICKET_PRIORITIES)[number];

/** Hours to fix by priority. */
export type TicketSlaHours = Record<TicketPriority, number>;

/** Hours to fix by priority; an organisation may set its own. */
export const DEFAULT_SLA_HOURS: TicketSlaHours = { urgent: 24, normal: 72, low: 168 };

/** Why an organisation's promise is not acceptable: a more urgent priority must never be promised slower. */
export function checkSla(sla: TicketSlaHours): 'urgent_after_normal' | 'normal_after_low' | undefined {
  if (sla.urgent > sla.normal) return 'urgent_after_normal';
  if (sla.normal > sla.low) return 'normal_after_low';
  return undefined;
}

/** When a ticket is due: its submission plus the SLA hours of its priority. */
export function ticketDueAt(submittedAt: Date, priority: TicketPriority, sla: Record<TicketPriority, number> = DEFAULT_SLA_HOURS): Date {
  return new Date(submittedAt.getTime() + sla[priority] * 3_600_000);
}

/** Overdue: past its due time and not yet resolved (or ended otherwise). */
export function isOverdue(state: TicketState, dueAt: Date, now: Date): boolean {
  return now.getTime() > dueAt.getTime() && !['resolved', ...TERMINAL_TICKET_STATES].includes(state);
}

/** A resolved ticket closes itself this long after resolution unless reopened. */
export const AUTO_CLOSE_DAYS = 7;

/** Still being worked on: a new report on the same equipment is a duplicate of one of these. */
export const OPEN_TICKET_STATES: readonly TicketState[] = TICKET_STATES.filter((state) => open311Status(state) === 'open');

/** Reports in the same category closer than this are offered as possible duplicates. */
export const DUPLICATE_RADIUS_METERS = 50;

/** Photos a reporter may attach; staff add 'after' photos when they resolve. */
export const TICKET_PHOTO_KINDS = ['report', 'after'] as const;
export type TicketPhotoKind = (typeof TICKET_PHOTO_KINDS)[number];
export const MAX_REPORT_PHOTOS = 4;

export const TICKET_SOURCES = ['app', 'open311'] as const;
export type TicketSource = (typeof TICKET_SOURCES)[number];

/** Ticket codes share the label alphabet (no look-alikes), so a resident can read one out on the phone. */
export const TICKET_CODE_LENGTH = 8;
export const TICKET_CODE_PATTERN = `^[${ASSET_CODE_ALPHABET}]{${TICKET_CODE_LENGTH}}$`;

/** A new public ticket code; `pick(n)` is a uniform random whole number in [0, n) (`crypto.randomInt`). */
export function newTicketCode(pick: (n: number) => number): string {
  return newCode(pick, TICKET_CODE_LENGTH);
}

/** Fewest characters of a ticket code staff may search the queue by: a prefix this long, or the whole code. */
export const TICKET_CODE_SEARCH_MIN = 3;

/**
 * A ticket code, or its first characters, as staff type it into the queue's search (lower case,
 * spaces around), in stored form; undefined if no code can begin so.
 */
export function normaliseTicketCodeSearch(text: string): string | undefined {
  const code = text.trim().toUpperCase();
  return new RegExp(`^[${ASSET_CODE_ALPHABET}]{${TICKET_CODE_SEARCH_MIN},${TICKET_CODE_LENGTH}}$`).test(code) ? code : undefined;
}

// ——— measures ———

/** The median of the values, or null for none. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((x, y) => x - y);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
