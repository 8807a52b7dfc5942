import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { effectScope, ref } from 'vue';
import { flushPromises } from '@vue/test-utils';
import type { Asset, IssuedOpen311Client, Open311Client, TicketDetail, TicketSummary } from '@sports/contracts';
import {
  assetProblems,
  createAssetBody,
  emptyAssetDraft,
  assetDraftOf,
  statusBody,
  statusProblems,
  updateAssetBody,
} from '@/lib/repairs/asset-rules.ts';
import {
  dueIn,
  dueText,
  emptyMoveDraft,
  moveBody,
  moveFields,
  moveNeedsDialog,
  moveProblems,
  requiredMoveFields,
  slaProblems,
} from '@/lib/repairs/ticket-rules.ts';
import { openLabelSheet } from '@/composables/repairs/useAssetRegistry.ts';
import { useOpen311Clients } from '@/composables/repairs/useOpen311Clients.ts';
import { useRepairTicket } from '@/composables/repairs/useRepairTicket.ts';
import { ticketCodeProblem, useTicketQueue } from '@/composables/repairs/useTicketQueue.ts';
import { useTicketSla } from '@/composables/repairs/useTicketSla.ts';
import { i18n, setLocale } from '@/modules/i18n.ts';
import { json, pathOf, problem, stubFetch } from './fetch-stub.ts';

const TICKET_ID = '00000000-0000-4000-8000-0000000000a1';
const VENUE_ID = '00000000-0000-4000-8000-0000000000b1';
const ORG_ID = '00000000-0000-4000-8000-000000000002';

const summary: TicketSummary = {
  id: TICKET_ID,
  code: 'ABCD2345',
  state: 'accepted',
  priority: 'normal',
  category: 'basketball_hoop',
  fault: 'rim_loose',
  faultName: { zh: '篮筐松动', en: 'Loose rim' },
  description: '',
  organisationId: ORG_ID,
  organisationName: '场馆运营公司',
  venue: { id: VENUE_ID, name: '郑州市体育馆' },
  asset: { code: 'HOOP2345', name: '1号场东侧篮球架' },
  resourceName: '1号场',
  lat: 34.7,
  lng: 113.6,
  dueAt: '2026-11-28T10:45:00.000Z',
  overdue: false,
  assigneeId: null,
  meTooCount: 0,
  createdAt: '2026-11-25T10:45:00.000Z',
  updatedAt: '2026-11-25T10:45:00.000Z',
};
const detail: TicketDetail = {
  ...summary,
  source: 'app',
  duplicateOf: null,
  resolvedAt: null,
  closedAt: null,
  rating: null,
  escalatedAt: null,
  reporterPhone: null,
  mine: false,
  following: false,
  meTooByMe: false,
  roles: ['dispatcher'],
  moves: ['mark_duplicate', 'transfer', 'dispatch'],
  photos: [],
  timeline: [],
};

