/**
 * Court booking rules: how a resource's opening hours become bookable slots, what a slot costs, when
 * it can be booked, cancelled and checked into, and what the city-wide resident rules allow. Pure: the
 * clock is a parameter, the opening intervals come from expandOpeningHours.
 */
import type { DayType, HolidayCalendar } from '../venues/holiday-calendar.ts';
import { addDays, localTimeToInstant, type OpenInterval } from '../venues/opening-hours.ts';

export const SLOT_LENGTHS = [30, 60, 90, 120] as const;
export type SlotLength = (typeof SLOT_LENGTHS)[number];

/** Which days a price band applies to: ordinary workdays, weekends, or statutory holidays. */
export type DayKind = 'weekday' | 'weekend' | 'holiday';

export interface PriceBand {
  days: DayKind;
  /** Local 'HH:MM' range in which a slot's start falls. */
  start: string;
  end: string;
  /** Price per slot in fen (分). 0 = free (低免开放). */
  priceFen: number;
}

export interface BookingSettings {
  slotMinutes: SlotLength;
  minSlots: number;
  maxSlots: number;
  /** How many days ahead a day can be booked. */
  windowDays: number;
  /** 放号: day D's slots are released at this local time, `windowDays` days before D. */
  releaseTime: string;
  /** Free cancellation until this many hours before the start. */
  cancelHours: number;
  /** Price per slot when no band matches. */
  defaultPriceFen: number;
  bands: PriceBand[];
}

export const DEFAULT_BOOKING_SETTINGS: BookingSettings = {
  slotMinutes: 60,
  minSlots: 1,
  maxSlots: 2,
  windowDays: 7,
  releaseTime: '12:00',
  cancelHours: 2,
  defaultPriceFen: 0,
  bands: [],
};

/** Every state a reservation can be in; the database's enum and the contracts' list are checked against it. */
export const RESERVATION_STATUSES = ['confirmed', 'checked_in', 'completed', 'cancelled', 'no_show'] as const;
export type ReservationStatus = (typeof RESERVATION_STATUSES)[number];
/** The states in which a reservation holds its court (and counts toward a resident's quotas). */
export const ACTIVE_RESERVATION_STATUSES = ['confirmed', 'checked_in'] as const satisfies readonly ReservationStatus[];

/** The city-wide rules a bureau sets for residents, across every venue of the city. */
export interface ResidentRules {
  maxUpcoming: number;
  maxHoursPerDayPerSport: number;
  /** A booking not checked in this many minutes after its start is a no-show. */
  noShowGraceMinutes: number;
  /** This many no-shows within `noShowWindowDays` suspend booking for `suspensionDays`. */
  noShowLimit: number;
  noShowWindowDays: number;
  suspensionDays: number;
  /** School fields: sessions one resident may hold at one school on one day, and in one week. */
  schoolPerSchoolPerDay: number;
  schoolPerWeek: number;
}

export const DEFAULT_RESIDENT_RULES: ResidentRules = {
  maxUpcoming: 3,
  maxHoursPerDayPerSport: 2,
  noShowGraceMinutes: 15,
  noShowLimit: 3,
  noShowWindowDays: 60,
  suspensionDays: 30,
  schoolPerSchoolPerDay: 1,
  schoolPerWeek: 3,
};

/** Check-in opens this long before the start and closes this long after it. */
export const CHECK_IN_OPENS_MINUTES = 30;
export const CHECK_IN_CLOSES_MINUTES = 15;

export interface Slot {
  start: Date;
  end: Date;
  /** Local date of the slot. */
  date: string;
}

/**
 * Cuts open intervals into whole slots of the resource's length, aligned to the start of each
 * interval. A remainder shorter than a slot is not bookable.
 */
export function expandSlots(intervals: readonly OpenInterval[], slotMinutes: number): Slot[] {
  const length = slotMinutes * 60_000;
  const slots: Slot[] = [];
  for (const interval of intervals) {
    for (let t = interval.start.getTime(); t + length <= interval.end.getTime(); t += length) {
      slots.push({ start: new Date(t), end: new Date(t + length), date: interval.date });
    }
  }
  return slots;
}

export function dayKindOf(type: DayType): DayKind {
  if (type === 'holiday') return 'holiday';
  if (type === 'weekend') return 'weekend';
  return 'weekday';
}

function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number) as [number, number];
  return h * 60 + m;
}

const timeFormatters = new Map<string, Intl.DateTimeFormat>();
const localTimes = new Map<string, string>();

/**
 * Local 'HH:MM' of an instant in a zone. Formatting is the slow part of pricing a grid, and every
 * court of a venue starts its slots at the same instants, so answers are remembered (bounded).
 */
export function localTimeOf(at: Date, timeZone: string): string {
  const key = `${at.getTime()}|${timeZone}`;
  const known = localTimes.get(key);
  if (known) return known;
  let formatter = timeFormatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    timeFormatters.set(timeZone, formatter);
  }
  const parts = formatter.formatToParts(at);
  const get = (type: string) => parts.find((p) => p.type === type)!.value;
  const time = `${get('hour')}:${get('minute')}`;
  if (localTimes.size >= 50_000) localTimes.clear();
  localTimes.set(key, time);
  return time;
}

