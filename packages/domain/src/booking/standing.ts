import type { ResidentRules } from './booking.ts';

/**
 * A resident's standing in a city at one moment, as the database counts it under the resident's
 * lock (`resident_standing`, migration 0012): a suspension in force, bookings not yet ended, and
 * minutes already booked of one sport on one local day.
 */
export interface Standing {
  /** The end of the latest suspension still in force, or null. */
  suspendedUntil: string | null;
  /** The resident's own bookings in the city that have not ended (confirmed or checked in). */
  upcoming: number;
  /** Minutes of the requested sport the resident holds on the requested local day. */
  minutes: number;
}

/** What is asked: a court for some minutes, or a place at a school session (suspension only). */
export type StandingRequest = { kind: 'court'; minutes: number } | { kind: 'school' };

export type StandingRules = Pick<ResidentRules, 'maxUpcoming' | 'maxHoursPerDayPerSport'>;

/** Why the standing refuses a request, with what the resident is told. */
export type StandingRefusal =
  | { rule: 'suspended'; until: string }
  | { rule: 'max_upcoming'; max: number }
  | { rule: 'max_sport_hours_per_day'; max: number };

/**
 * The one decision of the resident standing rules, in the order a resident is told about them: a
 * suspension in force refuses everything; a court also needs room under the upcoming-bookings quota
 * and under the hours-per-day-per-sport limit, counting the minutes asked for. `standing_refusal`
 * (migration 0012) is the same decision in SQL, the condition of the booking's insert; a property
 * test drives both with random standings and they must agree on every case.
 */
export function standingRefusal(standing: Standing, rules: StandingRules, request: StandingRequest): StandingRefusal | null {
  if (standing.suspendedUntil !== null) return { rule: 'suspended', until: standing.suspendedUntil };
  if (request.kind === 'school') return null;
  if (standing.upcoming >= rules.maxUpcoming) return { rule: 'max_upcoming', max: rules.maxUpcoming };
  if (standing.minutes + request.minutes > rules.maxHoursPerDayPerSport * 60) {
    return { rule: 'max_sport_hours_per_day', max: rules.maxHoursPerDayPerSport };
  }
  return null;
}
