import type { TicketDetail, TicketMoveBody, TicketSla } from '@sports/contracts';
import { checkSla, TICKET_WORKFLOW, type MoveRequirement, type TicketMove, type TicketPriority, type TicketState } from '@sports/domain';

// ——— moves ———

/** What the dialog of a move may ask for. */
export interface MoveDraft {
  reason: string;
  assigneeId: string;
  originalId: string;
  targetOrganisationId: string;
  priority: TicketPriority | '';
}

export type MoveField = keyof MoveDraft;

export function emptyMoveDraft(): MoveDraft {
  return { reason: '', assigneeId: '', originalId: '', targetOrganisationId: '', priority: '' };
}

/** The dialog field that satisfies each requirement of the workflow table (the after-photo is uploaded, not typed). */
const REQUIREMENT_FIELD: Record<MoveRequirement, MoveField | null> = {
  reason: 'reason',
  assignee: 'assigneeId',
  original: 'originalId',
  target_organisation: 'targetOrganisationId',
  after_photo: null,
};

/** The fields a move must be given, straight from the workflow table. */
export function requiredMoveFields(move: TicketMove): MoveField[] {
  return TICKET_WORKFLOW[move].requires.flatMap((requirement) => REQUIREMENT_FIELD[requirement] ?? []);
}

/** Fields a move may be given besides: the priority when accepting, a few words on what was done when resolving. */
const OPTIONAL_MOVE_FIELDS: Partial<Record<TicketMove, MoveField[]>> = {
  accept: ['priority'],
  resolve: ['reason'],
};

/** Every field the move's dialog shows, required ones first. */
export function moveFields(move: TicketMove): MoveField[] {
  return [...requiredMoveFields(move), ...(OPTIONAL_MOVE_FIELDS[move] ?? [])];
}

/** Whether the move asks for anything, or needs an after-photo first: then it opens a dialog instead of happening at once. */
export function moveNeedsDialog(move: TicketMove): boolean {
  return moveFields(move).length > 0 || TICKET_WORKFLOW[move].requires.includes('after_photo');
}

/** Whether the move needs an after-photo on the ticket before it is made. */
export function moveNeedsAfterPhoto(move: TicketMove): boolean {
  return TICKET_WORKFLOW[move].requires.includes('after_photo');
}

export type MoveProblem = 'reasonRequired' | 'reasonLength' | 'assigneeRequired' | 'originalRequired' | 'targetRequired';

/** The API's rules, checked before sending: per field, what is wrong (i18n keys under `tickets.move.errors`). */
export function moveProblems(move: TicketMove, draft: MoveDraft): Partial<Record<MoveField, MoveProblem>> {
  const required = requiredMoveFields(move);
  const found: Partial<Record<MoveField, MoveProblem>> = {};
  const reason = draft.reason.trim();
  if (required.includes('reason') && reason.length < 2) found.reason = 'reasonRequired';
  else if (reason.length > 500) found.reason = 'reasonLength';
  if (required.includes('assigneeId') && !draft.assigneeId) found.assigneeId = 'assigneeRequired';
  if (required.includes('originalId') && !draft.originalId) found.originalId = 'originalRequired';
  if (required.includes('targetOrganisationId') && !draft.targetOrganisationId) found.targetOrganisationId = 'targetRequired';
  return found;
}

/** The request body of a move: only what that move takes, trimmed. */
export function moveBody(move: TicketMove, draft: MoveDraft): TicketMoveBody {
  const fields = moveFields(move);
  const body: TicketMoveBody = { move };
  const reason = draft.reason.trim();
  if (fields.includes('reason') && reason) body.reason = reason;
  if (fields.includes('assigneeId') && draft.assigneeId) body.assigneeId = draft.assigneeId;
  if (fields.includes('originalId') && draft.originalId) body.originalId = draft.originalId;
  if (fields.includes('targetOrganisationId') && draft.targetOrganisationId) body.targetOrganisationId = draft.targetOrganisationId;
  if (fields.includes('priority') && draft.priority) body.priority = draft.priority;
  return body;
}

