import { and, asc, count, desc, eq, gt, gte, inArray, lte, sql, type SQL } from 'drizzle-orm';
import type { ManagedSessionQuery, MySessionRegistration, Page, SchoolRegistration, SchoolSession, SchoolSessionDetail, SchoolSessionQuery } from '@sports/contracts';
import { schema, type Db, type Queryable } from '@sports/db';
import { addDays, entryWindow, localDate, SCHOOL_WINDOW_DAYS } from '@sports/domain';
import type { Actor } from '../shared/actor.ts';
import { DomainError } from '../shared/errors.ts';
import { organisationsReachedBy } from '../shared/grants.ts';
import type { ReservationSecrets } from '../booking/reservation-rows.ts';
import { SCHOOL_STAFF } from './school-plans.ts';
import { signedQrText } from '../shared/signed-codes.ts';
import { ACTIVE, loadSession, p, reg, registrationColumns, s, sessionQuery, toRegistration, toSession, v } from './registration-rows.ts';

export async function listSessions(db: Db, query: SchoolSessionQuery, now: Date): Promise<Page<SchoolSession>> {
  const today = localDate(now, 'Asia/Shanghai');
  const where = and(
    eq(v.cityCode, query.city),
    query.district ? eq(v.districtCode, query.district) : undefined,
    query.sport ? eq(schema.venueResources.sport, query.sport) : undefined,
    query.date ? eq(s.date, query.date) : lte(s.date, addDays(today, SCHOOL_WINDOW_DAYS)),
    query.venueId ? eq(s.venueId, query.venueId) : undefined,
    eq(s.status, 'open'),
    eq(p.status, 'published'),
    gt(s.startsAt, now),
  );
  const [rows, [total]] = await Promise.all([
    sessionQuery(db)
      .where(where)
      .orderBy(asc(s.startsAt), asc(v.name))
      .limit(query.pageSize)
      .offset((query.page - 1) * query.pageSize),
    db
      .select({ n: count() })
      .from(s)
      .innerJoin(p, eq(p.id, s.planId))
      .innerJoin(v, eq(v.id, s.venueId))
      .innerJoin(schema.venueResources, eq(schema.venueResources.id, s.resourceId))
      .where(where),
  ]);
  return { items: rows.map(toSession), page: query.page, pageSize: query.pageSize, total: total?.n ?? 0 };
}

/**
 * One session, and for a signed-in caller their own active registration for it (at most one: the
 * database's one-per-session index); signed out, or with none, `myRegistration` is null.
 */
export async function getSession(db: Db, secrets: ReservationSecrets, id: string, userId: string | null): Promise<SchoolSessionDetail> {
  const row = await loadSession(db, id);
  if (row.planStatus === 'draft') throw new DomainError('NOT_FOUND');
  const [mine] = userId
    ? await db
        .select({ id: reg.id, code: reg.code, status: reg.status, partySize: reg.partySize })
        .from(reg)
        .where(and(eq(reg.sessionId, id), eq(reg.userId, userId), inArray(reg.status, [...ACTIVE])))
        .orderBy(desc(reg.createdAt))
        .limit(1)
    : [];
  let myRegistration: MySessionRegistration | null = null;
  if (mine) {
    const window = entryWindow(row.session.startsAt, row.session.endsAt);
    myRegistration = {
      id: mine.id,
      code: mine.code,
      qr: signedQrText('school_entry', mine.code, secrets.qrKey),
      status: mine.status as MySessionRegistration['status'],
      partySize: mine.partySize,
      entryOpens: window.opens.toISOString(),
      entryCloses: window.closes.toISOString(),
    };
  }
  return { ...toSession(row), myRegistration };
}

function reachedSchools(db: Queryable, actor: Actor): SQL {
  const grants = actor.grants.filter((g) => SCHOOL_STAFF.includes(g.role));
  return inArray(s.organisationId, db.select({ id: schema.organisations.id }).from(schema.organisations).where(organisationsReachedBy(grants)));
}

/** Sessions of the schools the staff member runs, any status, in a date range. */
export async function listManagedSessions(db: Db, actor: Actor, query: ManagedSessionQuery, now: Date): Promise<Page<SchoolSession>> {
  const from = query.from ?? localDate(now, 'Asia/Shanghai');
  const to = query.to ?? addDays(from, SCHOOL_WINDOW_DAYS);
  const where = and(
    reachedSchools(db, actor),
    gte(s.date, from),
    lte(s.date, to),
    query.venueId ? eq(s.venueId, query.venueId) : undefined,
    query.planId ? eq(s.planId, query.planId) : undefined,
  );
  const [rows, [total]] = await Promise.all([
    sessionQuery(db)
      .where(where)
      .orderBy(asc(s.startsAt))
      .limit(query.pageSize)
      .offset((query.page - 1) * query.pageSize),
    db.select({ n: count() }).from(s).where(where),
  ]);
  return { items: rows.map(toSession), page: query.page, pageSize: query.pageSize, total: total?.n ?? 0 };
}

export async function listMyRegistrations(
  db: Db,
  secrets: ReservationSecrets,
  actor: Actor,
  query: { page: number; pageSize: number; when: 'upcoming' | 'past' },
  now: Date,
): Promise<Page<SchoolRegistration>> {
  const upcoming = query.when === 'upcoming';
  const where = and(
    eq(reg.userId, actor.userId),
    upcoming
      ? and(gt(s.endsAt, now), inArray(reg.status, ['confirmed', 'checked_in']))
      : sql`(${s.endsAt} <= ${now.toISOString()}::timestamptz or ${reg.status} not in ('confirmed', 'checked_in'))`,
  );
  const [rows, [total]] = await Promise.all([
    db
      .select(registrationColumns)
      .from(reg)
      .innerJoin(s, eq(s.id, reg.sessionId))
      .innerJoin(p, eq(p.id, s.planId))
      .innerJoin(v, eq(v.id, s.venueId))
      .innerJoin(schema.venueResources, eq(schema.venueResources.id, s.resourceId))
      .innerJoin(schema.organisations, eq(schema.organisations.id, s.organisationId))
      .where(where)
      .orderBy(upcoming ? asc(s.startsAt) : desc(s.startsAt))
      .limit(query.pageSize)
      .offset((query.page - 1) * query.pageSize),
    db.select({ n: count() }).from(reg).innerJoin(s, eq(s.id, reg.sessionId)).where(where),
  ]);
  return { items: rows.map((row) => toRegistration(row, secrets)), page: query.page, pageSize: query.pageSize, total: total?.n ?? 0 };
}