/** The price of one slot: the first band for its kind of day whose range holds the slot's start. */
export function slotPriceFen(
  slot: Slot,
  settings: Pick<BookingSettings, 'bands' | 'defaultPriceFen'>,
  timeZone: string,
  calendar: HolidayCalendar,
): number {
  const kind = dayKindOf(calendar.dayInfo(slot.date).type);
  const minute = minutesOf(localTimeOf(slot.start, timeZone));
  const band = settings.bands.find((b) => b.days === kind && minute >= minutesOf(b.start) && minute < minutesOf(b.end));
  return band?.priceFen ?? settings.defaultPriceFen;
}

const releaseCache = new Map<string, Date>();

/** When day `date`'s slots are released: `releaseTime` local, `windowDays` days before. Pure, so remembered. */
export function releaseInstant(date: string, settings: Pick<BookingSettings, 'windowDays' | 'releaseTime'>, timeZone: string): Date {
  const key = `${date}|${settings.windowDays}|${settings.releaseTime}|${timeZone}`;
  let instant = releaseCache.get(key);
  if (!instant) {
    if (releaseCache.size >= 20_000) releaseCache.clear();
    instant = localTimeToInstant(addDays(date, -settings.windowDays), settings.releaseTime, timeZone);
    releaseCache.set(key, instant);
  }
  return instant;
}

export type SlotState = 'free' | 'booked' | 'closed' | 'out_of_service' | 'not_yet_released' | 'past';

/** Whether a slot on `date` can be booked at `now` as far as time goes: released and not begun. */
export function timeState(
  slot: Slot,
  settings: Pick<BookingSettings, 'windowDays' | 'releaseTime'>,
  timeZone: string,
  now: Date,
): 'past' | 'not_yet_released' | 'open' {
  if (slot.start.getTime() <= now.getTime()) return 'past';
  if (releaseInstant(slot.date, settings, timeZone).getTime() > now.getTime()) return 'not_yet_released';
  return 'open';
}

export type BookingRefusal =
  | 'INVALID_DURATION'
  | 'OUTSIDE_OPENING_HOURS'
  | 'BOOKING_WINDOW_CLOSED';

/**
 * Checks a requested span against the resource's slots: it must be whole consecutive slots, within
 * the allowed count, released and not begun. Returns the slots it covers, or why not.
 */
export function checkRequestedSpan(
  start: Date,
  end: Date,
  slots: readonly Slot[],
  settings: BookingSettings,
  timeZone: string,
  now: Date,
): { ok: true; slots: Slot[] } | { ok: false; reason: BookingRefusal } {
  const length = settings.slotMinutes * 60_000;
  const span = end.getTime() - start.getTime();
  if (span <= 0 || span % length !== 0) return { ok: false, reason: 'INVALID_DURATION' };
  const count = span / length;
  if (count < settings.minSlots || count > settings.maxSlots) return { ok: false, reason: 'INVALID_DURATION' };
  const covered: Slot[] = [];
  for (let t = start.getTime(); t < end.getTime(); t += length) {
    const slot = slots.find((s) => s.start.getTime() === t);
    if (!slot) return { ok: false, reason: 'OUTSIDE_OPENING_HOURS' };
    covered.push(slot);
  }
  for (const slot of covered) {
    if (timeState(slot, settings, timeZone, now) !== 'open') return { ok: false, reason: 'BOOKING_WINDOW_CLOSED' };
  }
  return { ok: true, slots: covered };
}

/** Free cancellation until `cancelHours` before the start. */
export function canCancelFree(start: Date, cancelHours: number, now: Date): boolean {
  return now.getTime() <= start.getTime() - cancelHours * 3_600_000;
}

/** Check-in is possible from 30 minutes before the start to 15 minutes after it. */
export function checkInWindow(start: Date): { opens: Date; closes: Date } {
  return {
    opens: new Date(start.getTime() - CHECK_IN_OPENS_MINUTES * 60_000),
    closes: new Date(start.getTime() + CHECK_IN_CLOSES_MINUTES * 60_000),
  };
}

export function withinCheckInWindow(start: Date, now: Date): boolean {
  const { opens, closes } = checkInWindow(start);
  return now.getTime() >= opens.getTime() && now.getTime() <= closes.getTime();
}

/** Whether a resident with these recent no-shows is now suspended, and until when. */
export function suspensionAfterNoShows(
  noShowTimes: readonly Date[],
  rules: Pick<ResidentRules, 'noShowLimit' | 'noShowWindowDays' | 'suspensionDays'>,
  now: Date,
): Date | null {
  const since = now.getTime() - rules.noShowWindowDays * 86_400_000;
  const recent = noShowTimes.filter((t) => t.getTime() > since);
  if (recent.length < rules.noShowLimit) return null;
  return new Date(now.getTime() + rules.suspensionDays * 86_400_000);
}



/** The longest time staff can block courts in one go (a year and a day, leap years included). */
export const MAX_BLOCK_DAYS = 366;
/** How long ago a block may start: the moments a form takes to send "from now". */
export const BLOCK_START_GRACE_MINUTES = 5;

export type BlockRefusal = 'BLOCK_STARTS_IN_PAST' | 'BLOCK_TOO_LONG';

/**
 * Whether staff may block [start, end): not from the past (the bookings then are history, not in the
 * way), and not for longer than MAX_BLOCK_DAYS (a block cancels every booking it covers). The caller
 * has checked that end is after start.
 */
export function checkBlockSpan(start: Date, end: Date, now: Date): BlockRefusal | null {
  if (start.getTime() < now.getTime() - BLOCK_START_GRACE_MINUTES * 60_000) return 'BLOCK_STARTS_IN_PAST';
  if (end.getTime() - start.getTime() > MAX_BLOCK_DAYS * 86_400_000) return 'BLOCK_TOO_LONG';
  return null;
}
