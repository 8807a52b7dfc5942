import { eq } from 'drizzle-orm';
import type { SchoolRegistration, SchoolSession } from '@sports/contracts';
import { schema, type Queryable } from '@sports/db';
import { entryWindow, type Sport } from '@sports/domain';
import type { Actor } from '../shared/actor.ts';
import { DomainError } from '../shared/errors.ts';
import { authorize } from '../shared/grants.ts';
import type { ReservationSecrets } from '../booking/reservation-rows.ts';
import { SCHOOL_STAFF } from './school-plans.ts';
import { signedQrText } from '../shared/signed-codes.ts';

export const s = schema.schoolSessions;
export const p = schema.schoolPlans;
export const reg = schema.schoolRegistrations;
export const v = schema.venues;
export const ACTIVE = ['confirmed', 'checked_in', 'checked_out'] as const;
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

export function sessionQuery(db: Queryable) {
  return db
    .select(sessionColumns)
    .from(s)
    .innerJoin(p, eq(p.id, s.planId))
    .innerJoin(v, eq(v.id, s.venueId))
    .innerJoin(schema.venueResources, eq(schema.venueResources.id, s.resourceId))
    .innerJoin(schema.organisations, eq(schema.organisations.id, s.organisationId));
}

export function toSession(row: SessionRow): SchoolSession {
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

export async function loadSession(db: Queryable, id: string): Promise<SessionRow> {
  const [row] = await sessionQuery(db).where(eq(s.id, id));
  if (!row) throw new DomainError('NOT_FOUND');
  return row;
}

/** Open sessions residents can register for: published, not begun, within the window. */
export async function managedSession(db: Queryable, actor: Actor, id: string): Promise<SessionRow> {
  const row = await loadSession(db, id);
  await authorize(db, actor, SCHOOL_STAFF, row.session.organisationId);
  return row;
}

export const registrationColumns = { registration: reg, ...sessionColumns };

export async function loadRegistration(db: Queryable, id: string) {
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

export function toRegistration(row: Awaited<ReturnType<typeof loadRegistration>>, secrets: ReservationSecrets): SchoolRegistration {
  const x = row.registration;
  const window = entryWindow(row.session.startsAt, row.session.endsAt);
  return {
    id: x.id,
    code: x.code,
    qr: signedQrText('school_entry', x.code, secrets.qrKey),
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
