import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { effectScope, ref } from 'vue';
import { flushPromises } from '@vue/test-utils';
import type { PublicAsset, TicketDetail, TicketEvent } from '@sports/contracts';
import { ApiError, connectSession } from '@/api/shared/http.ts';
import { UnreadableImageError } from '@/lib/shared/compress-image.ts';
import {
  canRate,
  emptyReportDraft,
  eventKey,
  faultChoicesOf,
  photosThatFit,
  reopenReasonProblem,
  reportBody,
  reporterMoves,
  reportProblems,
  residentTimeline,
  suggestionsQuery,
  type ReportPlace,
} from '@/lib/repairs/report-rules.ts';
import { pointFromQuery } from '@/lib/repairs/report-point.ts';
import { useAssetReport } from '@/composables/repairs/useAssetReport.ts';
import { useRepairReport } from '@/composables/repairs/useRepairReport.ts';
import { useReportPhotos } from '@/composables/repairs/useReportPhotos.ts';
import { json, pathOf, problem, stubFetch, type SeenRequest } from './fetch-stub.ts';

const VENUE = '00000000-0000-4000-8000-000000000001';
const COURT = '00000000-0000-4000-8000-000000000002';
const TICKET = '00000000-0000-4000-8000-0000000000aa';
const RIDER_FAULTS = faultChoicesOf('rider');
const atAsset: ReportPlace = { kind: 'asset', assetCode: 'S4B654VQ' };
const atVenue: ReportPlace = { kind: 'venue', venueId: VENUE, resourceId: COURT, at: { lat: 34.8, lng: 113.3 } };
const atPoint: ReportPlace = { kind: 'point', at: { lat: 34.7466, lng: 113.6254 } };

const ticket = {
  id: TICKET,
  code: '3FQ428JE',
  state: 'submitted',
  dueAt: '2026-11-28T10:45:00.000Z',
  meTooCount: 0,
  photos: [],
  timeline: [],
} as unknown as TicketDetail;

function event(kind: string, internal = false): TicketEvent {
  return { id: 1, at: '2026-11-25T10:45:00.000Z', kind, fromState: null, toState: null, note: '', internal, byStaff: true };
}

function isReport(request: SeenRequest): boolean {
  return request.method === 'POST' && pathOf(request) === '/api/v1/tickets';
}

function isUpload(request: SeenRequest): boolean {
  return request.method === 'POST' && pathOf(request) === `/api/v1/tickets/${TICKET}/photos`;
}

afterEach(() => {
  vi.unstubAllGlobals();
  connectSession({ accessToken: () => null, refresh: async () => false, expired: () => {} });
});

