import { and, asc, count, desc, eq, gte, inArray, sql } from 'drizzle-orm';
import type { Page, PlanPreview, Pledge, SchoolPlan, SchoolPlanBody, SetPledgeBody } from '@sports/contracts';
import { advisoryLock, schema, tryAdvisoryLock, type Db, type Queryable } from '@sports/db';
import {
  addDays,
  checkSchoolPlan,
  chinaHolidayCalendar,
  localDate,
  planSessions,
  SCHOOL_WINDOW_DAYS,
  type SchoolPlanRules,
  type StaffRole,
} from '@sports/domain';
import type { Actor } from '../shared/actor.ts';
import { recordAudit } from '../shared/audit.ts';
import { DomainError, fieldProblem, type FieldProblem } from '../shared/errors.ts';
import { authorize, organisationsReachedBy } from '../shared/grants.ts';
import { notify } from '../accounts/notifications.ts';

/** Who runs a school's opening: its school admins, or a bureau admin over it. */
export const SCHOOL_STAFF: readonly StaffRole[] = ['school_admin', 'bureau_admin'];

const p = schema.schoolPlans;
const s = schema.schoolSessions;
const reg = schema.schoolRegistrations;

// ——— safety pledge ———

async function schoolOrganisation(db: Queryable, organisationId: string) {
  const [school] = await db
    .select({ id: schema.organisations.id, name: schema.organisations.name, kind: schema.organisations.kind })
    .from(schema.organisations)
    .where(eq(schema.organisations.id, organisationId));
  if (!school) throw new DomainError('NOT_FOUND');
  return school;
}

export async function currentPledge(db: Queryable, organisationId: string) {
  const [pledge] = await db
    .select()
    .from(schema.schoolPledges)
    .where(eq(schema.schoolPledges.organisationId, organisationId))
    .orderBy(desc(schema.schoolPledges.version))
    .limit(1);
  return pledge;
}

export async function getPledge(db: Db, organisationId: string, userId: string | undefined): Promise<Pledge> {
  const school = await schoolOrganisation(db, organisationId);
  const pledge = await currentPledge(db, organisationId);
  if (!pledge) throw new DomainError('NOT_FOUND');
  let accepted = false;
  if (userId) {
    const [row] = await db
      .select({ n: count() })
      .from(schema.pledgeAcceptances)
      .where(and(eq(schema.pledgeAcceptances.userId, userId), eq(schema.pledgeAcceptances.pledgeId, pledge.id)));
    accepted = (row?.n ?? 0) > 0;
  }
  return {
    organisationId,
    schoolName: school.name,
    version: pledge.version,
    title: pledge.title,
    body: pledge.body,
    createdAt: pledge.createdAt.toISOString(),
    accepted,
  };
}

/** A new version of the school's pledge; residents accept it before their next registration there. */
export async function setPledge(db: Db, actor: Actor, organisationId: string, body: SetPledgeBody): Promise<Pledge> {
  await db.transaction(async (tx) => {
    const school = await schoolOrganisation(tx, organisationId);
    await authorize(tx, actor, SCHOOL_STAFF, organisationId);
    if (school.kind === 'operator') throw new DomainError('FORBIDDEN');
    // Versions are numbered under a lock on the school, so two editors cannot both write version n.
    await advisoryLock(tx, 'school_plan', organisationId);
    const previous = await currentPledge(tx, organisationId);
    const version = (previous?.version ?? 0) + 1;
    await tx.insert(schema.schoolPledges).values({ organisationId, version, title: body.title.trim(), body: body.body.trim(), createdBy: actor.userId });
    await recordAudit(tx, actor, { action: 'school.pledge', targetType: 'organisation', targetId: organisationId, organisationId, detail: { version } });
  });
  return getPledge(db, organisationId, undefined);
}

export async function acceptPledge(db: Db, actor: Actor, organisationId: string, version: number): Promise<void> {
  const pledge = await currentPledge(db, organisationId);
  if (!pledge) throw new DomainError('NOT_FOUND');
  if (pledge.version !== version) throw new DomainError('PLEDGE_VERSION_CHANGED', { version: pledge.version });
  await db.insert(schema.pledgeAcceptances).values({ userId: actor.userId, pledgeId: pledge.id }).onConflictDoNothing();
}

// ——— plans ———

type PlanRow = typeof p.$inferSelect;

function planRules(plan: Pick<PlanRow, 'startsOn' | 'endsOn' | 'weekly' | 'closedDates' | 'openOnHolidays'>, timeZone: string): SchoolPlanRules {
  return { timeZone, startsOn: plan.startsOn, endsOn: plan.endsOn, weekly: plan.weekly, closedDates: plan.closedDates, openOnHolidays: plan.openOnHolidays };
}

