import { asc, count, eq, sql } from 'drizzle-orm';
import type { EntryBody, EntryResult, Headcount, Page, StaffRegistration } from '@sports/contracts';
import { schema, type Db, type Queryable } from '@sports/db';
import { maskPhone, withinEntryWindow } from '@sports/domain';
import type { Actor } from '../shared/actor.ts';
import { DomainError } from '../shared/errors.ts';
import type { ReservationSecrets } from '../booking/reservation-rows.ts';
import { loadSession, managedSession, reg, s, toSession } from './registration-rows.ts';
import { codeFromScan } from '../shared/signed-codes.ts';

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
  const code = codeFromScan('school_entry', body.code, secrets.qrKey);
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