export function afterPhotoCount(ticket: Pick<TicketDetail, 'photos'>): number {
  return ticket.photos.filter((photo) => photo.kind === 'after').length;
}

/** Staff may add an after-photo while the ticket is still being worked on (the API refuses it once resolved). */
export function canAddAfterPhoto(ticket: Pick<TicketDetail, 'state' | 'roles'>): boolean {
  const staff = ticket.roles.some((role) => role === 'dispatcher' || role === 'technician' || role === 'bureau');
  return staff && ['accepted', 'dispatched', 'in_progress', 'on_hold', 'reopened'].includes(ticket.state);
}

// ——— due times ———

export interface DueIn {
  overdue: boolean;
  days: number;
  hours: number;
  minutes: number;
}

/** How long until a ticket is due, or how long past it, in whole days, hours and minutes. */
export function dueIn(dueAt: string, now: Date): DueIn {
  const ms = new Date(dueAt).getTime() - now.getTime();
  const minutesTotal = Math.floor(Math.abs(ms) / 60_000);
  return {
    overdue: ms < 0,
    days: Math.floor(minutesTotal / 1440),
    hours: Math.floor((minutesTotal % 1440) / 60),
    minutes: minutesTotal % 60,
  };
}

/** The largest unit worth saying: days (with hours), hours (with minutes), or minutes. */
export function durationUnit(due: DueIn): 'days' | 'hours' | 'minutes' {
  return due.days > 0 ? 'days' : due.hours > 0 ? 'hours' : 'minutes';
}

type Translate = (key: string, values: Record<string, unknown>) => string;

/** 「剩 5 小时 20 分」 or 「已超时 2 天 3 小时」 (keys under `tickets`). */
export function dueText(due: DueIn, t: Translate): string {
  const time = t(`tickets.durations.${durationUnit(due)}`, { ...due });
  return t(due.overdue ? 'tickets.overdueBy' : 'tickets.dueIn', { time });
}

// ——— the organisation's promise ———

export type SlaDraft = Record<TicketPriority, string>;
export type SlaProblem = 'hoursRange' | 'urgentAfterNormal' | 'normalAfterLow';

export function slaDraftOf(sla: TicketSla): SlaDraft {
  return { urgent: String(sla.urgent), normal: String(sla.normal), low: String(sla.low) };
}

/** Whole hours from 1 to 720 each, and a more urgent priority never promised slower (i18n keys under `tickets.sla.errors`). */
export function slaProblems(draft: SlaDraft): Partial<Record<TicketPriority, SlaProblem>> {
  const found: Partial<Record<TicketPriority, SlaProblem>> = {};
  for (const priority of ['urgent', 'normal', 'low'] as const) {
    const text = draft[priority].trim();
    const hours = Number(text);
    if (!/^\d{1,3}$/.test(text) || hours < 1 || hours > 720) found[priority] = 'hoursRange';
  }
  if (Object.keys(found).length > 0) return found;
  const order = checkSla(slaBody(draft));
  if (order === 'urgent_after_normal') found.urgent = 'urgentAfterNormal';
  if (order === 'normal_after_low') found.normal = 'normalAfterLow';
  return found;
}

export function slaBody(draft: SlaDraft): TicketSla {
  return { urgent: Number(draft.urgent.trim()), normal: Number(draft.normal.trim()), low: Number(draft.low.trim()) };
}

// ——— how tickets are shown ———

export type Tone = 'primary' | 'success' | 'info' | 'warning' | 'danger';

/** The tag colour of a state: waiting for someone red or amber, being worked on blue, fixed green, ended grey. */
export function stateTone(state: TicketState): Tone {
  switch (state) {
    case 'submitted':
    case 'reopened':
      return 'danger';
    case 'on_hold':
    case 'transferred':
      return 'warning';
    case 'accepted':
    case 'dispatched':
    case 'in_progress':
      return 'primary';
    case 'resolved':
      return 'success';
    default:
      return 'info';
  }
}

export function priorityTone(priority: TicketPriority): Tone {
  return priority === 'urgent' ? 'danger' : priority === 'low' ? 'info' : 'primary';
}