const PLAN_PROBLEMS: Record<string, [string, string]> = {
  not_a_date: ['不是有效日期', 'not a real date'],
  before_start: ['结束日期不能早于开始日期', 'must not be before the start date'],
  too_long: ['一个计划最长一年', 'a plan covers at most a year'],
  no_sessions: ['请至少设置一个开放时段', 'add at least one session'],
  sessions_touch: ['同一天的时段不能重叠或首尾相接', 'sessions of a day must not overlap or touch'],
  outside_plan: ['不开放日期须在计划日期范围内', 'closed dates must lie within the plan'],
};

/** The plan's own rules (domain) and its venue and resource: a school venue, a field or hall of it. */
async function checkPlanBody(db: Queryable, actor: Actor, body: SchoolPlanBody) {
  const problems: FieldProblem[] = checkSchoolPlan(body).map(({ field, reason }) => {
    const [zh, en] = PLAN_PROBLEMS[reason] ?? ['时段格式不正确', reason];
    return fieldProblem(field, zh, en);
  });
  const [venue] = await db.select().from(schema.venues).where(eq(schema.venues.id, body.venueId));
  if (!venue) throw new DomainError('NOT_FOUND');
  await authorize(db, actor, SCHOOL_STAFF, venue.organisationId);
  if (venue.kind !== 'school') problems.push(fieldProblem('venueId', '只有学校场馆可以发布开放计划', 'only school venues have opening plans'));
  const [resource] = await db
    .select()
    .from(schema.venueResources)
    .where(and(eq(schema.venueResources.id, body.resourceId), eq(schema.venueResources.venueId, body.venueId)));
  if (!resource || resource.status === 'retired') problems.push(fieldProblem('resourceId', '请选择该校的场地', 'choose a field or hall of this school'));
  if (problems.length > 0) throw new DomainError('VALIDATION_FAILED', {}, problems);
  return { venue, resource: resource! };
}

function planValues(body: SchoolPlanBody) {
  return {
    title: body.title.trim(),
    startsOn: body.startsOn,
    endsOn: body.endsOn,
    weekly: body.weekly,
    closedDates: [...new Set(body.closedDates)].sort(),
    openOnHolidays: body.openOnHolidays,
    capacity: body.capacity,
    eligibility: body.eligibility,
    allowMinors: body.allowMinors,
  };
}

const planColumns = {
  plan: p,
  venueName: schema.venues.name,
  resourceName: schema.venueResources.name,
};

function toPlan(row: { plan: PlanRow; venueName: string; resourceName: string }): SchoolPlan {
  const { plan } = row;
  return {
    id: plan.id,
    organisationId: plan.organisationId,
    venueId: plan.venueId,
    resourceId: plan.resourceId,
    venueName: row.venueName,
    resourceName: row.resourceName,
    title: plan.title,
    startsOn: plan.startsOn,
    endsOn: plan.endsOn,
    weekly: plan.weekly,
    closedDates: plan.closedDates,
    openOnHolidays: plan.openOnHolidays,
    capacity: plan.capacity,
    eligibility: plan.eligibility,
    allowMinors: plan.allowMinors,
    status: plan.status,
    publishedAt: plan.publishedAt?.toISOString() ?? null,
    createdAt: plan.createdAt.toISOString(),
  };
}

function planQuery(db: Queryable) {
  return db
    .select(planColumns)
    .from(p)
    .innerJoin(schema.venues, eq(schema.venues.id, p.venueId))
    .innerJoin(schema.venueResources, eq(schema.venueResources.id, p.resourceId));
}

async function loadPlan(db: Queryable, id: string) {
  const [row] = await planQuery(db).where(eq(p.id, id));
  if (!row) throw new DomainError('NOT_FOUND');
  return row;
}

/** A plan the actor may manage, or NOT_FOUND / FORBIDDEN. */
async function managedPlan(db: Queryable, actor: Actor, id: string) {
  const row = await loadPlan(db, id);
  await authorize(db, actor, SCHOOL_STAFF, row.plan.organisationId);
  return row;
}

export async function getPlan(db: Db, actor: Actor, id: string): Promise<SchoolPlan> {
  return toPlan(await managedPlan(db, actor, id));
}