beforeEach(() => setLocale('zh-CN'));
afterEach(() => {
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

describe('what each workflow move asks for', () => {
  it('follows the workflow table: a reason to reject, hold, transfer or reopen; a technician to dispatch; the original for a duplicate', () => {
    expect(requiredMoveFields('reject')).toEqual(['reason']);
    expect(requiredMoveFields('hold')).toEqual(['reason']);
    expect(requiredMoveFields('reopen')).toEqual(['reason']);
    expect(requiredMoveFields('transfer')).toEqual(['reason', 'targetOrganisationId']);
    expect(requiredMoveFields('dispatch')).toEqual(['assigneeId']);
    expect(requiredMoveFields('mark_duplicate')).toEqual(['originalId']);
    expect(requiredMoveFields('resolve')).toEqual([]);
    expect(moveFields('accept')).toEqual(['priority']);
    expect(moveFields('resolve')).toEqual(['reason']);
  });

  it('starts, resumes and closes at once; everything that needs an answer or an after-photo opens a dialog', () => {
    expect(['start', 'resume', 'close'].filter((move) => moveNeedsDialog(move as 'start'))).toEqual([]);
    for (const move of ['accept', 'reject', 'mark_duplicate', 'transfer', 'dispatch', 'hold', 'resolve', 'reopen'] as const) {
      expect(moveNeedsDialog(move), move).toBe(true);
    }
  });

  it('refuses a missing or one-letter reason and a missing choice before anything is sent', () => {
    const draft = { ...emptyMoveDraft(), reason: ' 修 ' };
    expect(moveProblems('transfer', draft)).toEqual({ reason: 'reasonRequired', targetOrganisationId: 'targetRequired' });
    expect(moveProblems('dispatch', { ...draft, assigneeId: 'tech' }), 'a dispatch needs no reason').toEqual({});
    expect(moveProblems('dispatch', emptyMoveDraft())).toEqual({ assigneeId: 'assigneeRequired' });
    expect(moveProblems('mark_duplicate', emptyMoveDraft())).toEqual({ originalId: 'originalRequired' });
    expect(moveProblems('resolve', { ...emptyMoveDraft(), reason: 'x'.repeat(501) })).toEqual({ reason: 'reasonLength' });
    expect(moveProblems('resolve', emptyMoveDraft())).toEqual({});
  });

  it('sends only what the move takes, trimmed', () => {
    const draft = { reason: '  等待配件  ', assigneeId: 'tech', originalId: 'orig', targetOrganisationId: 'org', priority: 'urgent' as const };
    expect(moveBody('hold', draft)).toEqual({ move: 'hold', reason: '等待配件' });
    expect(moveBody('dispatch', draft)).toEqual({ move: 'dispatch', assigneeId: 'tech' });
    expect(moveBody('accept', draft)).toEqual({ move: 'accept', priority: 'urgent' });
    expect(moveBody('start', draft)).toEqual({ move: 'start' });
    expect(moveBody('resolve', { ...draft, reason: ' ' })).toEqual({ move: 'resolve' });
  });
});

describe('due times', () => {
  const now = new Date('2026-11-25T10:45:00.000Z');
  const t = i18n.global.t as (key: string, values: Record<string, unknown>) => string;

  it('says how long is left, in the largest unit worth saying', () => {
    expect(dueText(dueIn('2026-11-28T12:45:00.000Z', now), t)).toBe('剩 3 天 2 小时');
    expect(dueText(dueIn('2026-11-25T15:15:00.000Z', now), t)).toBe('剩 4 小时 30 分');
    expect(dueText(dueIn('2026-11-25T10:52:30.000Z', now), t)).toBe('剩 7 分钟');
  });

  it('says how long past due an overdue ticket is', () => {
    expect(dueIn('2026-11-24T09:45:00.000Z', now)).toEqual({ overdue: true, days: 1, hours: 1, minutes: 0 });
    expect(dueText(dueIn('2026-11-24T09:45:00.000Z', now), t)).toBe('超时 1 天 1 小时');
  });
});

describe('the repair promise', () => {
  it('takes whole hours from 1 to 720, and never promises an urgent fix slower than a normal one', () => {
    expect(slaProblems({ urgent: '24', normal: '72', low: '168' })).toEqual({});
    expect(slaProblems({ urgent: '0', normal: '1.5', low: '721' })).toEqual({ urgent: 'hoursRange', normal: 'hoursRange', low: 'hoursRange' });
    expect(slaProblems({ urgent: '', normal: '72', low: '168' })).toEqual({ urgent: 'hoursRange' });
    expect(slaProblems({ urgent: '96', normal: '72', low: '168' })).toEqual({ urgent: 'urgentAfterNormal' });
    expect(slaProblems({ urgent: '24', normal: '200', low: '168' })).toEqual({ normal: 'normalAfterLow' });
  });

  it('sends nothing while the hours are wrong, and puts the server’s refusal on the field it names', async () => {
    const seen = stubFetch((request) => {
      if (request.method === 'GET') return json(200, { urgent: 24, normal: 72, low: 168 });
      return problem(400, 'VALIDATION_FAILED', '提交的内容有误，请检查标出的字段。', { errors: [{ field: 'low', message: '不能超过 720' }] });
    });
    const scope = effectScope();
    const sla = scope.run(() => useTicketSla(ref(ORG_ID)))!;
    await flushPromises();
    expect(sla.draft).toEqual({ urgent: '24', normal: '72', low: '168' });
    sla.draft.urgent = '100';
    expect(await sla.save()).toBe(false);
    expect(sla.errors.urgent).toBe('紧急报修的时限不能长于普通报修');
    expect(seen.filter((r) => r.method === 'PUT')).toEqual([]);
    sla.draft.urgent = '12';
    expect(await sla.save()).toBe(false);
    expect(seen.find((r) => r.method === 'PUT')?.body).toEqual({ urgent: 12, normal: 72, low: 168 });
    expect(sla.errors).toEqual({ low: '不能超过 720' });
    expect(sla.formError.value).toBe('请检查标出的字段。');
    scope.stop();
  });
});

describe('the repair queue', () => {
  it('finds a ticket by its code typed in any case, and says no to a code no ticket’s can begin with before asking', async () => {
    expect(ticketCodeProblem({ code: '' })).toBe(false);
    expect(ticketCodeProblem({ code: ' abc ' })).toBe(false);
    expect(ticketCodeProblem({ code: 'ab' })).toBe(true);
    expect(ticketCodeProblem({ code: 'OIL' })).toBe(true);
    const seen = stubFetch(() => json(200, { items: [summary], page: 1, pageSize: 20, total: 1 }));
    const queue = effectScope().run(() => useTicketQueue())!;
    queue.filter.code = ' abcd2345 ';
    await queue.search();
    expect(seen.map((r) => r.path)).toEqual(['/api/v1/tickets?page=1&pageSize=20&code=ABCD2345']);
    expect(queue.searchedCode.value).toBe('ABCD2345');
    queue.filter.code = '';
    await queue.search();
    expect(seen[1]?.path).toBe('/api/v1/tickets?page=1&pageSize=20');
    expect(queue.searchedCode.value).toBe('');
  });
});

describe('one ticket on the staff desk', () => {
  function open(respond: Parameters<typeof stubFetch>[0]) {
    const seen = stubFetch(respond);
    const scope = effectScope();
    const desk = scope.run(() => useRepairTicket(ref<string | null>(TICKET_ID)))!;
    return { desk, seen, scope };
  }

  it('shows the server’s answer after a move, and turns “upload an after-photo first” into the message', async () => {
    const { desk, seen, scope } = open((request) => {
      if (pathOf(request).endsWith('/moves')) {
        const body = request.body as { move: string };
        if (body.move === 'resolve') {
          return problem(400, 'VALIDATION_FAILED', '提交的内容有误，请检查标出的字段。', { errors: [{ field: 'afterPhoto', message: '请先上传维修后的照片' }] });
        }
        return json(200, { ...detail, state: 'dispatched', assigneeId: 'tech', moves: ['start'] });
      }
      return json(200, detail);
    });
    await flushPromises();
    expect(desk.ticket.value?.moves).toEqual(['mark_duplicate', 'transfer', 'dispatch']);
    await desk.move({ move: 'dispatch', assigneeId: 'tech' });
    expect(desk.ticket.value).toMatchObject({ state: 'dispatched', moves: ['start'] });
    await expect(desk.move({ move: 'resolve' })).rejects.toMatchObject({ detail: '请先上传维修后的照片', fields: {} });
    expect(seen.filter((r) => pathOf(r).endsWith('/moves')).map((r) => r.body)).toEqual([{ move: 'dispatch', assigneeId: 'tech' }, { move: 'resolve' }]);
    scope.stop();
  });

  it('when someone else moved the ticket first, says so and shows it as it now stands', async () => {
    let reads = 0;
    const { desk, scope } = open((request) => {
      if (pathOf(request).endsWith('/moves')) return problem(409, 'ILLEGAL_TRANSITION', '报修单当前状态不能进行此操作。');
      reads += 1;
      return json(200, reads === 1 ? { ...detail, state: 'dispatched', moves: ['start'] } : { ...detail, state: 'in_progress', moves: ['hold', 'resolve'] });
    });
    await flushPromises();
    expect(await desk.quickMove({ move: 'start' })).toBe('报修单当前状态不能进行此操作。');
    expect(desk.ticket.value).toMatchObject({ state: 'in_progress', moves: ['hold', 'resolve'] });
    scope.stop();
  });

  it('offers as originals the open tickets nearby and at the venue, never the ticket itself nor a rejected one, each once', async () => {
    const near = { ...summary, id: 'near', code: 'NEAR2345', distanceMeters: 12 };
    const atVenue = { ...summary, id: 'venue', code: 'VENU2345' };
    const rejected = { ...summary, id: 'rejected', state: 'rejected' };
    const { desk, seen, scope } = open((request) => {
      const path = pathOf(request);
      if (path === '/api/v1/tickets/suggestions') return json(200, [near, { ...summary, distanceMeters: 0 }]);
      if (path === '/api/v1/tickets') return json(200, { items: [summary, near, atVenue, rejected], page: 1, pageSize: 50, total: 4 });
      return json(200, detail);
    });
    await flushPromises();
    await desk.originals.load();
    expect(desk.originals.items.value.map((t) => t.id)).toEqual(['near', 'venue']);
    expect(seen.find((r) => pathOf(r) === '/api/v1/tickets/suggestions')?.path).toContain('category=basketball_hoop');
    expect(seen.find((r) => pathOf(r) === '/api/v1/tickets')?.path).toContain(`venueId=${VENUE_ID}`);
    scope.stop();
  });

  it('does not upload a file the browser cannot read as an image, and says why', async () => {
    const { desk, seen, scope } = open(() => json(200, { ...detail, state: 'in_progress' }));
    await flushPromises();
    expect(await desk.uploadAfterPhoto(new File(['not an image'], 'notes.txt', { type: 'text/plain' }))).toBe(false);
    expect(desk.photoError.value).toBe('无法读取该图片，请换一张照片。');
    expect(seen.filter((r) => r.method === 'POST')).toEqual([]);
    scope.stop();
  });

  it('a ticket that does not exist (or is not the caller’s to see) is shown as not found', async () => {
    const { desk, scope } = open(() => problem(404, 'NOT_FOUND', '未找到相关内容。'));
    await flushPromises();
    expect(desk.notFound.value).toBe(true);
    expect(desk.ticket.value).toBeNull();
    scope.stop();
  });
});

describe('the equipment register', () => {
  const asset: Asset = {
    id: 'asset-1',
    code: 'HOOP2345',
    labelUrl: 'http://localhost/r/HOOP2345',
    venueId: VENUE_ID,
    venueName: '郑州市体育馆',
    organisationId: ORG_ID,
    resourceId: 'court-1',
    resourceName: '1号场',
    type: 'basketball_hoop',
    name: '1号场东侧篮球架',
    installDate: '2023-11-25',
    serviceLifeYears: 8,
    warrantyUntil: '2025-11-25',
    serviceLifeEnds: '2031-11-25',
    serviceLife: 'warranty_expired',
    status: 'ok',
    expectedFixDate: null,
    lat: null,
    lng: null,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
  };
  const venue = { lat: 34.75, lng: 113.62 };

  it('checks a new asset with the API’s rules before sending it', () => {
    const draft = { ...emptyAssetDraft(VENUE_ID), name: '  ', installDate: '2026-12-01', serviceLifeYears: '0', warrantyUntil: '2026-11-01', lat: '34.75' };
    expect(assetProblems(draft, venue, '2026-11-25')).toEqual({
      type: 'typeRequired',
      name: 'nameRequired',
      serviceLifeYears: 'yearsRange',
      installDate: 'installed_in_future',
      warrantyUntil: 'warranty_before_install',
      lng: 'position_incomplete',
    });
    const far = { ...emptyAssetDraft(VENUE_ID), type: 'walker' as const, name: '漫步机', installDate: '2026-01-01', lat: '35.0', lng: '113.62' };
    expect(assetProblems(far, venue, '2026-11-25')).toEqual({ lat: 'too_far_from_venue' });
    const good = { ...far, lat: '34.7502', lng: '113.6203' };
    expect(assetProblems(good, venue, '2026-11-25')).toEqual({});
    expect(createAssetBody(good)).toEqual({
      venueId: VENUE_ID,
      resourceId: null,
      type: 'walker',
      name: '漫步机',
      installDate: '2026-01-01',
      serviceLifeYears: 8,
      warrantyUntil: null,
      lat: 34.7502,
      lng: 113.6203,
    });
  });

  it('sends only what changed when editing; nothing when nothing did', () => {
    const draft = assetDraftOf(asset);
    expect(updateAssetBody(asset, draft)).toBeNull();
    expect(updateAssetBody(asset, { ...draft, name: ' 1号场东侧篮球架（新） ', resourceId: '' })).toEqual({ name: '1号场东侧篮球架（新）', resourceId: null });
  });

  it('asks a reason for anything but ok, and an expected fix day only when out of service, not in the past', () => {
    expect(statusProblems({ status: 'out_of_service', reason: '', expectedFixDate: '2026-11-20' }, '2026-11-25')).toEqual({
      reason: 'reasonRequired',
      expectedFixDate: 'fixDatePast',
    });
    expect(statusProblems({ status: 'ok', reason: '', expectedFixDate: '' }, '2026-11-25')).toEqual({});
    expect(statusProblems({ status: 'ok', reason: '修', expectedFixDate: '' }, '2026-11-25')).toEqual({ reason: 'reasonRequired' });
    expect(statusBody({ status: 'out_of_service', reason: ' 篮筐脱落 ', expectedFixDate: '2026-11-30' })).toEqual({
      status: 'out_of_service',
      reason: '篮筐脱落',
      expectedFixDate: '2026-11-30',
    });
    expect(statusBody({ status: 'degraded', reason: '篮网破损', expectedFixDate: '2026-11-30' })).toEqual({ status: 'degraded', reason: '篮网破损' });
  });

  it('opens the label sheet, fetched with the bearer token, in the tab opened by the click', async () => {
    const seen = stubFetch(() => new Response('<!doctype html><title>labels</title>', { status: 200, headers: { 'content-type': 'text/html' } }));
    const tab = { location: { href: 'about:blank' }, close: vi.fn() };
    expect(await openLabelSheet(VENUE_ID, () => tab as unknown as Window)).toBeNull();
    expect(pathOf(seen[0]!)).toBe(`/api/v1/venues/${VENUE_ID}/asset-labels`);
    expect(tab.location.href).toMatch(/^blob:/);
    expect(tab.close).not.toHaveBeenCalled();
  });

  it('closes the tab again and says why when the sheet is refused, and says so when the browser blocks the tab', async () => {
    stubFetch(() => problem(403, 'FORBIDDEN', '您无权进行此操作。'));
    const tab = { location: { href: 'about:blank' }, close: vi.fn() };
    expect(await openLabelSheet(VENUE_ID, () => tab as unknown as Window)).toBe('您无权进行此操作。');
    expect(tab.close).toHaveBeenCalled();
    const seen = stubFetch(() => json(200, {}));
    expect(await openLabelSheet(VENUE_ID, () => null)).toBe('浏览器拦截了新标签页，请允许本站弹出窗口后重试。');
    expect(seen).toEqual([]);
  });
});

describe('Open311 clients', () => {
  const client: Open311Client = {
    id: 'client-1',
    name: '12345 热线',
    organisationId: ORG_ID,
    organisationName: '郑州市体育局',
    keyPrefix: 'o311_ab',
    createdAt: '2026-11-25T10:00:00.000Z',
    revokedAt: null,
    requests: 0,
  };

  it('shows a new key once, lists the client without it, and marks a revoked one', async () => {
    const issued: IssuedOpen311Client = { ...client, id: 'client-2', name: '城市运行平台', apiKey: 'o311_secret' };
    stubFetch((request) => {
      if (request.method === 'GET') return json(200, [client]);
      if (pathOf(request).endsWith('/revoke')) return json(200, { ...client, revokedAt: '2026-11-25T11:00:00.000Z' });
      return json(201, issued);
    });
    const clients = useOpen311Clients();
    await clients.load();
    await clients.issue({ name: '城市运行平台' });
    expect(clients.issued.value?.apiKey).toBe('o311_secret');
    expect(clients.clients.value.map((c) => c.id)).toEqual(['client-2', 'client-1']);
    expect(clients.clients.value.some((c) => 'apiKey' in c)).toBe(false);
    clients.dismissIssued();
    expect(clients.issued.value).toBeNull();
    expect(await clients.revoke('client-1')).toBeNull();
    expect(clients.clients.value.find((c) => c.id === 'client-1')?.revokedAt).toBe('2026-11-25T11:00:00.000Z');
  });
});
