import { randomBytes } from 'node:crypto';
import { and, count, desc, eq, gt, sql } from 'drizzle-orm';
import type { BookingStanding } from '@sports/contracts';
import { schema, type Db, type Queryable } from '@sports/db';
import type { Standing, StandingRefusal } from '@sports/domain';
import { DomainError } from '../shared/errors.ts';
import { residentRules } from './booking-rules.ts';
import { schoolNoShowsSince } from './school-no-shows.ts';

/** The standing as `resident_standing` (migration 0012) answers it, in a JSON row. */
interface StandingRow {
  suspendedUntil: string | null;
  upcoming: number | string;
  minutes: number;
}

export function toStanding(row: StandingRow): Standing {
  return {
    suspendedUntil: row.suspendedUntil === null ? null : new Date(row.suspendedUntil).toISOString(),
    upcoming: Number(row.upcoming),
    minutes: Number(row.minutes),
  };
}

/**
 * A resident's standing in a city, read by the same SQL function as the booking's own statement
 * (school registrations call it under the resident's lock). Without a sport, minutes are 0.
 */
export async function readStanding(
  db: Queryable,
  userId: string,
  cityCode: string,
  now: Date,
  day?: { sport: string; start: Date; end: Date },
): Promise<Standing> {
  const result = await db.execute(sql`
    select suspended_until as "suspendedUntil", upcoming, minutes
      from resident_standing(${userId}::uuid, ${cityCode}::text, ${now.toISOString()}::timestamptz, ${day?.sport ?? null}::text,
                             ${day?.start.toISOString() ?? null}::timestamptz, ${day?.end.toISOString() ?? null}::timestamptz)`);
  return toStanding((result as unknown as { rows: StandingRow[] }).rows[0]!);
}

/** What a resident is told when the standing refuses them: codes and numbers, the words are the reader's. */
export function standingError(refusal: StandingRefusal, timeZone: string): DomainError {
  if (refusal.rule === 'suspended') {
    const until = new Date(refusal.until);
    return new DomainError('SUSPENDED', { until: { instant: until.toISOString(), timeZone }, untilIso: until.toISOString() });
  }
  return new DomainError('QUOTA_EXCEEDED', { rule: refusal.rule, max: refusal.max });
}

/** Where a resident stands in a city: suspended or not (and why, until when), the rules, their feed URL. */
export async function bookingStanding(db: Db, userId: string, cityCode: string, now: Date): Promise<BookingStanding> {
  const rules = await residentRules(db, cityCode);
  const s = schema.bookingSuspensions;
  const r = schema.reservations;
  const since = new Date(now.getTime() - rules.noShowWindowDays * 86_400_000);
  const [[suspension], [noShows], atSchools] = await Promise.all([
    db
      .select({ until: s.until, reason: s.reason })
      .from(s)
      .where(and(eq(s.userId, userId), eq(s.cityCode, cityCode), gt(s.until, now)))
      .orderBy(desc(s.until))
      .limit(1),
    db
      .select({ n: count() })
      .from(r)
      .where(
        and(
          eq(r.userId, userId),
          eq(r.status, 'no_show'),
          gt(sql`lower(${r.during})`, since),
          sql`${r.venueId} in (select id from ${schema.venues} where city_code = ${cityCode})`,
        ),
      ),
    schoolNoShowsSince(db, userId, cityCode, since),
  ]);
  return {
    suspendedUntil: suspension?.until.toISOString() ?? null,
    suspensionReason: suspension?.reason ?? null,
    // Courts and school fields count toward the one city-wide policy.
    noShowsInWindow: (noShows?.n ?? 0) + atSchools.length,
    rules,
    calendarFeedPath: `/api/v1/calendar/${await calendarToken(db, userId)}.ics`,
  };
}

/** The secret of a person's calendar feed, made on first use. */
export async function calendarToken(db: Db, userId: string): Promise<string> {
  const u = schema.users;
  const [user] = await db.select({ token: u.calendarToken }).from(u).where(eq(u.id, userId));
  if (user?.token) return user.token;
  const token = randomBytes(24).toString('base64url');
  const [set] = await db
    .update(u)
    .set({ calendarToken: sql`coalesce(${u.calendarToken}, ${token})` })
    .where(eq(u.id, userId))
    .returning({ token: u.calendarToken });
  return set!.token!;
}

export async function userByCalendarToken(db: Db, token: string): Promise<string | undefined> {
  const [user] = await db.select({ id: schema.users.id }).from(schema.users).where(eq(schema.users.calendarToken, token));
  return user?.id;
}
