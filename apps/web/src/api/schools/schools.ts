import type {
  EntryBody,
  EntryResult,
  Headcount,
  Identity,
  IdentityBody,
  OpeningSummary,
  Page,
  PlanPreview,
  Pledge,
  SchoolPlan,
  SchoolPlanBody,
  SchoolRegistration,
  SchoolSession,
  SchoolSessionDetail,
  SessionRegisterBody,
  SetPledgeBody,
  StaffRegistration,
} from '@sports/contracts';
import type { Sport } from '@sports/domain';
import { request, requestBlob } from '@/api/shared/http.ts';

const id = (value: string) => encodeURIComponent(value);

// ——— real-name identity ———

export function fetchIdentity(): Promise<Identity> {
  return request('GET', '/me/identity');
}

/** The ID number is sent once, here, and never comes back unmasked. */
export function saveIdentity(body: IdentityBody): Promise<Identity> {
  return request('PUT', '/me/identity', { body });
}

/** Deletes the real-name data; school registrations that have not begun are cancelled. */
export function deleteIdentity(): Promise<void> {
  return request('DELETE', '/me/identity');
}

// ——— safety pledge ———

export function fetchPledge(organisationId: string): Promise<Pledge> {
  return request('GET', `/schools/${id(organisationId)}/pledge`);
}

export function acceptPledge(organisationId: string, version: number): Promise<void> {
  return request('POST', `/schools/${id(organisationId)}/pledge/acceptances`, { body: { version } });
}

/** School staff: publishes a new version of the pledge. */
export function setPledge(organisationId: string, body: SetPledgeBody): Promise<Pledge> {
  return request('PUT', `/schools/${id(organisationId)}/pledge`, { body });
}

// ——— opening plans (school staff, bureau admins) ———

export interface PlanListParams {
  page: number;
  pageSize: number;
  venueId?: string | undefined;
  status?: SchoolPlan['status'] | undefined;
}

export function listPlans(params: PlanListParams): Promise<Page<SchoolPlan>> {
  return request('GET', '/school-plans', { query: { ...params } });
}

export function fetchPlan(planId: string): Promise<SchoolPlan> {
  return request('GET', `/school-plans/${id(planId)}`);
}

export function createPlan(body: SchoolPlanBody): Promise<SchoolPlan> {
  return request('POST', '/school-plans', { body });
}

export function updatePlan(planId: string, body: SchoolPlanBody): Promise<SchoolPlan> {
  return request('PUT', `/school-plans/${id(planId)}`, { body });
}

/** The sessions, holidays and make-up workdays a plan would give; nothing is saved. */
export function previewPlan(body: SchoolPlanBody): Promise<PlanPreview> {
  return request('POST', '/school-plans/preview', { body });
}

export function publishPlan(planId: string): Promise<SchoolPlan> {
  return request('POST', `/school-plans/${id(planId)}/publish`, { body: {} });
}

export function withdrawPlan(planId: string, reason: string): Promise<SchoolPlan> {
  return request('POST', `/school-plans/${id(planId)}/withdraw`, { body: { reason } });
}

// ——— sessions ———

export interface SessionListParams {
  city: string;
  page: number;
  pageSize: number;
  district?: string | undefined;
  sport?: Sport | undefined;
  date?: string | undefined;
  venueId?: string | undefined;
}

/** Public: open sessions in the registration window, with the places left. */
export function listSessions(params: SessionListParams): Promise<Page<SchoolSession>> {
  return request('GET', '/school-sessions', { query: { ...params } });
}

/** One session; signed in, with the resident's own active registration for it (`myRegistration`). */
export function fetchSession(sessionId: string): Promise<SchoolSessionDetail> {
  return request('GET', `/school-sessions/${id(sessionId)}`);
}

export interface ManagedSessionParams {
  page: number;
  pageSize: number;
  venueId?: string | undefined;
  planId?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
}

/** Staff: the sessions of the schools they manage, open or closed. */
export function listManagedSessions(params: ManagedSessionParams): Promise<Page<SchoolSession>> {
  return request('GET', '/school-sessions/managed', { query: { ...params } });
}

/** Registers the resident and the children they bring; the same key on a retry never registers twice. */
export function registerForSession(sessionId: string, body: SessionRegisterBody, idempotencyKey: string): Promise<SchoolRegistration> {
  return request('POST', `/school-sessions/${id(sessionId)}/registrations`, { body, headers: { 'Idempotency-Key': idempotencyKey } });
}

export function closeSession(sessionId: string, reason: string): Promise<SchoolSession> {
  return request('POST', `/school-sessions/${id(sessionId)}/close`, { body: { reason } });
}

export function listSessionRegistrations(sessionId: string, params: { page: number; pageSize: number }): Promise<Page<StaffRegistration>> {
  return request('GET', `/school-sessions/${id(sessionId)}/registrations`, { query: { ...params } });
}

/** The registrations as CSV (UTF-8 with BOM, masked like the table). */
export function fetchSessionRegistrationsCsv(sessionId: string): Promise<Blob> {
  return requestBlob(`/school-sessions/${id(sessionId)}/registrations.csv`);
}

export function fetchHeadcount(sessionId: string): Promise<Headcount> {
  return request('GET', `/school-sessions/${id(sessionId)}/headcount`);
}

// ——— the resident's registrations ———

export function listMyRegistrations(params: { when: 'upcoming' | 'past'; page: number; pageSize: number }): Promise<Page<SchoolRegistration>> {
  return request('GET', '/school-registrations', { query: params });
}

export function cancelRegistration(registrationId: string): Promise<SchoolRegistration> {
  return request('POST', `/school-registrations/${id(registrationId)}/cancel`, { body: {} });
}

// ——— the gate ———

export function recordEntry(body: EntryBody): Promise<EntryResult> {
  return request('POST', '/school-entries', { body });
}

// ——— the bureau's view ———

export function fetchOpeningSummary(city: string): Promise<OpeningSummary> {
  return request('GET', '/school-opening/summary', { query: { city } });
}
