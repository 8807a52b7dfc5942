import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { and, asc, count, desc, eq, gt, gte, inArray, lt, lte, sql, type SQL } from 'drizzle-orm';
import type {
  EntryBody,
  EntryResult,
  Headcount,
  ManagedSessionQuery,
  OpeningSummary,
  Page,
  SchoolRegistration,
  SchoolSession,
  SchoolSessionQuery,
  SessionRegisterBody,
  StaffRegistration,
} from '@sports/contracts';
import { schema, sqlState, UNIQUE_VIOLATION, violatedConstraint, type Db, type Queryable } from '@sports/db';
import {
  addDays,
  checkEligibility,
  checkSchoolQuota,
  entryWindow,
  localDate,
  maskPhone,
  SCHOOL_WINDOW_DAYS,
  weekStartOf,
  withinEntryWindow,
  type EligibilityRefusal,
  type Sport,
} from '@sports/domain';
import type { Actor } from './actor.ts';
import { recordAudit } from './audit.ts';
import { residentRules } from './booking-rules.ts';
import { DomainError, fieldProblem } from './errors.ts';
import { authorize, organisationsReachedBy } from './grants.ts';
import { identityFacts } from './identity.ts';
import { newReservationCode, type ReservationSecrets } from './reservations.ts';
import { closeSessionWithin, currentPledge, SCHOOL_STAFF } from './school-plans.ts';

const s = schema.schoolSessions;
const p = schema.schoolPlans;
const reg = schema.schoolRegistrations;
const v = schema.venues;
const ACTIVE = ['confirmed', 'checked_in', 'checked_out'] as const;

// ——— entry codes ———

function entrySignature(code: string, key: string): string {
  return createHmac('sha256', key).update(`school:${code}`).digest('base64url').slice(0, 22);
}

/** The text in an entry QR (入校码): the code and a signature, so a made-up code is refused at the gate. */
export function entryQrText(code: string, key: string): string {
  return `SPS1.${code}.${entrySignature(code, key)}`;
}

function codeFromEntryScan(input: string, key: string): string {
  const text = input.trim();
  if (!text.toUpperCase().startsWith('SPS1.')) return text.toUpperCase();
  const [, code = '', signature = ''] = text.split('.');
  const expected = Buffer.from(entrySignature(code.toUpperCase(), key));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) throw new DomainError('NOT_FOUND');
  return code.toUpperCase();
}

// ——— sessions ———

const sessionColumns = {
  session: s,
  schoolName: schema.organisations.name,
  venueName: v.name,
  resourceName: schema.venueResources.name,
  sport: schema.venueResources.sport,
  cityCode: v.cityCode,
  districtCode: v.districtCode,
  timeZone: v.timeZone,
  eligibility: p.eligibility,
  allowMinors: p.allowMinors,
  planStatus: p.status,
};

type SessionRow = {
  session: typeof s.$inferSelect;
  schoolName: string;
  venueName: string;
  resourceName: string;
  sport: string;
  cityCode: string;
  districtCode: string | null;
  timeZone: string;
  eligibility: 'city' | 'district';
  allowMinors: boolean;
  planStatus: 'draft' | 'published' | 'withdrawn';
};

function sessionQuery(db: Queryable) {
  return db
    .select(sessionColumns)
    .from(s)
    .innerJoin(p, eq(p.id, s.planId))
    .innerJoin(v, eq(v.id, s.venueId))
    .innerJoin(schema.venueResources, eq(schema.venueResources.id, s.resourceId))
    .innerJoin(schema.organisations, eq(schema.organisations.id, s.organisationId));
}

function toSession(row: SessionRow): SchoolSession {
  const x = row.session;
  return {
    id: x.id,
    planId: x.planId,
    organisationId: x.organisationId,
    schoolName: row.schoolName,
    venueId: x.venueId,
    venueName: row.venueName,
    resourceName: row.resourceName,
    sport: row.sport as Sport,
    cityCode: row.cityCode,
    districtCode: row.districtCode,
    date: x.date,
    start: x.startsAt.toISOString(),
    end: x.endsAt.toISOString(),
    capacity: x.capacity,
    taken: x.taken,
    remaining: x.status === 'open' ? x.capacity - x.taken : 0,
    status: x.status,
    note: x.note,
    closedReason: x.closedReason,
    eligibility: row.eligibility,
    allowMinors: row.allowMinors,
  };
}

