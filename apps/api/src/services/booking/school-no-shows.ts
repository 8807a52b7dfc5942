import { and, eq, gt, inArray, lt } from 'drizzle-orm';
import { schema, type Queryable } from '@sports/db';

const s = schema.schoolSessions;
const reg = schema.schoolRegistrations;
const v = schema.venues;

/**
 * Registrants who never came by the end of their session are no-shows, under the same city-wide
 * policy as courts. (The gate admits until the end, so only then is it known.)
 */
export async function markSchoolNoShows(tx: Queryable, cityCode: string, now: Date): Promise<{ userId: string; start: Date }[]> {
  const missed = await tx
    .update(reg)
    .set({ status: 'no_show' })
    .where(
      and(
        eq(reg.status, 'confirmed'),
        inArray(
          reg.sessionId,
          tx
            .select({ id: s.id })
            .from(s)
            .innerJoin(v, eq(v.id, s.venueId))
            .where(and(eq(s.status, 'open'), lt(s.endsAt, now), eq(v.cityCode, cityCode))),
        ),
      ),
    )
    .returning({ userId: reg.userId, sessionId: reg.sessionId });
  if (missed.length === 0) return [];
  const starts = await tx
    .select({ id: s.id, start: s.startsAt })
    .from(s)
    .where(inArray(s.id, [...new Set(missed.map((m) => m.sessionId))]));
  const startOf = new Map(starts.map((x) => [x.id, x.start]));
  return missed.map((m) => ({ userId: m.userId, start: startOf.get(m.sessionId)! }));
}

/** Start times of a resident's school no-shows in a city since an instant. */
export async function schoolNoShowsSince(tx: Queryable, userId: string, cityCode: string, since: Date): Promise<Date[]> {
  const rows = await tx
    .select({ start: s.startsAt })
    .from(reg)
    .innerJoin(s, eq(s.id, reg.sessionId))
    .innerJoin(v, eq(v.id, s.venueId))
    .where(and(eq(reg.userId, userId), eq(reg.status, 'no_show'), gt(s.startsAt, since), eq(v.cityCode, cityCode)));
  return rows.map((r) => r.start);
}