describe('the report form’s rules', () => {
  it('asks a signed-in resident for the fault only, and a visitor also for a mobile number', () => {
    const draft = { ...emptyReportDraft('rider') };
    expect(reportProblems(draft, RIDER_FAULTS, true)).toEqual({ fault: 'report.errors.faultRequired' });
    expect(reportProblems({ ...draft, fault: 'pedal_loose' }, RIDER_FAULTS, true)).toEqual({});
    expect(reportProblems({ ...draft, fault: 'pedal_loose' }, RIDER_FAULTS, false)).toEqual({ phone: 'report.errors.phoneRequired' });
    expect(reportProblems({ ...draft, fault: 'pedal_loose', phone: '1380000' }, RIDER_FAULTS, false)).toEqual({ phone: 'validation.phoneInvalid' });
    expect(reportProblems({ ...draft, fault: 'pedal_loose', phone: '13800000179' }, RIDER_FAULTS, false)).toEqual({});
  });

  it('refuses a fault of another kind of equipment, a missing kind, and more than 500 characters of description', () => {
    expect(reportProblems({ ...emptyReportDraft('rider'), fault: 'rim_loose' }, RIDER_FAULTS, true).fault).toBe('report.errors.faultRequired');
    expect(reportProblems(emptyReportDraft(), faultChoicesOf(''), true)).toEqual({
      category: 'report.errors.categoryRequired',
      fault: 'report.errors.faultRequired',
    });
    const long = { ...emptyReportDraft('rider'), fault: 'other', description: '坏'.repeat(501) };
    expect(reportProblems(long, RIDER_FAULTS, true)).toEqual({ description: 'report.errors.descriptionLength' });
    // Surrounding spaces are not sent, so they do not count.
    expect(reportProblems({ ...long, description: ` ${'坏'.repeat(500)}  ` }, RIDER_FAULTS, true)).toEqual({});
  });

  it('sends exactly one kind of place, the trimmed description when there is one, and the phone only without an account', () => {
    const draft = { category: 'lighting' as const, fault: 'light_out', description: '  两盏灯不亮 ', phone: ' 13800000179 ' };
    expect(reportBody(atAsset, draft, true)).toEqual({ assetCode: 'S4B654VQ', category: 'lighting', fault: 'light_out', description: '两盏灯不亮' });
    expect(reportBody(atVenue, { ...draft, description: '   ' }, false)).toEqual({
      venueId: VENUE,
      resourceId: COURT,
      category: 'lighting',
      fault: 'light_out',
      phone: '13800000179',
    });
    expect(reportBody({ ...atVenue, resourceId: null }, draft, true)).not.toHaveProperty('resourceId');
    expect(reportBody(atPoint, draft, true)).toMatchObject({ lat: 34.7466, lng: 113.6254 });
  });

  it('looks for duplicates by the asset, or by the point once the kind of equipment is known', () => {
    expect(suggestionsQuery(null, 'lighting')).toBeNull();
    expect(suggestionsQuery(atAsset, '')).toEqual({ assetCode: 'S4B654VQ' });
    expect(suggestionsQuery(atVenue, '')).toBeNull();
    expect(suggestionsQuery(atVenue, 'lighting')).toEqual({ lat: 34.8, lng: 113.3, category: 'lighting' });
  });

  it('reads the map’s point from the address only when both numbers are on the globe', () => {
    expect(pointFromQuery('34.7466', '113.6254')).toEqual({ lat: 34.7466, lng: 113.6254 });
    expect(pointFromQuery('34.7', undefined)).toBeNull();
    expect(pointFromQuery('', '113')).toBeNull();
    expect(pointFromQuery('north', '113')).toBeNull();
    expect(pointFromQuery('91', '113')).toBeNull();
    expect(pointFromQuery(['34'], '113')).toBeNull();
  });

  it('keeps at most four photos', () => {
    expect(photosThatFit(0, 6)).toBe(4);
    expect(photosThatFit(3, 2)).toBe(1);
    expect(photosThatFit(4, 1)).toBe(0);
  });
});

describe('the ticket as residents see it', () => {
  it('never shows a staff-only note, and labels unknown entries as progress', () => {
    expect(residentTimeline([event('report'), event('note', true), event('accept')]).map((e) => e.kind)).toEqual(['report', 'accept']);
    expect(eventKey('resolve')).toBe('resolve');
    expect(eventKey('something_new')).toBe('other');
  });

  it('lets the reporter rate once it is fixed, once', () => {
    expect(canRate({ mine: true, rating: null, state: 'resolved' })).toBe(true);
    expect(canRate({ mine: true, rating: null, state: 'closed' })).toBe(true);
    expect(canRate({ mine: true, rating: 4, state: 'resolved' })).toBe(false);
    expect(canRate({ mine: true, rating: null, state: 'in_progress' })).toBe(false);
    expect(canRate({ mine: false, rating: null, state: 'resolved' })).toBe(false);
  });

  it('offers the reporter only their own moves the server allows', () => {
    expect(reporterMoves({ roles: ['reporter'], moves: ['close', 'reopen'] })).toEqual(['close', 'reopen']);
    // Staff who also reported it see their staff moves in the console, not here.
    expect(reporterMoves({ roles: ['reporter', 'dispatcher'], moves: ['reject', 'close', 'reopen'] })).toEqual(['close', 'reopen']);
    expect(reporterMoves({ roles: ['dispatcher'], moves: ['close', 'reopen'] })).toEqual([]);
  });

  it('asks for 2–500 characters to reopen', () => {
    expect(reopenReasonProblem(' 坏 ')).toBe('report.ticket.reasonRequired');
    expect(reopenReasonProblem('还是坏的')).toBeNull();
    expect(reopenReasonProblem('坏'.repeat(501))).toBe('report.ticket.reasonLength');
  });
});