export async function listPlans(
  db: Db,
  actor: Actor,
  query: { page: number; pageSize: number; venueId?: string | undefined; status?: PlanRow['status'] | undefined },
): Promise<Page<SchoolPlan>> {
  const where = and(
    inArray(p.organisationId, db.select({ id: schema.organisations.id }).from(schema.organisations).where(organisationsReachedBy(actor.grants.filter((g) => SCHOOL_STAFF.includes(g.role))))),
    query.venueId ? eq(p.venueId, query.venueId) : undefined,
    query.status ? eq(p.status, query.status) : undefined,
  );
  const [rows, [total]] = await Promise.all([
    planQuery(db)
      .where(where)
      .orderBy(desc(p.createdAt))
      .limit(query.pageSize)
      .offset((query.page - 1) * query.pageSize),
    db.select({ n: count() }).from(p).where(where),
  ]);
  return { items: rows.map(toPlan), page: query.page, pageSize: query.pageSize, total: total?.n ?? 0 };
}

export async function createPlan(db: Db, actor: Actor, body: SchoolPlanBody): Promise<SchoolPlan> {
  const id = await db.transaction(async (tx) => {
    const { venue } = await checkPlanBody(tx, actor, body);
    const [created] = await tx
      .insert(p)
      .values({ ...planValues(body), venueId: body.venueId, resourceId: body.resourceId, organisationId: venue.organisationId, createdBy: actor.userId })
      .returning({ id: p.id });
    await recordAudit(tx, actor, { action: 'school.plan.create', targetType: 'school_plan', targetId: created!.id, organisationId: venue.organisationId, detail: { title: body.title } });
    return created!.id;
  });
  return toPlan(await loadPlan(db, id));
}

export async function updatePlan(db: Db, actor: Actor, id: string, body: SchoolPlanBody, now: Date): Promise<SchoolPlan> {
  await db.transaction(async (tx) => {
    const { plan } = await managedPlan(tx, actor, id);
    if (plan.status !== 'draft') throw new DomainError('PLAN_NOT_EDITABLE');
    const { venue } = await checkPlanBody(tx, actor, body);
    await tx
      .update(p)
      .set({ ...planValues(body), venueId: body.venueId, resourceId: body.resourceId, organisationId: venue.organisationId, updatedAt: now })
      .where(eq(p.id, id));
    await recordAudit(tx, actor, { action: 'school.plan.update', targetType: 'school_plan', targetId: id, organisationId: venue.organisationId });
  });
  return toPlan(await loadPlan(db, id));
}

/** The calendar a plan would produce, for the editor to show before publishing. Writes nothing. */
export async function previewPlan(db: Db, actor: Actor, body: SchoolPlanBody): Promise<PlanPreview> {
  const { venue } = await checkPlanBody(db, actor, body);
  const rules = planRules({ ...planValues(body) }, venue.timeZone);
  const sessions = planSessions(rules, body.startsOn, body.endsOn, chinaHolidayCalendar);
  const holidays: PlanPreview['holidays'] = [];
  const makeupWorkdays: string[] = [];
  for (let date = body.startsOn; date <= body.endsOn; date = addDays(date, 1)) {
    const day = chinaHolidayCalendar.dayInfo(date);
    if (day.type === 'holiday') holidays.push({ date, name: day.name ?? '节假日', open: body.openOnHolidays && !body.closedDates.includes(date) });
    if (day.type === 'makeup_workday') makeupWorkdays.push(date);
  }
  return {
    sessions: sessions.map((x) => ({ date: x.date, start: x.start.toISOString(), end: x.end.toISOString(), ...(x.note ? { note: x.note } : {}) })),
    holidays,
    makeupWorkdays,
    placesOffered: sessions.length * body.capacity,
  };
}

/**
 * Writes a published plan's sessions from today to the end of the registration window (idempotent:
 * a session already there is left as it is, closed or not). Returns how many were added.
 */
export async function materialiseSessions(tx: Queryable, plan: PlanRow, timeZone: string, now: Date): Promise<number> {
  const today = localDate(now, timeZone);
  const planned = planSessions(planRules(plan, timeZone), today, addDays(today, SCHOOL_WINDOW_DAYS), chinaHolidayCalendar).filter(
    (x) => x.end.getTime() > now.getTime(),
  );
  if (planned.length === 0) return 0;
  const added = await tx
    .insert(s)
    .values(
      planned.map((x) => ({
        planId: plan.id,
        venueId: plan.venueId,
        resourceId: plan.resourceId,
        organisationId: plan.organisationId,
        date: x.date,
        startsAt: x.start,
        endsAt: x.end,
        capacity: plan.capacity,
        note: x.note ?? null,
      })),
    )
    .onConflictDoNothing({ target: [s.planId, s.startsAt] })
    .returning({ id: s.id });
  return added.length;
}

