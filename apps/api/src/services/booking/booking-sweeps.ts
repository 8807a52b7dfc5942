import { and, count, eq, gt, inArray, isNull, lt, sql } from 'drizzle-orm';
import { schema, tryAdvisoryLock, type Db, type Queryable } from '@sports/db';
import { suspensionAfterNoShows } from '@sports/domain';
import { residentRules } from './booking-rules.ts';
import { notify } from '../accounts/notifications.ts';
import { enqueueMessages } from '../accounts/outbox.ts';
import { markSchoolNoShows, schoolNoShowsSince } from './school-no-shows.ts';

const r = schema.reservations;

export interface SweepReport {
  noShows: number;
  suspended: number;
  reminded: number;
  completed: number;
}

/**
 * One pass of the booking upkeep, safe with several API instances (a transaction-scoped advisory
 * lock: one instance runs, the others skip):
 * - a booking not checked in `noShowGraceMinutes` after its start becomes a no-show, and a resident
 *   who reaches the city's no-show limit is suspended and told why and until when;
 * - residents get an in-app reminder (and a text, put in the outbox in this transaction and sent
 *   after it commits by the outbox sweep) two hours before their booking;
 * - bookings that were checked in and have ended are completed.
 */
export async function runBookingSweep(db: Db, now: Date): Promise<SweepReport | null> {
  return db.transaction(async (tx) => {
    if (!(await tryAdvisoryLock(tx, 'sweep', 'booking_sweep'))) return null;
    const report: SweepReport = { noShows: 0, suspended: 0, reminded: 0, completed: 0 };
    await markNoShows(tx, now, report);
    await remind(tx, now, report);
    const completed = await tx
      .update(r)
      .set({ status: 'completed' })
      .where(and(eq(r.status, 'checked_in'), lt(sql`upper(${r.during})`, now)))
      .returning({ id: r.id });
    report.completed = completed.length;
    return report;
  });
}

async function markNoShows(tx: Queryable, now: Date, report: SweepReport): Promise<void> {
  const cities = await tx.selectDistinct({ cityCode: schema.venues.cityCode }).from(schema.venues);
  for (const { cityCode } of cities) {
    const rules = await residentRules(tx, cityCode);
    const cutoff = new Date(now.getTime() - rules.noShowGraceMinutes * 60_000);
    const missed = await tx
      .update(r)
      .set({ status: 'no_show' })
      .where(
        and(
          eq(r.status, 'confirmed'),
          eq(r.kind, 'booking'),
          lt(sql`lower(${r.during})`, cutoff),
          sql`${r.venueId} in (select id from ${schema.venues} where city_code = ${cityCode})`,
        ),
      )
      .returning({ userId: r.userId });
    const missedAtSchools = await markSchoolNoShows(tx, cityCode, now);
    report.noShows += missed.length + missedAtSchools.length;
    const people = [...new Set([...missed.map((m) => m.userId), ...missedAtSchools.map((m) => m.userId)].filter((u): u is string => u !== null))];
    for (const userId of people) {
      const since = new Date(now.getTime() - rules.noShowWindowDays * 86_400_000);
      const history = await tx
        .select({ start: sql<Date>`lower(${r.during})`.mapWith(r.createdAt) })
        .from(r)
        .where(
          and(
            eq(r.userId, userId),
            eq(r.status, 'no_show'),
            gt(sql`lower(${r.during})`, since),
            sql`${r.venueId} in (select id from ${schema.venues} where city_code = ${cityCode})`,
          ),
        );
      const atSchools = await schoolNoShowsSince(tx, userId, cityCode, since);
      const until = suspensionAfterNoShows([...history.map((h) => h.start), ...atSchools], rules, now);
      if (!until) continue;
      const s = schema.bookingSuspensions;
      const [active] = await tx
        .select({ n: count() })
        .from(s)
        .where(and(eq(s.userId, userId), eq(s.cityCode, cityCode), gt(s.until, now)));
      if ((active?.n ?? 0) > 0) continue;
      const reason = `${rules.noShowWindowDays} 天内 ${history.length + atSchools.length} 次预约未到场（上限 ${rules.noShowLimit} 次）`;
      await tx.insert(s).values({ userId, cityCode, until, reason });
      await notify(tx, [
        {
          userId,
          kind: 'booking.suspended',
          params: { until: until.toISOString(), timeZone: 'Asia/Shanghai', cityCode, windowDays: rules.noShowWindowDays, count: history.length + atSchools.length, limit: rules.noShowLimit },
          data: { until: until.toISOString(), cityCode },
        },
      ]);
      report.suspended += 1;
    }
  }
}

const REMIND_BEFORE_MS = 2 * 3_600_000;

async function remind(tx: Queryable, now: Date, report: SweepReport): Promise<void> {
  const due = await tx
    .update(r)
    .set({ reminderSentAt: now })
    .where(
      and(
        eq(r.status, 'confirmed'),
        inArray(r.kind, ['booking']),
        isNull(r.reminderSentAt),
        gt(sql`lower(${r.during})`, now),
        lt(sql`lower(${r.during})`, new Date(now.getTime() + REMIND_BEFORE_MS)),
      ),
    )
    .returning({ id: r.id, userId: r.userId, venueId: r.venueId, code: r.code, start: sql<Date>`lower(${r.during})`.mapWith(r.createdAt) });
  for (const booking of due) {
    if (!booking.userId) continue;
    const [info] = await tx
      .select({ venue: schema.venues.name, timeZone: schema.venues.timeZone, phone: schema.users.phone, locale: schema.users.locale })
      .from(schema.venues)
      .innerJoin(schema.users, eq(schema.users.id, booking.userId))
      .where(eq(schema.venues.id, booking.venueId));
    if (!info) continue;
    const params = { venue: info.venue, startsAt: booking.start.toISOString(), timeZone: info.timeZone, code: booking.code };
    await notify(tx, [{ userId: booking.userId, kind: 'reservation.reminder', params, data: { reservationId: booking.id } }]);
    await enqueueMessages(tx, [{ channel: 'sms', recipient: info.phone, kind: 'reservation.reminder', params, locale: info.locale === 'en' ? 'en' : 'zh-CN' }], now);
    report.reminded += 1;
  }
}