describe('sending a report', () => {
  const draft = { category: 'rider' as const, fault: 'pedal_loose', description: '', phone: '13800000179' };
  const image = new Blob(['jpeg'], { type: 'image/jpeg' });

  function reporter(signedIn: boolean, place: ReportPlace = atAsset, category = ref<'' | 'rider' | 'lighting'>('rider')) {
    const scope = effectScope();
    const report = scope.run(() => useRepairReport({ place: () => place, category: () => category.value, signedIn: () => signedIn }))!;
    return { report, category, scope };
  }

  it('uploads a visitor’s photos with the report’s upload token and no session', async () => {
    const seen = stubFetch((request) => {
      if (isReport(request)) return json(201, { ...ticket, uploadToken: 'upload-token-1' });
      if (isUpload(request)) return json(201, { id: 'p', kind: 'report' });
      return problem(500, 'INTERNAL', 'unexpected');
    });
    const { report } = reporter(false);
    const outcome = await report.send(draft, [image, image]);
    expect(seen.find(isReport)?.body).toEqual({ assetCode: 'S4B654VQ', category: 'rider', fault: 'pedal_loose', phone: '13800000179' });
    const uploads = seen.filter(isUpload);
    expect(uploads).toHaveLength(2);
    expect(uploads[0]!.path).toBe(`/api/v1/tickets/${TICKET}/photos?kind=report`);
    expect(uploads.map((u) => u.headers['X-Report-Token'])).toEqual(['upload-token-1', 'upload-token-1']);
    expect(uploads.every((u) => u.headers.Authorization === undefined)).toBe(true);
    expect(outcome).toMatchObject({ photosSent: 2, photosFailed: null });
  });

  it('says so when a visitor’s report comes back without an upload token, and sends no photo', async () => {
    const seen = stubFetch((request) => (isReport(request) ? json(201, ticket) : problem(500, 'INTERNAL', 'unexpected')));
    const outcome = await reporter(false).report.send(draft, [image]);
    expect(seen.filter(isUpload)).toEqual([]);
    expect(outcome.photosFailed).toEqual({ count: 1, detail: null });
  });

  it('uploads a resident’s photos with their session, and reports the server’s refusal of the rest', async () => {
    connectSession({ accessToken: () => 'token-1', refresh: async () => false, expired: () => {} });
    let uploads = 0;
    const seen = stubFetch((request) => {
      if (isReport(request)) return json(201, ticket);
      if (isUpload(request)) return ++uploads === 1 ? json(201, { id: 'p' }) : problem(422, 'TOO_MANY_TICKET_PHOTOS', '每次报修最多 4 张照片。');
      return problem(500, 'INTERNAL', 'unexpected');
    });
    const outcome = await reporter(true).report.send(draft, [image, image, image]);
    expect(seen.find(isReport)?.headers.Authorization).toBe('Bearer token-1');
    expect(seen.find(isReport)?.body).not.toHaveProperty('phone');
    expect(seen.filter(isUpload).map((u) => u.headers.Authorization)).toEqual(['Bearer token-1', 'Bearer token-1']);
    expect(outcome).toMatchObject({ photosSent: 1, photosFailed: { count: 2, detail: '每次报修最多 4 张照片。' } });
  });

  it('keeps the open ticket the server names when the equipment already has one, and sends no photo', async () => {
    const seen = stubFetch((request) =>
      isReport(request) ? problem(409, 'ASSET_TICKET_OPEN', '该设施已有正在处理的报修。', { existingId: TICKET }) : problem(500, 'INTERNAL', 'unexpected'),
    );
    const { report } = reporter(true);
    const refusal = await report.send(draft, [image]).catch((err: unknown) => err);
    expect(refusal).toBeInstanceOf(ApiError);
    expect(refusal).toMatchObject({ status: 409, code: 'ASSET_TICKET_OPEN', existingId: TICKET });
    expect(report.alreadyOpen.value).toBe(TICKET);
    expect(seen.filter(isUpload)).toEqual([]);
  });

  it('looks for duplicates near a venue once the kind of equipment is chosen, and never for a scanned label', async () => {
    const nearby = [{ ...ticket, distanceMeters: 0 }];
    const seen = stubFetch((request) => (pathOf(request) === '/api/v1/tickets/suggestions' ? json(200, nearby) : problem(500, 'INTERNAL', 'unexpected')));
    const category = ref<'' | 'rider' | 'lighting'>('');
    const { report } = reporter(true, atVenue, category);
    await flushPromises();
    expect(seen).toEqual([]);
    category.value = 'lighting';
    await flushPromises();
    expect(seen.map((r) => r.path)).toEqual([`/api/v1/tickets/suggestions?lat=34.8&lng=113.3&category=lighting`]);
    expect(report.suggestions.value).toEqual(nearby);

    const scanned = stubFetch(() => problem(500, 'INTERNAL', 'unexpected'));
    reporter(true, atAsset);
    await flushPromises();
    expect(scanned).toEqual([]);
  });
});