async function loadSession(db: Queryable, id: string): Promise<SessionRow> {
  const [row] = await sessionQuery(db).where(eq(s.id, id));
  if (!row) throw new DomainError('NOT_FOUND');
  return row;
}

/** Open sessions residents can register for: published, not begun, within the window. */
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

export async function getSession(db: Db, id: string): Promise<SchoolSession> {
  const row = await loadSession(db, id);
  if (row.planStatus === 'draft') throw new DomainError('NOT_FOUND');
  return toSession(row);
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

async function managedSession(db: Queryable, actor: Actor, id: string): Promise<SessionRow> {
  const row = await loadSession(db, id);
  await authorize(db, actor, SCHOOL_STAFF, row.session.organisationId);
  return row;
}

export async function closeSession(db: Db, actor: Actor, id: string, reason: string, now: Date): Promise<SchoolSession> {
  await db.transaction(async (tx) => {
    const row = await managedSession(tx, actor, id);
    if (row.session.endsAt.getTime() <= now.getTime()) throw new DomainError('SESSION_CLOSED');
    await closeSessionWithin(tx, actor, id, reason, now);
    await recordAudit(tx, actor, { action: 'school.session.close', targetType: 'school_session', targetId: id, organisationId: row.session.organisationId, detail: { reason } });
  });
  return toSession(await loadSession(db, id));
}

// ——— registering ———

const ELIGIBILITY_TEXT: Record<EligibilityRefusal, string> = {
  no_region: '请在实名信息中填写居住区县 / add your home district to your identity',
  other_city: '仅限本市居民 / residents of this city only',
  other_district: '仅限本区县居民 / residents of this district only',
  minor_alone: '未满 14 周岁须由已登记的监护人陪同报名 / under 14s come with a registered guardian',
  minors_not_allowed: '该场次不接待未成年人 / this session does not admit children',
  too_many_minors: '每位监护人最多带 3 名儿童 / at most 3 children per guardian',
  minor_too_old: '年满 14 周岁须本人实名报名 / anyone 14 or over registers in their own name',
};

function requestHash(sessionId: string, body: SessionRegisterBody): string {
  return createHash('sha256').update(JSON.stringify([sessionId, body.partySize, body.minors.map((m) => [m.name.trim(), m.age])])).digest('base64url');
}

const registrationColumns = { registration: reg, ...sessionColumns };

async function loadRegistration(db: Queryable, id: string) {
  const [row] = await db
    .select(registrationColumns)
    .from(reg)
    .innerJoin(s, eq(s.id, reg.sessionId))
    .innerJoin(p, eq(p.id, s.planId))
    .innerJoin(v, eq(v.id, s.venueId))
    .innerJoin(schema.venueResources, eq(schema.venueResources.id, s.resourceId))
    .innerJoin(schema.organisations, eq(schema.organisations.id, s.organisationId))
    .where(eq(reg.id, id));
  if (!row) throw new DomainError('NOT_FOUND');
  return row;
}

function toRegistration(row: Awaited<ReturnType<typeof loadRegistration>>, secrets: ReservationSecrets): SchoolRegistration {
  const x = row.registration;
  const window = entryWindow(row.session.startsAt, row.session.endsAt);
  return {
    id: x.id,
    code: x.code,
    qr: entryQrText(x.code, secrets.qrKey),
    status: x.status,
    partySize: x.partySize,
    minors: x.minors,
    session: toSession(row),
    entryOpens: window.opens.toISOString(),
    entryCloses: window.closes.toISOString(),
    createdAt: x.createdAt.toISOString(),
    checkedInAt: x.checkedInAt?.toISOString() ?? null,
    checkedOutAt: x.checkedOutAt?.toISOString() ?? null,
    cancelledAt: x.cancelledAt?.toISOString() ?? null,
    cancelReason: x.cancelReason,
  };
}

async function replay(db: Queryable, secrets: ReservationSecrets, userId: string, key: string, hash: string) {
  const [existing] = await db
    .select({ id: reg.id, requestHash: reg.requestHash })
    .from(reg)
    .where(and(eq(reg.userId, userId), eq(reg.idempotencyKey, key)));
  if (!existing) return undefined;
  if (existing.requestHash !== hash) throw new DomainError('IDEMPOTENCY_KEY_REUSED');
  return toRegistration(await loadRegistration(db, existing.id), secrets);
}

/**
 * Registers the resident (and the children they bring) for a session. Every rule is checked with a
 * friendly code first; the places are then taken by one conditional UPDATE — `taken + n <= capacity`
 * — which the database applies one row-lock at a time, and a check constraint forbids going over
 * whatever the application does.
 */
export async function register(
  db: Db,
  secrets: ReservationSecrets,
  actor: Actor,
  sessionId: string,
  body: SessionRegisterBody,
  idempotencyKey: string,
  now: Date,
): Promise<{ registration: SchoolRegistration; created: boolean }> {
  const hash = requestHash(sessionId, body);
  const earlier = await replay(db, secrets, actor.userId, idempotencyKey, hash);
  if (earlier) return { registration: earlier, created: false };
  if (body.partySize !== 1 + body.minors.length) {
    throw new DomainError('VALIDATION_FAILED', {}, [
      fieldProblem('partySize', '人数应为本人加随行儿童人数', 'must be you plus the children you bring'),
    ]);
  }
  try {
    const id = await db.transaction(async (tx) => {
      const row = await loadSession(tx, sessionId);
      const session = row.session;
      if (row.planStatus === 'draft') throw new DomainError('NOT_FOUND');
      if (session.status !== 'open' || row.planStatus !== 'published' || session.startsAt.getTime() <= now.getTime()) {
        throw new DomainError('SESSION_CLOSED');
      }
      const identity = await identityFacts(tx, actor.userId);
      if (!identity) throw new DomainError('REAL_NAME_REQUIRED');
      const pledge = await currentPledge(tx, session.organisationId);
      if (pledge) {
        const [accepted] = await tx
          .select({ n: count() })
          .from(schema.pledgeAcceptances)
          .where(and(eq(schema.pledgeAcceptances.userId, actor.userId), eq(schema.pledgeAcceptances.pledgeId, pledge.id)));
        if ((accepted?.n ?? 0) === 0) throw new DomainError('PLEDGE_REQUIRED', { version: pledge.version });
      }
      const refusal = checkEligibility({
        eligibility: row.eligibility,
        school: { cityCode: row.cityCode, districtCode: row.districtCode },
        resident: identity,
        date: session.date,
        allowMinors: row.allowMinors,
        minorAges: body.minors.map((m) => m.age),
      });
      if (refusal) throw new DomainError('NOT_ELIGIBLE', { reason: ELIGIBILITY_TEXT[refusal], refusal });

      // One resident's requests take turns (the same lock as their court bookings), so two at once
      // cannot both slip under a quota.
      await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`reservations:${actor.userId}`}))`);
      await assertNotSuspended(tx, actor.userId, row.cityCode, row.timeZone, now);
      const rules = await residentRules(tx, row.cityCode);
      const held = await tx
        .select({ schoolId: s.organisationId, date: s.date, sessionId: s.id })
        .from(reg)
        .innerJoin(s, eq(s.id, reg.sessionId))
        .where(and(eq(reg.userId, actor.userId), inArray(reg.status, [...ACTIVE]), gte(s.date, weekStartOf(session.date)), lte(s.date, addDays(weekStartOf(session.date), 6))));
      if (held.some((h) => h.sessionId === sessionId)) throw new DomainError('ALREADY_REGISTERED');
      const quota = checkSchoolQuota(
        { perSchoolPerDay: rules.schoolPerSchoolPerDay, perWeek: rules.schoolPerWeek },
        held,
        { schoolId: session.organisationId, date: session.date },
      );
      if (quota === 'per_school_per_day') {
        throw new DomainError('QUOTA_EXCEEDED', { rule: `同一学校每天最多 ${rules.schoolPerSchoolPerDay} 场 / at most ${rules.schoolPerSchoolPerDay} session a day at one school` });
      }
      if (quota === 'per_week') {
        throw new DomainError('QUOTA_EXCEEDED', { rule: `每周最多 ${rules.schoolPerWeek} 场校园开放 / at most ${rules.schoolPerWeek} school sessions a week` });
      }

      const [seat] = await tx
        .update(s)
        .set({ taken: sql`${s.taken} + ${body.partySize}` })
        .where(and(eq(s.id, sessionId), eq(s.status, 'open'), sql`${s.taken} + ${body.partySize} <= ${s.capacity}`))
        .returning({ id: s.id });
      if (!seat) throw new DomainError('SESSION_FULL');
      const [created] = await tx
        .insert(reg)
        .values({
          sessionId,
          userId: actor.userId,
          code: newReservationCode(),
          partySize: body.partySize,
          minors: body.minors.map((m) => ({ name: m.name.trim(), age: m.age })),
          idempotencyKey,
          requestHash: hash,
        })
        .returning({ id: reg.id });
      return created!.id;
    });
    return { registration: toRegistration(await loadRegistration(db, id), secrets), created: true };
  } catch (err) {
    if (sqlState(err) === UNIQUE_VIOLATION) {
      if (violatedConstraint(err) === 'school_registrations_one_per_session_uq') throw new DomainError('ALREADY_REGISTERED');
      const again = await replay(db, secrets, actor.userId, idempotencyKey, hash);
      if (again) return { registration: again, created: false };
    }
    throw err;
  }
}

async function assertNotSuspended(tx: Queryable, userId: string, cityCode: string, timeZone: string, now: Date) {
  const b = schema.bookingSuspensions;
  const [suspension] = await tx
    .select({ until: b.until })
    .from(b)
    .where(and(eq(b.userId, userId), eq(b.cityCode, cityCode), gt(b.until, now)))
    .orderBy(desc(b.until))
    .limit(1);
  if (suspension) {
    const until = new Intl.DateTimeFormat('zh-CN', { timeZone, dateStyle: 'medium', timeStyle: 'short' }).format(suspension.until);
    throw new DomainError('SUSPENDED', { until, untilIso: suspension.until.toISOString() });
  }
}

/** The resident cancels before the session starts; the places are freed at once. */
export async function cancelRegistration(db: Db, secrets: ReservationSecrets, actor: Actor, id: string, now: Date): Promise<SchoolRegistration> {
  await db.transaction(async (tx) => {
    const [row] = await tx
      .select({ registration: reg, startsAt: s.startsAt })
      .from(reg)
      .innerJoin(s, eq(s.id, reg.sessionId))
      .where(eq(reg.id, id))
      .for('update', { of: reg });
    // Someone else's registration is as good as absent.
    if (!row || row.registration.userId !== actor.userId) throw new DomainError('NOT_FOUND');
    if (row.registration.status !== 'confirmed' || row.startsAt.getTime() <= now.getTime()) throw new DomainError('NOT_CANCELLABLE');
    await tx
      .update(reg)
      .set({ status: 'cancelled', cancelledAt: now, cancelledWithoutPenalty: true, cancelReason: '本人取消 / cancelled by the resident' })
      .where(eq(reg.id, id));
    await tx.update(s).set({ taken: sql`${s.taken} - ${row.registration.partySize}` }).where(eq(s.id, row.registration.sessionId));
  });
  return toRegistration(await loadRegistration(db, id), secrets);
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

// ——— staff: who registered, the gate, the count ———

const staffColumns = {
  registration: reg,
  phone: schema.users.phone,
  nameMasked: schema.residentIdentities.nameMasked,
  idMasked: schema.residentIdentities.idMasked,
};

function toStaffRegistration(row: { registration: typeof reg.$inferSelect; phone: string; nameMasked: string | null; idMasked: string | null }): StaffRegistration {
  const x = row.registration;
  return {
    id: x.id,
    code: x.code,
    status: x.status,
    partySize: x.partySize,
    minorAges: x.minors.map((m) => m.age),
    // A resident who deleted their identity after the session still shows, without it.
    nameMasked: row.nameMasked ?? '—',
    idMasked: row.idMasked ?? '—',
    phoneMasked: maskPhone(row.phone),
    createdAt: x.createdAt.toISOString(),
    checkedInAt: x.checkedInAt?.toISOString() ?? null,
    checkedOutAt: x.checkedOutAt?.toISOString() ?? null,
  };
}

function staffQuery(db: Queryable) {
  return db
    .select(staffColumns)
    .from(reg)
    .innerJoin(schema.users, eq(schema.users.id, reg.userId))
    .leftJoin(schema.residentIdentities, eq(schema.residentIdentities.userId, reg.userId));
}

export async function listSessionRegistrations(
  db: Db,
  actor: Actor,
  sessionId: string,
  query: { page: number; pageSize: number },
): Promise<Page<StaffRegistration>> {
  await managedSession(db, actor, sessionId);
  const [rows, [total]] = await Promise.all([
    staffQuery(db)
      .where(eq(reg.sessionId, sessionId))
      .orderBy(asc(reg.createdAt))
      .limit(query.pageSize)
      .offset((query.page - 1) * query.pageSize),
    db.select({ n: count() }).from(reg).where(eq(reg.sessionId, sessionId)),
  ]);
  return { items: rows.map(toStaffRegistration), page: query.page, pageSize: query.pageSize, total: total?.n ?? 0 };
}

const STATUS_TEXT: Record<StaffRegistration['status'], string> = {
  confirmed: '已报名',
  checked_in: '已入场',
  checked_out: '已离场',
  cancelled: '已取消',
  no_show: '未到场',
};

/** One field of a CSV row: quoted when needed; a leading = + - @ is neutralised so Excel runs no formula. */
function csvField(value: string | number): string {
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Every registration of a session as CSV, UTF-8 with a BOM so Excel reads the Chinese correctly. */
export async function sessionRegistrationsCsv(db: Db, actor: Actor, sessionId: string): Promise<{ filename: string; body: string }> {
  const row = await managedSession(db, actor, sessionId);
  const rows = await staffQuery(db).where(eq(reg.sessionId, sessionId)).orderBy(asc(reg.createdAt));
  const time = (at: string | null) =>
    at ? new Intl.DateTimeFormat('zh-CN', { timeZone: row.timeZone, dateStyle: 'short', timeStyle: 'short' }).format(new Date(at)) : '';
  const lines = [
    ['入校码', '姓名', '身份证号', '手机号', '人数', '随行儿童年龄', '状态', '报名时间', '入场时间', '离场时间'],
    ...rows.map(toStaffRegistration).map((x) => [
      x.code,
      x.nameMasked,
      x.idMasked,
      x.phoneMasked,
      x.partySize,
      x.minorAges.join(' '),
      STATUS_TEXT[x.status],
      time(x.createdAt),
      time(x.checkedInAt),
      time(x.checkedOutAt),
    ]),
  ];
  const body = `\uFEFF${lines.map((line) => line.map(csvField).join(',')).join('\r\n')}\r\n`;
  return { filename: `registrations-${row.session.date}-${row.session.id.slice(0, 8)}.csv`, body };
}

export async function headcount(db: Queryable, sessionId: string): Promise<Headcount> {
  const [row] = await db
    .select({
      capacity: s.capacity,
      registered: sql<number>`coalesce(sum(${reg.partySize}) filter (where ${reg.status} in ('confirmed', 'checked_in', 'checked_out')), 0)`.mapWith(Number),
      present: sql<number>`coalesce(sum(${reg.partySize}) filter (where ${reg.status} = 'checked_in'), 0)`.mapWith(Number),
      left: sql<number>`coalesce(sum(${reg.partySize}) filter (where ${reg.status} = 'checked_out'), 0)`.mapWith(Number),
    })
    .from(s)
    .leftJoin(reg, eq(reg.sessionId, s.id))
    .where(eq(s.id, sessionId))
    .groupBy(s.id);
  if (!row) throw new DomainError('NOT_FOUND');
  return { sessionId, ...row };
}

export async function sessionHeadcount(db: Db, actor: Actor, sessionId: string): Promise<Headcount> {
  await managedSession(db, actor, sessionId);
  return headcount(db, sessionId);
}

/**
 * The gate: a scanned entry QR or a typed code checks the party in (from 30 minutes before the
 * session until it ends) or, on leaving, out. Only staff of that school.
 */
export async function recordEntry(db: Db, secrets: ReservationSecrets, actor: Actor, body: EntryBody, now: Date): Promise<EntryResult> {
  const code = codeFromEntryScan(body.code, secrets.qrKey);
  const sessionId = await db.transaction(async (tx) => {
    const [found] = await tx.select({ id: reg.id, sessionId: reg.sessionId }).from(reg).where(eq(reg.code, code));
    if (!found) throw new DomainError('NOT_FOUND');
    const row = await managedSession(tx, actor, found.sessionId);
    const [registration] = await tx.select().from(reg).where(eq(reg.id, found.id)).for('update');
    const x = registration!;
    if (body.direction === 'in') {
      if (x.status === 'checked_in') throw new DomainError('ALREADY_CHECKED_IN');
      if (x.status === 'checked_out') throw new DomainError('ALREADY_CHECKED_OUT');
      if (row.session.status !== 'open') throw new DomainError('SESSION_CLOSED');
      if (x.status !== 'confirmed') throw new DomainError('REGISTRATION_INACTIVE');
      if (!withinEntryWindow(row.session.startsAt, row.session.endsAt, now)) throw new DomainError('ENTRY_WINDOW');
      await tx.update(reg).set({ status: 'checked_in', checkedInAt: now, checkedInBy: actor.userId }).where(eq(reg.id, x.id));
    } else {
      if (x.status === 'checked_out') throw new DomainError('ALREADY_CHECKED_OUT');
      if (x.status !== 'checked_in') throw new DomainError('NOT_CHECKED_IN');
      await tx.update(reg).set({ status: 'checked_out', checkedOutAt: now }).where(eq(reg.id, x.id));
    }
    return found.sessionId;
  });
  const [staff] = await staffQuery(db).where(eq(reg.code, code));
  return { registration: toStaffRegistration(staff!), session: toSession(await loadSession(db, sessionId)), headcount: await headcount(db, sessionId) };
}

// ——— the bureau's view ———

/**
 * Per district of a city: school venues in the registry, those with at least one published open
 * session in the next 7 days, the ratio against the target, and places offered, taken and used.
 */
export async function openingSummary(db: Db, actor: Actor, cityCode: string, target: { value: number; source: string }, now: Date): Promise<OpeningSummary> {
  const bureaus = actor.grants.filter((g) => g.role === 'bureau_admin' && g.organisation.kind === 'bureau' && g.organisation.cityCode === cityCode);
  if (bureaus.length === 0) throw new DomainError('FORBIDDEN');
  const cityWide = bureaus.some((g) => g.organisation.districtCode === null);
  const districts = cityWide ? null : bureaus.map((g) => g.organisation.districtCode!);
  const from = localDate(now, 'Asia/Shanghai');
  const to = addDays(from, SCHOOL_WINDOW_DAYS - 1);
  const lastWeek = addDays(from, -7);
  const result = await db.execute(sql`
    with school_venues as (
      select id, district_code from ${v} where city_code = ${cityCode} and kind = 'school' and is_public
    ), upcoming as (
      select ${s.venueId} as venue_id, sum(${s.capacity}) as offered, sum(${s.taken}) as taken
      from ${s} join ${p} on ${p.id} = ${s.planId}
      where ${s.status} = 'open' and ${p.status} = 'published' and ${s.date} between ${from} and ${to}
      group by ${s.venueId}
    ), used as (
      select ${s.venueId} as venue_id, sum(${reg.partySize}) as used
      from ${reg} join ${s} on ${s.id} = ${reg.sessionId}
      where ${reg.status} in ('checked_in', 'checked_out') and ${s.date} >= ${lastWeek} and ${s.date} < ${from}
      group by ${s.venueId}
    )
    select r.code as district_code, r.name,
      count(sv.id)::int as school_venues,
      count(u.venue_id)::int as open_venues,
      coalesce(sum(u.offered), 0)::int as offered,
      coalesce(sum(u.taken), 0)::int as taken,
      coalesce(sum(used.used), 0)::int as used
    from ${schema.regions} r
    left join school_venues sv on sv.district_code = r.code
    left join upcoming u on u.venue_id = sv.id
    left join used on used.venue_id = sv.id
    where r.city_code = ${cityCode} and r.level = 'district'
    group by r.code, r.name
    order by r.code
  `);
  const rows = (result as unknown as { rows: Record<string, unknown>[] }).rows
    .map((r) => ({
      districtCode: String(r.district_code),
      name: String(r.name),
      schoolVenues: Number(r.school_venues),
      openVenues: Number(r.open_venues),
      placesOffered: Number(r.offered),
      placesTaken: Number(r.taken),
      placesUsedLastWeek: Number(r.used),
    }))
    .filter((r) => districts === null || districts.includes(r.districtCode));
  const ratio = (open: number, all: number) => (all === 0 ? null : open / all);
  const sum = (key: 'schoolVenues' | 'openVenues' | 'placesOffered' | 'placesTaken' | 'placesUsedLastWeek') => rows.reduce((n, r) => n + r[key], 0);
  const total = {
    schoolVenues: sum('schoolVenues'),
    openVenues: sum('openVenues'),
    placesOffered: sum('placesOffered'),
    placesTaken: sum('placesTaken'),
    placesUsedLastWeek: sum('placesUsedLastWeek'),
  };
  return {
    cityCode,
    from,
    to,
    target: target.value,
    targetSource: target.source,
    total: { ...total, ratio: ratio(total.openVenues, total.schoolVenues) },
    districts: rows.map((r) => ({ ...r, ratio: ratio(r.openVenues, r.schoolVenues) })),
  };
}

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
