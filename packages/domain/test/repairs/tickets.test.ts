import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  TERMINAL_TICKET_STATES,
  TICKET_ACTORS,
  TICKET_MOVES,
  TICKET_STATES,
  DEFAULT_SLA_HOURS,
  checkMove,
  checkSla,
  isOverdue,
  median,
  movesFor,
  normaliseTicketCodeSearch,
  open311Status,
  ticketDueAt,
  type MoveContext,
  type TicketState,
} from '../../src/repairs/tickets.ts';

const full: MoveContext = { reason: '零件缺货', assigneeId: 't1', afterPhotos: 1, originalId: 'o1', targetOrganisationId: 'g1' };
const contexts = fc.record({
  reason: fc.option(fc.constantFrom('', ' ', '缺', '零件缺货'), { nil: undefined }),
  assigneeId: fc.option(fc.constant('t1'), { nil: undefined }),
  afterPhotos: fc.option(fc.integer({ min: 0, max: 4 }), { nil: undefined }),
  originalId: fc.option(fc.constant('o1'), { nil: undefined }),
  targetOrganisationId: fc.option(fc.constant('g1'), { nil: undefined }),
});
const steps = fc.array(fc.tuple(fc.constantFrom(...TICKET_MOVES), fc.constantFrom(...TICKET_ACTORS), contexts), { maxLength: 30 });

/** Every edge of the workflow drawn by hand; the table must not allow anything else. */
const LEGAL = new Set([
  'submitted>accepted', 'submitted>rejected', 'submitted>duplicate', 'submitted>transferred',
  'transferred>accepted', 'transferred>rejected', 'transferred>duplicate', 'transferred>transferred',
  'accepted>duplicate', 'accepted>transferred', 'accepted>dispatched',
  'dispatched>dispatched', 'dispatched>in_progress',
  'in_progress>on_hold', 'on_hold>in_progress', 'in_progress>resolved',
  'resolved>closed', 'resolved>reopened', 'reopened>accepted', 'reopened>dispatched',
]);

describe('the repair workflow', () => {
  it('no sequence of moves by anyone reaches a transition that is not drawn (property)', () => {
    fc.assert(
      fc.property(steps, (sequence) => {
        let state: TicketState = 'submitted';
        for (const [move, actor, context] of sequence) {
          const result = checkMove(state, move, actor, context);
          if (!result.ok) continue;
          if (!LEGAL.has(`${state}>${result.to}`)) return false;
          state = result.to;
        }
        return TICKET_STATES.includes(state);
      }),
      { numRuns: 2000 },
    );
  });

  it('ended tickets move no more; resolving needs an after-photo; rejecting and holding need a reason', () => {
    for (const state of TERMINAL_TICKET_STATES) {
      for (const actor of TICKET_ACTORS) expect(movesFor(state, actor)).toEqual([]);
    }
    expect(checkMove('in_progress', 'resolve', 'technician', { afterPhotos: 0 })).toEqual({ ok: false, problem: 'after_photo' });
    expect(checkMove('in_progress', 'resolve', 'technician', full)).toEqual({ ok: true, to: 'resolved' });
    expect(checkMove('submitted', 'reject', 'dispatcher', { reason: ' ' })).toEqual({ ok: false, problem: 'reason' });
    expect(checkMove('in_progress', 'hold', 'technician', {})).toEqual({ ok: false, problem: 'reason' });
    expect(checkMove('accepted', 'dispatch', 'dispatcher', {})).toEqual({ ok: false, problem: 'assignee' });
    expect(checkMove('submitted', 'mark_duplicate', 'dispatcher', {})).toEqual({ ok: false, problem: 'original' });
  });

  it('who may move: the reporter only closes or reopens a fix; the system only closes; technicians never dispatch', () => {
    expect(movesFor('resolved', 'reporter')).toEqual(['close', 'reopen']);
    for (const state of TICKET_STATES) {
      expect(movesFor(state, 'system').every((m) => m === 'close')).toBe(true);
      expect(movesFor(state, 'reporter').every((m) => m === 'close' || m === 'reopen')).toBe(true);
      expect(movesFor(state, 'technician')).not.toContain('dispatch');
      // The bureau can do whatever a dispatcher can (escalation).
      for (const move of movesFor(state, 'dispatcher')) expect(movesFor(state, 'bureau')).toContain(move);
    }
    expect(checkMove('submitted', 'accept', 'technician', full)).toEqual({ ok: false, problem: 'forbidden' });
    expect(checkMove('closed', 'reopen', 'reporter', full)).toEqual({ ok: false, problem: 'illegal' });
  });

  it('maps to Open311’s open/closed, and knows when a ticket is overdue', () => {
    expect(open311Status('on_hold')).toBe('open');
    expect(open311Status('resolved')).toBe('closed');
    expect(open311Status('duplicate')).toBe('closed');
    const due = ticketDueAt(new Date('2026-11-23T08:00:00Z'), 'urgent');
    expect(due.toISOString()).toBe('2026-11-24T08:00:00.000Z');
    expect(isOverdue('in_progress', due, new Date('2026-11-24T08:00:01Z'))).toBe(true);
    expect(isOverdue('resolved', due, new Date('2026-11-25T08:00:00Z'))).toBe(false);
    expect(ticketDueAt(new Date('2026-11-23T08:00:00Z'), 'low').toISOString()).toBe('2026-11-30T08:00:00.000Z');
  });

  it('staff find a ticket by its code or its first three or more characters, typed in any case with spaces around', () => {
    expect(normaliseTicketCodeSearch(' 3fq428je ')).toBe('3FQ428JE');
    expect(normaliseTicketCodeSearch('3fq')).toBe('3FQ');
    expect(normaliseTicketCodeSearch('3F')).toBeUndefined();
    expect(normaliseTicketCodeSearch('3FQ428JE2')).toBeUndefined();
    // Look-alikes and inner spaces are never in a code.
    expect(normaliseTicketCodeSearch('3FO')).toBeUndefined();
    expect(normaliseTicketCodeSearch('3FQ 428')).toBeUndefined();
  });
});

describe('repair figures', () => {
  it('median of odd and even counts, and none', () => {
    expect(median([])).toBeNull();
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 10])).toBe(3.5);
  });

  it('an organisation may not promise urgent repairs slower than normal ones, nor normal slower than low', () => {
    expect(checkSla(DEFAULT_SLA_HOURS)).toBeUndefined();
    expect(checkSla({ urgent: 24, normal: 24, low: 24 })).toBeUndefined();
    expect(checkSla({ urgent: 48, normal: 24, low: 168 })).toBe('urgent_after_normal');
    expect(checkSla({ urgent: 4, normal: 200, low: 168 })).toBe('normal_after_low');
  });
});
