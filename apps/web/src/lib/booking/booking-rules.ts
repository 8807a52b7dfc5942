import type { Slot } from '@sports/contracts';

/** Integer fen as yuan with two decimals: 5000 → ¥50.00; nothing to pay → `freeLabel`. */
export function formatPrice(fen: number, freeLabel: string): string {
  if (fen === 0) return freeLabel;
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  return `${sign}¥${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** Consecutive slots on one court: indexes `from`..`to` (inclusive) into that court's slots. */
export interface SlotSelection {
  resourceId: string;
  from: number;
  to: number;
}

export type SelectionRefusal = 'notFree' | 'tooMany';

/**
 * The selection after a tap on a slot. Only free slots can be chosen; a tap on another court starts
 * again there; a tap on the same court stretches the run to it when every slot between is free and
 * the run stays within `maxSlots`; a tap on either end of the run drops that slot.
 */
export function toggleSlot(
  current: SlotSelection | null,
  resourceId: string,
  slots: readonly Pick<Slot, 'status'>[],
  index: number,
  maxSlots: number,
): { selection: SlotSelection | null; refused?: SelectionRefusal } {
  if (slots[index]?.status !== 'free') return { selection: current, refused: 'notFree' };
  if (!current || current.resourceId !== resourceId) return { selection: { resourceId, from: index, to: index } };
  if (index >= current.from && index <= current.to) {
    if (current.from === current.to) return { selection: null };
    if (index === current.from) return { selection: { ...current, from: index + 1 } };
    if (index === current.to) return { selection: { ...current, to: index - 1 } };
    return { selection: { resourceId, from: index, to: index } };
  }
  const from = Math.min(current.from, index);
  const to = Math.max(current.to, index);
  const allFree = slots.slice(from, to + 1).every((slot) => slot.status === 'free');
  if (!allFree) return { selection: { resourceId, from: index, to: index } };
  if (to - from + 1 > maxSlots) return { selection: current, refused: 'tooMany' };
  return { selection: { resourceId, from, to } };
}

/** 8–100 characters of [\w.:-], unique per confirmation. */
export function newIdempotencyKey(): string {
  const random = globalThis.crypto?.randomUUID?.() ?? `${Date.now()}-${Math.random().toString(36).slice(2)}`;
  return `web:${random}`;
}

/**
 * One key per booking attempt: asking again for the same request (a retry after a lost answer) gives
 * the same key, so the server books at most once; a different request, or `settle()` after a definite
 * answer, gives a new one.
 */
export function idempotencyKeeper(make: () => string = newIdempotencyKey) {
  let current: { request: string; key: string } | null = null;
  return {
    keyFor(request: unknown): string {
      const text = JSON.stringify(request);
      if (current?.request !== text) current = { request: text, key: make() };
      return current.key;
    },
    settle(): void {
      current = null;
    },
  };
}

/** 'HH:mm' of an instant on the venue's clock. */
export function clockTime(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(iso));
}

/** 'YYYY-MM-DD HH:mm' on the venue's clock. */
export function clockDateTime(iso: string, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(iso));
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}`;
}