describe('the photos of a report', () => {
  beforeEach(() => {
    let n = 0;
    vi.spyOn(URL, 'createObjectURL').mockImplementation(() => `blob:photo-${++n}`);
    vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => {});
  });

  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('keeps four, counts the rest and the unreadable ones, and frees a removed photo’s preview', async () => {
    const scope = effectScope();
    const compress = vi.fn(async (file: Blob) => {
      if (file.type === 'text/plain') throw new UnreadableImageError();
      return new Blob(['small'], { type: 'image/jpeg' });
    });
    const photos = scope.run(() => useReportPhotos(compress))!;
    const jpeg = new Blob(['big'], { type: 'image/jpeg' });
    await photos.add([jpeg, new Blob(['x'], { type: 'text/plain' }), jpeg]);
    expect(photos.photos.value).toHaveLength(2);
    expect(photos.refusal.value).toEqual({ tooMany: 0, unreadable: 1 });

    await photos.add([jpeg, jpeg, jpeg]);
    expect(photos.photos.value).toHaveLength(4);
    expect(photos.full.value).toBe(true);
    expect(photos.refusal.value).toEqual({ tooMany: 1, unreadable: 0 });
    expect(compress).toHaveBeenCalledTimes(5);

    const first = photos.photos.value[0]!;
    photos.remove(first.id);
    expect(URL.revokeObjectURL).toHaveBeenCalledWith(first.preview);
    expect(photos.photos.value).toHaveLength(3);

    scope.stop();
    expect(URL.revokeObjectURL).toHaveBeenCalledTimes(4);
  });
});

describe('a scanned label', () => {
  const asset = {
    code: 'S4B654VQ',
    type: 'rider',
    typeName: { zh: '骑马机', en: 'Rider' },
    name: '5号点位骑马机',
    status: 'ok',
    venue: { id: VENUE, name: '上街区体育公园', address: '' },
    resourceName: '健身路径',
    lat: null,
    lng: null,
    faultChoices: [...RIDER_FAULTS],
    expectedFixDate: null,
    openTicket: null,
  } satisfies PublicAsset;

  function scan(answers: (request: SeenRequest) => Response) {
    const seen = stubFetch(answers);
    const scope = effectScope();
    const page = scope.run(() => useAssetReport(ref('S4B654VQ')))!;
    return { page, seen };
  }

  it('shows the open ticket the asset’s answer names, with no other request', async () => {
    const open = { id: TICKET, code: '3FQ428JE', state: 'accepted', dueAt: ticket.dueAt, meTooCount: 3, meTooByMe: false };
    const { page, seen } = scan(() => json(200, { ...asset, openTicket: open }));
    await flushPromises();
    expect(page.openTicket.value).toEqual(open);
    expect(page.following.value).toBe(false);
    expect(seen.map((r) => pathOf(r))).toEqual(['/api/v1/assets/by-code/S4B654VQ']);
  });

  it('asks with the session, and shows a “me too” said earlier as pressed, and so followed', async () => {
    connectSession({ accessToken: () => 'token-1', refresh: async () => false, expired: () => {} });
    const open = { id: TICKET, code: '3FQ428JE', state: 'accepted', dueAt: ticket.dueAt, meTooCount: 3, meTooByMe: true };
    const { page, seen } = scan(() => json(200, { ...asset, openTicket: open }));
    await flushPromises();
    expect(seen[0]?.headers.Authorization).toBe('Bearer token-1');
    expect(page.openTicket.value?.meTooByMe).toBe(true);
    expect(page.following.value).toBe(true);
  });

  it('counts a “me too” and follows, and shows the form again when the ticket closed meanwhile', async () => {
    connectSession({ accessToken: () => 'token-1', refresh: async () => false, expired: () => {} });
    let closed = false;
    const open = { id: TICKET, code: '3FQ428JE', state: 'accepted', dueAt: ticket.dueAt, meTooCount: 3, meTooByMe: false };
    const { page } = scan((request) => {
      if (pathOf(request).endsWith('/me-too')) {
        return closed ? problem(409, 'TICKET_NOT_OPEN', '该报修已处理完毕或已关闭。') : json(200, { following: true, meToo: true, meTooCount: 4 });
      }
      return json(200, { ...asset, openTicket: closed ? null : open });
    });
    await flushPromises();
    await page.meToo();
    expect(page.openTicket.value).toMatchObject({ meTooCount: 4, meTooByMe: true });
    expect(page.following.value).toBe(true);

    closed = true;
    await page.meToo();
    expect(page.refusal.value).toBe('该报修已处理完毕或已关闭。');
    expect(page.openTicket.value).toBeNull();
  });
});
