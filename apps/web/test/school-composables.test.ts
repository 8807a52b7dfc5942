import { afterEach, describe, expect, it, vi } from 'vitest';
import { effectScope, nextTick, ref } from 'vue';
import { flushPromises } from '@vue/test-utils';
import type { EntryResult, Identity, Pledge, SchoolRegistration, SchoolSession } from '@sports/contracts';
import { HEADCOUNT_REFRESH_MS, useSchoolGate } from '@/composables/schools/useSchoolGate.ts';
import { useSchoolSession } from '@/composables/schools/useSchoolSession.ts';
import { json, pathOf, problem, stubFetch, type SeenRequest } from './fetch-stub.ts';

const SCHOOL = '00000000-0000-4000-8000-00000000000a';
const session: SchoolSession = {
  id: '00000000-0000-4000-8000-000000000001',
  planId: '00000000-0000-4000-8000-000000000002',
  organisationId: SCHOOL,
  schoolName: '示范中学',
  venueId: '00000000-0000-4000-8000-000000000003',
  venueName: '运动场',
  resourceName: '操场',
  sport: 'athletics',
  cityCode: '410100',
  districtCode: '410105',
  date: '2026-11-25',
  start: '2026-11-25T11:00:00.000Z',
  end: '2026-11-25T13:00:00.000Z',
  capacity: 30,
  taken: 0,
  remaining: 30,
  status: 'open',
  note: null,
  closedReason: null,
  eligibility: 'city',
  allowMinors: true,
};
const consent = { version: '2026-11', text: '说明' };
const noIdentity: Identity = { verified: false, nameMasked: null, idMasked: null, districtCode: null, cityCode: null, consentVersion: null, consentedAt: null, consent };
const verified: Identity = { ...noIdentity, verified: true, nameMasked: '王**', idMasked: '4101**********1604', districtCode: '410105', cityCode: '410100', consentVersion: '2026-11', consentedAt: '2026-11-25T10:00:00.000Z' };
const pledge: Pledge = { organisationId: SCHOOL, schoolName: '示范中学', version: 2, title: '安全承诺书', body: '……', createdAt: '2026-11-01T00:00:00.000Z', accepted: false };
const registration = { id: 'r1', code: 'AB12CD34', qr: 'qr-text', status: 'confirmed', partySize: 2, session } as unknown as SchoolRegistration;