export async function publishPlan(db: Db, actor: Actor, id: string, now: Date): Promise<SchoolPlan> {
  await db.transaction(async (tx) => {
    const { plan } = await managedPlan(tx, actor, id);
    if (plan.status !== 'draft') throw new DomainError('PLAN_NOT_EDITABLE');
    const [venue] = await tx.select({ timeZone: schema.venues.timeZone }).from(schema.venues).where(eq(schema.venues.id, plan.venueId));
    const [published] = await tx.update(p).set({ status: 'published', publishedAt: now, updatedAt: now }).where(eq(p.id, id)).returning();
    const sessions = await materialiseSessions(tx, published!, venue!.timeZone, now);
    await recordAudit(tx, actor, { action: 'school.plan.publish', targetType: 'school_plan', targetId: id, organisationId: plan.organisationId, detail: { sessions } });
  });
  return toPlan(await loadPlan(db, id));
}

/** Withdraws a plan: its sessions that have not begun are closed and everyone registered is told. */
export async function withdrawPlan(db: Db, actor: Actor, id: string, reason: string, now: Date): Promise<SchoolPlan> {
  await db.transaction(async (tx) => {
    const { plan } = await managedPlan(tx, actor, id);
    if (plan.status === 'withdrawn') return;
    await tx.update(p).set({ status: 'withdrawn', updatedAt: now }).where(eq(p.id, id));
    const future = await tx
      .select({ id: s.id })
      .from(s)
      .where(and(eq(s.planId, id), eq(s.status, 'open'), gte(s.startsAt, now)));
    for (const session of future) await closeSessionWithin(tx, actor, session.id, reason, now);
    await recordAudit(tx, actor, { action: 'school.plan.withdraw', targetType: 'school_plan', targetId: id, organisationId: plan.organisationId, detail: { reason, sessions: future.length } });
  });
  return toPlan(await loadPlan(db, id));
}

/**
 * Closes one session (rain, an event): it takes no more registrations; everyone registered is
 * released without penalty and told. Inside the caller's transaction.
 */
export async function closeSessionWithin(tx: Queryable, actor: Actor, sessionId: string, reason: string, now: Date): Promise<void> {
  const [open] = await tx.select({ id: s.id }).from(s).where(and(eq(s.id, sessionId), eq(s.status, 'open'))).for('update');
  if (!open) return;
  const released = await tx
    .update(reg)
    .set({ status: 'cancelled', cancelledAt: now, cancelledWithoutPenalty: true, cancelReason: reason })
    .where(and(eq(reg.sessionId, sessionId), eq(reg.status, 'confirmed')))
    .returning({ id: reg.id, userId: reg.userId, partySize: reg.partySize });
  const freed = released.reduce((sum, r) => sum + r.partySize, 0);
  const [session] = await tx
    .update(s)
    .set({ status: 'closed', closedReason: reason, closedAt: now, closedBy: actor.userId, taken: sql`${s.taken} - ${freed}` })
    .where(eq(s.id, sessionId))
    .returning();
  if (released.length === 0) return;
  const [info] = await tx
    .select({ venue: schema.venues.name, timeZone: schema.venues.timeZone })
    .from(schema.venues)
    .where(eq(schema.venues.id, session!.venueId));
  const params = { venue: info?.venue ?? '', startsAt: session!.startsAt.toISOString(), timeZone: info?.timeZone ?? 'Asia/Shanghai', reason };
  await notify(
    tx,
    released.map((r) => ({ userId: r.userId, kind: 'school.session_closed' as const, params, data: { registrationId: r.id, sessionId } })),
  );
}

/** The hourly upkeep: every published plan's sessions written a window ahead. One instance runs it. */
export async function extendSchoolSessions(db: Db, now: Date): Promise<number> {
  return db.transaction(async (tx) => {
    if (!(await tryAdvisoryLock(tx, 'sweep', 'school_sessions'))) return 0;
    const plans = await tx
      .select({ plan: p, timeZone: schema.venues.timeZone })
      .from(p)
      .innerJoin(schema.venues, eq(schema.venues.id, p.venueId))
      .where(and(eq(p.status, 'published'), gte(p.endsOn, localDate(now, 'Asia/Shanghai'))))
      .orderBy(asc(p.createdAt));
    let added = 0;
    for (const { plan, timeZone } of plans) added += await materialiseSessions(tx, plan, timeZone, now);
    return added;
  });
}