afterEach(() => {
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

function isRegistration(request: SeenRequest): boolean {
  return request.method === 'POST' && pathOf(request).endsWith('/registrations');
}

async function openSession(answers: { identity: Identity; pledge: Pledge | null; register?: (request: SeenRequest) => Response | Promise<Response> }) {
  const seen = stubFetch((request) => {
    const path = pathOf(request);
    if (path === `/api/v1/school-sessions/${session.id}`) return json(200, session);
    if (path === '/api/v1/me/identity') return json(200, answers.identity);
    if (path === `/api/v1/schools/${SCHOOL}/pledge`) return answers.pledge ? json(200, answers.pledge) : problem(404, 'NOT_FOUND', '未找到相关内容。');
    if (path === `/api/v1/schools/${SCHOOL}/pledge/acceptances`) return new Response(null, { status: 204 });
    if (isRegistration(request) && answers.register) return answers.register(request);
    return problem(500, 'INTERNAL', 'unexpected');
  });
  const page = useSchoolSession(ref(session.id), () => true);
  await flushPromises();
  return { page, seen };
}

describe('a school session’s sign-up', () => {
  it('asks for the real name first, then the pledge, and is ready once both are done', async () => {
    expect((await openSession({ identity: noIdentity, pledge })).page.nextStep()).toBe('identity');
    const { page, seen } = await openSession({ identity: verified, pledge });
    expect(page.nextStep()).toBe('pledge');
    expect(await page.accept()).toBeNull();
    expect(seen.find((r) => pathOf(r).endsWith('/acceptances'))?.body).toEqual({ version: 2 });
    expect(page.nextStep()).toBe('ready');
  });

  it('needs no pledge at a school that has none', async () => {
    expect((await openSession({ identity: verified, pledge: null })).page.nextStep()).toBe('ready');
  });

  it('sends the party with an Idempotency-Key, and the same key again after a lost answer', async () => {
    let attempts = 0;
    const { page, seen } = await openSession({
      identity: verified,
      pledge: null,
      register: () => (++attempts === 1 ? Promise.reject(new TypeError('network down')) : json(201, registration)),
    });
    expect(await page.register([{ name: '小明', age: '8' }])).toBeNull();
    expect(page.refusal.value).not.toBe('');
    expect(await page.register([{ name: '小明', age: '8' }])).toEqual(registration);
    const sent = seen.filter(isRegistration);
    expect(sent.map((r) => r.body)).toEqual([
      { partySize: 2, minors: [{ name: '小明', age: 8 }] },
      { partySize: 2, minors: [{ name: '小明', age: 8 }] },
    ]);
    expect(sent[0]!.headers['Idempotency-Key']).toMatch(/^[\w.:-]{8,100}$/);
    expect(sent[1]!.headers['Idempotency-Key']).toBe(sent[0]!.headers['Idempotency-Key']);
    expect(page.registered.value).toEqual(registration);
  });

  it('reloads the pledge when the school published a new version meanwhile', async () => {
    const { page, seen } = await openSession({
      identity: verified,
      pledge: { ...pledge, accepted: true },
      register: () => problem(422, 'PLEDGE_REQUIRED', '请先阅读并同意该校的安全承诺书（第 3 版）。'),
    });
    const before = seen.filter((r) => pathOf(r).endsWith('/pledge')).length;
    expect(await page.register([])).toBeNull();
    expect(page.refusal.value).toBe('请先阅读并同意该校的安全承诺书（第 3 版）。');
    expect(seen.filter((r) => pathOf(r).endsWith('/pledge')).length).toBe(before + 1);
  });
});

describe('a school session the resident has registered for', () => {
  const held = {
    id: 'r1',
    code: 'AB12CD34',
    qr: 'qr-text',
    status: 'confirmed' as const,
    partySize: 2,
    entryOpens: '2026-11-25T10:30:00.000Z',
    entryCloses: '2026-11-25T13:00:00.000Z',
  };

  it('knows it from the session answer, so a reload still shows the entry code; cancelling reads the session again', async () => {
    let cancelled = false;
    const seen = stubFetch((request) => {
      const path = pathOf(request);
      if (path === `/api/v1/school-sessions/${session.id}`) return json(200, { ...session, myRegistration: cancelled ? null : held });
      if (path === '/api/v1/me/identity') return json(200, verified);
      if (path === `/api/v1/schools/${SCHOOL}/pledge`) return json(200, { ...pledge, accepted: true });
      if (request.method === 'POST' && path === '/api/v1/school-registrations/r1/cancel') {
        cancelled = true;
        return json(200, { ...registration, status: 'cancelled' });
      }
      return problem(500, 'INTERNAL', 'unexpected');
    });
    const page = useSchoolSession(ref(session.id), () => true);
    await flushPromises();
    expect(page.mine.value).toEqual(held);
    expect(page.registered.value).toBeNull();
    expect(await page.cancel()).toBeNull();
    expect(seen.filter((r) => pathOf(r) === `/api/v1/school-sessions/${session.id}`)).toHaveLength(2);
    expect(page.mine.value).toBeNull();
  });

  it('has none without an account or before registering, and one as soon as the registration is made', async () => {
    const { page } = await openSession({ identity: verified, pledge: null, register: () => json(201, registration) });
    expect(page.mine.value).toBeNull();
    await page.register([]);
    expect(page.mine.value).toMatchObject({ id: 'r1', code: 'AB12CD34', qr: 'qr-text', status: 'confirmed', partySize: 2 });
  });

  it('shows the server’s refusal to cancel and keeps the registration', async () => {
    stubFetch((request) => {
      const path = pathOf(request);
      if (path === `/api/v1/school-sessions/${session.id}`) return json(200, { ...session, myRegistration: held });
      if (path === '/api/v1/me/identity') return json(200, verified);
      if (path === `/api/v1/schools/${SCHOOL}/pledge`) return json(200, { ...pledge, accepted: true });
      if (request.method === 'POST') return problem(409, 'NOT_CANCELLABLE', '场次已开始，不能取消。');
      return problem(500, 'INTERNAL', 'unexpected');
    });
    const page = useSchoolSession(ref(session.id), () => true);
    await flushPromises();
    expect(await page.cancel()).toBe('场次已开始，不能取消。');
    expect(page.mine.value).toEqual(held);
  });
});

describe('the school gate', () => {
  const entry: EntryResult = {
    registration: {
      id: 'r1',
      code: 'AB12CD34',
      status: 'checked_in',
      partySize: 1,
      minorAges: [],
      nameMasked: '王**',
      idMasked: '4101**********1604',
      phoneMasked: '138****0160',
      createdAt: '2026-11-25T10:00:00.000Z',
      checkedInAt: '2026-11-25T10:50:00.000Z',
      checkedOutAt: null,
    },
    session,
    headcount: { sessionId: session.id, capacity: 30, registered: 1, present: 1, left: 0 },
  };

  it('records the direction chosen, follows the session of the last person through, and refreshes its headcount', async () => {
    vi.useFakeTimers();
    const seen = stubFetch((request) => {
      const path = pathOf(request);
      if (path === '/api/v1/school-entries') return json(200, entry);
      if (path === `/api/v1/school-sessions/${session.id}/headcount`) return json(200, { ...entry.headcount, present: 0, left: 1 });
      return problem(500, 'INTERNAL', 'unexpected');
    });
    const scope = effectScope();
    const gate = scope.run(() => useSchoolGate())!;
    gate.direction.value = 'in';
    await gate.submit('  AB12CD34 ');
    expect(seen[0]!.body).toEqual({ code: 'AB12CD34', direction: 'in' });
    expect(gate.watched.value?.id).toBe(session.id);
    expect(gate.headcount.value?.present).toBe(1);
    expect(gate.resultDirection.value).toBe('in');

    gate.startRefreshing();
    await vi.advanceTimersByTimeAsync(HEADCOUNT_REFRESH_MS);
    expect(gate.headcount.value).toMatchObject({ present: 0, left: 1 });
    scope.stop();
    const asked = seen.length;
    await vi.advanceTimersByTimeAsync(HEADCOUNT_REFRESH_MS * 2);
    await nextTick();
    expect(seen.length).toBe(asked);
  });

  it('shows the server’s refusal', async () => {
    stubFetch(() => problem(422, 'ENTRY_WINDOW', '入校码仅在场次开始前 30 分钟至结束前有效。'));
    const scope = effectScope();
    const gate = scope.run(() => useSchoolGate())!;
    await gate.submit('AB12CD34');
    expect(gate.result.value).toBeNull();
    expect(gate.refusal.value).toBe('入校码仅在场次开始前 30 分钟至结束前有效。');
    scope.stop();
  });
});
