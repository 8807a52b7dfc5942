import { readFileSync } from 'node:fs';
import { expect, test, type APIRequest, type APIRequestContext, type Page } from '@playwright/test';
import type { Asset, Page as ListPage, Session, TicketDetail } from '@sports/contracts';
import { DEMO_PASSWORD, expectAccessible, screenshot, signIn, TEST_CLOCK, watchForPageErrors } from './support.ts';

// axe is injected as a script; the server's CSP would refuse it.
test.use({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, bypassCSP: true });

/**
 * 一键报修 from the resident's side, on a 360 px phone. The demo equipment of the fitness path (the
 * machines named 「N号点位…」) is this file's: 5号点位骑马机 is reported from its label (and reported
 * again by a resident whose form was already open), 7号点位双杠 by a visitor without an account, and
 * 3号点位腰背按摩器 (out of service in the demo data) is only looked at. Reports from a venue page go to
 * 上街区社区全民健身中心（演示）, which no other journey reports at. Residents 13800000170–179 are this
 * file's; 13800000179 is only typed as an anonymous reporter's number.
 */
const BUREAU = '13900000001';
const OPERATOR = '13900000002';
const TECHNICIAN = '13900000004';
const REPORTER = '13800000170';
const NEIGHBOUR = '13800000171';
const VENUE_REPORTER = '13800000172';
const LATE_REPORTER = '13800000173';
const ANONYMOUS_PHONE = '13800000179';
const VENUE = '上街区社区全民健身中心（演示）';
/** A real 640×480 JPEG, as a phone's camera gives one. */
const PHOTO = new URL('./fixtures/broken-pedal.jpg', import.meta.url).pathname;

/** An API session of a demo account, as the app's own client holds one: a bearer token, and who it is. */
async function apiAs(requests: APIRequest, baseURL: string, phone: string): Promise<{ api: APIRequestContext; userId: string }> {
  const anonymous = await requests.newContext({ baseURL });
  const login = await anonymous.post('/api/v1/auth/login', { data: { phone, password: DEMO_PASSWORD } });
  expect(login.status(), `${phone} signs in`).toBe(200);
  const session = (await login.json()) as Session;
  await anonymous.dispose();
  const api = await requests.newContext({ baseURL, extraHTTPHeaders: { authorization: `Bearer ${session.accessToken}` } });
  return { api, userId: session.user.id };
}

/** The label code of a fitness-path machine, as the city's bureau keeps it in the register. */
async function pathMachine(bureau: APIRequestContext, type: Asset['type'], name: string): Promise<Asset> {
  const answer = await bureau.get(`/api/v1/assets?type=${type}&pageSize=100`);
  expect(answer.status()).toBe(200);
  const { items } = (await answer.json()) as ListPage<Asset>;
  const found = items.find((asset) => asset.name === name);
  expect(found, `the demo fitness path has ${name}`).toBeTruthy();
  return found!;
}

/** 'YYYY-MM-DD HH:mm' in Zhengzhou, as the pages show times (the server's clock runs on from TEST_CLOCK). */
function shanghai(iso: string): string {
  return new Date(new Date(iso).getTime() + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
}

async function onPhone(page: Page): Promise<string[]> {
  await page.clock.install({ time: new Date(TEST_CLOCK) });
  return watchForPageErrors(page);
}

async function fitsPhone(page: Page): Promise<void> {
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
}

test('a resident scans a broken machine, taps the fault, adds a photo and sends; a report that crosses it leads to that ticket; neighbours say “me too” and still see it said after a reload; a visitor without an account must leave a phone number', async ({
  page,
  browser,
  playwright,
  baseURL,
}) => {
  test.setTimeout(120_000);
  const bureau = await apiAs(playwright.request, baseURL!, BUREAU);
  const rider = await pathMachine(bureau.api, 'rider', '5号点位骑马机');
  const bars = await pathMachine(bureau.api, 'parallel_bars', '7号点位双杠');
  const massager = await pathMachine(bureau.api, 'back_massager', '3号点位腰背按摩器');
  await bureau.api.dispose();

  // ——— another resident opens the same label first, and is still choosing when the report below lands ———
  const late = await browser.newPage({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
  const lateProblems = await onPhone(late);
  await signIn(late, LATE_REPORTER);
  await late.goto(`/r/${rider.code}`);
  await expect(late.getByRole('heading', { level: 1, name: '5号点位骑马机' })).toBeVisible();
  await late.getByRole('group', { name: '哪里坏了？' }).getByRole('radio', { name: '其他' }).click();

  // ——— the reporter scans the label ———
  const problems = await onPhone(page);
  await signIn(page, REPORTER);
  await page.goto(`/r/${rider.code}`);
  await expect(page.getByRole('heading', { level: 1, name: '5号点位骑马机' })).toBeVisible();
  await expect(page.getByText(`骑马机 · 一键报修`)).toBeVisible();
  await expect(page.getByRole('link', { name: rider.venueName })).toBeVisible();
  await expect(page.getByTestId('asset-status')).toHaveText('正常');
  const faults = page.getByRole('group', { name: '哪里坏了？' });
  await expect(faults.getByRole('radio')).toHaveCount(6);
  await expect(faults.getByRole('radio').last()).toHaveAccessibleName('其他');
  // Signed in: no phone number is asked for.
  await expect(page.getByRole('textbox', { name: '手机号' })).toHaveCount(0);
  await expectAccessible(page, 'report page');
  await fitsPhone(page);

  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: '添加照片' }).click();
  await (await chooser).setFiles(PHOTO);
  await expect(page.getByRole('img', { name: '待上传的第 1 张照片' })).toBeVisible();
  await screenshot(page, 'repair-report-360');

  // After the photo: the fault, then send — two taps, nothing else required.
  const sent = page.waitForResponse((r) => r.url().endsWith('/api/v1/tickets') && r.request().method() === 'POST');
  const uploaded = page.waitForResponse((r) => /\/api\/v1\/tickets\/[\w-]+\/photos\?kind=report$/.test(r.url()));
  await faults.getByRole('radio', { name: '踏板松动' }).click();
  await page.getByRole('button', { name: '提交报修' }).click();
  const answer = await sent;
  expect(answer.status()).toBe(201);
  expect(answer.request().postDataJSON()).toEqual({ assetCode: rider.code, category: 'rider', fault: 'pedal_loose' });
  const photo = await uploaded;
  expect(photo.status()).toBe(201);
  expect(photo.request().headers()['content-type']).toMatch(/^multipart\/form-data/);
  expect(await photo.json()).toMatchObject({ kind: 'report', width: 640, height: 480 });
  const ticket = (await answer.json()) as TicketDetail;

  await expect(page.getByRole('heading', { name: '报修已提交' })).toBeFocused();
  await expect(page.getByTestId('ticket-code')).toHaveText(ticket.code);
  expect(ticket.code).toMatch(/^[A-Z0-9]{8}$/);
  await expect(page.getByText('已上传 1 张照片。')).toBeVisible();
  await screenshot(page, 'repair-report-sent-360');

  // ——— the form that was open sends now: refused, and the resident is taken to the ticket that is open ———
  const crossed = late.waitForResponse((r) => r.url().endsWith('/api/v1/tickets') && r.request().method() === 'POST');
  await late.getByRole('button', { name: '提交报修' }).click();
  const refused = await crossed;
  expect(refused.status()).toBe(409);
  expect(await refused.json()).toMatchObject({ code: 'ASSET_TICKET_OPEN', existingId: ticket.id });
  await expect(late).toHaveURL(`/repairs/${ticket.id}`);
  await expect(late.getByRole('status').filter({ hasText: '刚刚已有人报修了这台设施，您可以点“我也遇到”或关注进度。' })).toBeVisible();
  await expect(late.getByRole('heading', { level: 1, name: '踏板松动' })).toBeVisible();
  await expect(late.getByRole('button', { name: '我也遇到', exact: true })).toHaveAttribute('aria-pressed', 'false');
  await expectAccessible(late, 'ticket page after a crossed report');
  await late.getByRole('button', { name: '我也遇到', exact: true }).click();
  await expect(late.getByTestId('me-too-count')).toHaveText('1 人也遇到');
  // Pressed it stays, after a reload too: the server says who said it.
  await late.reload();
  await expect(late.getByTestId('me-too-count')).toHaveText('1 人也遇到');
  await expect(late.getByRole('button', { name: '已反馈“我也遇到”' })).toHaveAttribute('aria-pressed', 'true');
  await expect(late.getByRole('button', { name: '已关注' })).toHaveAttribute('aria-pressed', 'true');
  await fitsPhone(late);
  expect(lateProblems).toEqual([]);
  await late.close();

  // ——— the ticket page ———
  await page.getByRole('link', { name: '查看和关注进度' }).click();
  await expect(page).toHaveURL(`/repairs/${ticket.id}`);
  await expect(page.getByRole('heading', { level: 1, name: '踏板松动' })).toBeVisible();
  await expect(page.getByTestId('ticket-state')).toHaveText('已提交');
  // Due under the normal promise, 72 hours after the report.
  expect(new Date(ticket.dueAt).getTime() - new Date(ticket.createdAt).getTime()).toBe(72 * 3_600_000);
  await expect(page.getByTestId('ticket-due')).toHaveText(`${shanghai(ticket.dueAt)} 前`);
  await expect(page.getByText(`${rider.venueName} · ${rider.resourceName} · 5号点位骑马机`)).toBeVisible();
  await expect(page.getByRole('img', { name: '报修时照片第 1 张' })).toBeVisible();
  await expect(page.getByRole('region', { name: '处理进度' }).getByRole('listitem')).toHaveText([new RegExp(`^提交报修\\s*${shanghai(ticket.createdAt)}$`)]);
  // The reporter is not offered +1 or follow on their own report, nor a rating before it is fixed.
  await expect(page.getByRole('button', { name: '我也遇到' })).toHaveCount(0);
  await expect(page.getByRole('group', { name: '为这次维修打分' })).toHaveCount(0);
  await expectAccessible(page, 'ticket page');
  await fitsPhone(page);
  await screenshot(page, 'repair-ticket-360');

  // 我的报修 lists it.
  await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '报修' }).click();
  await expect(page.getByRole('heading', { level: 1, name: '我的报修' })).toBeVisible();
  const mine = page.getByRole('listitem').filter({ hasText: ticket.code });
  await expect(mine).toContainText('已提交');
  await expect(mine.getByRole('link', { name: '踏板松动' })).toHaveAttribute('href', `/repairs/${ticket.id}`);
  await expectAccessible(page, '我的报修');
  await fitsPhone(page);
  expect(problems).toEqual([]);

  // ——— a neighbour scans the same label: the open ticket, +1 instead of a second report ———
  const neighbour = await browser.newPage({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
  const neighbourProblems = await onPhone(neighbour);
  await signIn(neighbour, NEIGHBOUR);
  await neighbour.goto(`/r/${rider.code}`);
  const open = neighbour.getByRole('region', { name: '该设施已有报修正在处理' });
  await expect(open).toContainText(ticket.code);
  await expect(open.getByTestId('open-ticket-state')).toHaveText('已提交');
  await expect(open).toContainText(`${shanghai(ticket.dueAt)} 前`);
  await expect(open.getByTestId('me-too-count')).toHaveText('1 人也遇到');
  // Someone else's “me too” is not theirs.
  await expect(open.getByRole('button', { name: '我也遇到', exact: true })).toHaveAttribute('aria-pressed', 'false');
  await expect(neighbour.getByRole('button', { name: '提交报修' })).toHaveCount(0);
  await expectAccessible(neighbour, 'report page with an open ticket');
  const plusOne = neighbour.waitForResponse((r) => r.url().endsWith(`/api/v1/tickets/${ticket.id}/me-too`));
  await open.getByRole('button', { name: '我也遇到' }).click();
  expect((await plusOne).status()).toBe(200);
  await expect(open.getByTestId('me-too-count')).toHaveText('2 人也遇到');
  await expect(open.getByRole('button', { name: '已反馈“我也遇到”' })).toHaveAttribute('aria-pressed', 'true');
  await expect(open.getByRole('button', { name: '已关注' })).toBeVisible();
  await fitsPhone(neighbour);
  await screenshot(neighbour, 'repair-open-ticket-360');
  // Scanned again later, the label's page remembers it was said (and so followed).
  await neighbour.reload();
  await expect(open.getByTestId('me-too-count')).toHaveText('2 人也遇到');
  await expect(open.getByRole('button', { name: '已反馈“我也遇到”' })).toHaveAttribute('aria-pressed', 'true');
  await expect(open.getByRole('button', { name: '已关注' })).toHaveAttribute('aria-pressed', 'true');
  await expectAccessible(neighbour, 'report page with my “me too” said');
  await open.getByRole('link', { name: '查看报修进度' }).click();
  await expect(neighbour.getByTestId('me-too-count')).toHaveText('2 人也遇到');
  await expect(neighbour.getByRole('button', { name: '已反馈“我也遇到”' })).toHaveAttribute('aria-pressed', 'true');
  await expect(neighbour.getByRole('button', { name: '已关注' })).toHaveAttribute('aria-pressed', 'true');
  expect(neighbourProblems).toEqual([]);
  await neighbour.close();

  // ——— a visitor without an account ———
  const visitor = await browser.newPage({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
  const visitorProblems = await onPhone(visitor);
  // The open ticket is shown, and +1 asks them to sign in.
  await visitor.goto(`/r/${rider.code}`);
  await expect(visitor.getByText('登录后可以点“我也遇到”或关注进度。')).toBeVisible();
  await expect(visitor.getByRole('button', { name: '我也遇到' })).toHaveCount(0);

  // Out-of-service equipment says so, and when it should be back.
  await visitor.goto(`/r/${massager.code}`);
  await expect(visitor.getByRole('heading', { level: 1, name: '3号点位腰背按摩器' })).toBeVisible();
  await expect(visitor.getByTestId('asset-status')).toHaveText('暂停使用');
  await expect(visitor.getByTestId('expected-fix')).toHaveText(/^暂停使用，(预计 \d{4}-\d{2}-\d{2} 恢复使用|恢复日期待定)。$/);

  // A report without an account needs a phone number; nothing is sent without one.
  await visitor.goto(`/r/${bars.code}`);
  await expect(visitor.getByRole('heading', { level: 1, name: '7号点位双杠' })).toBeVisible();
  const reports: string[] = [];
  visitor.on('request', (r) => {
    if (r.url().endsWith('/api/v1/tickets') && r.method() === 'POST') reports.push(r.url());
  });
  await visitor.getByRole('radio', { name: '杠体松动' }).click();
  await visitor.getByRole('button', { name: '提交报修' }).click();
  await expect(visitor.getByText('未登录时请留下手机号', { exact: true })).toBeVisible();
  await expect(visitor.getByRole('alert')).toHaveText('请检查标出的字段。');
  expect(reports).toEqual([]);
  await expectAccessible(visitor, 'report page without an account');
  await fitsPhone(visitor);
  await screenshot(visitor, 'repair-report-anonymous-360');

  await visitor.getByRole('textbox', { name: '手机号' }).fill(ANONYMOUS_PHONE);
  const visitorChooser = visitor.waitForEvent('filechooser');
  await visitor.getByRole('button', { name: '添加照片' }).click();
  await (await visitorChooser).setFiles(PHOTO);
  await expect(visitor.getByRole('img', { name: '待上传的第 1 张照片' })).toBeVisible();
  const anonymous = visitor.waitForResponse((r) => r.url().endsWith('/api/v1/tickets') && r.request().method() === 'POST');
  const anonymousPhoto = visitor.waitForResponse((r) => /\/api\/v1\/tickets\/[\w-]+\/photos\?kind=report$/.test(r.url()));
  await visitor.getByRole('button', { name: '提交报修' }).click();
  const anonymousAnswer = await anonymous;
  expect(anonymousAnswer.status()).toBe(201);
  expect(anonymousAnswer.request().headers().authorization).toBeUndefined();
  expect(anonymousAnswer.request().postDataJSON()).toEqual({ assetCode: bars.code, category: 'parallel_bars', fault: 'bar_loose', phone: ANONYMOUS_PHONE });
  const { uploadToken } = (await anonymousAnswer.json()) as TicketDetail;
  expect(uploadToken).toEqual(expect.any(String));
  // Without an account, the report's upload token proves the photo is the reporter's.
  const visitorPhoto = await anonymousPhoto;
  expect(visitorPhoto.status()).toBe(201);
  expect(visitorPhoto.request().headers()['x-report-token']).toBe(uploadToken);
  expect(visitorPhoto.request().headers().authorization).toBeUndefined();
  await expect(visitor.getByTestId('ticket-code')).toHaveText(/^[A-Z0-9]{8}$/);
  await expect(visitor.getByText('已上传 1 张照片。')).toBeVisible();
  await expect(visitor.getByText('请记下报修单号，凭报修详情页的链接可随时查看进度。')).toBeVisible();
  // Anyone with the link may follow it.
  await visitor.getByRole('link', { name: '查看和关注进度' }).click();
  await expect(visitor.getByTestId('ticket-state')).toHaveText('已提交');
  await expect(visitor.getByRole('img', { name: '报修时照片第 1 张' })).toBeVisible();
  await expect(visitor.getByText('登录后可以点“我也遇到”或关注进度。')).toBeVisible();
  expect(visitorProblems).toEqual([]);
  await visitor.close();
});

test('a resident reports a fault at a venue and at a point on the map, rates the repair by keyboard and reopens it', async ({
  page,
  playwright,
  baseURL,
}) => {
  test.setTimeout(120_000);
  const problems = await onPhone(page);
  const venues = await page.request.get(`/api/v1/venues?q=${encodeURIComponent(VENUE)}&pageSize=5`);
  const venue = ((await venues.json()) as { items: { id: string; name: string }[] }).items.find((v) => v.name === VENUE);
  expect(venue, `${VENUE} is in the demo data`).toBeTruthy();

  // ——— from the venue page: a court, a kind of equipment, a fault ———
  await signIn(page, VENUE_REPORTER);
  await page.goto(`/venues/${venue!.id}`);
  await page.getByRole('list', { name: '服务' }).getByRole('link', { name: '报修' }).click();
  await expect(page).toHaveURL(`/venues/${venue!.id}/repair`);
  await expect(page.getByRole('heading', { level: 1, name: '场馆报修' })).toBeVisible();
  const court = page.getByRole('combobox', { name: '场地（选填）' });
  const firstCourt = (await court.locator('option').nth(1).textContent())!;
  await court.selectOption({ label: firstCourt });
  // The faults follow the kind of equipment.
  await expect(page.getByRole('radio')).toHaveCount(0);
  await page.getByRole('combobox', { name: '设施类型' }).selectOption({ label: '照明' });
  await expect(page.getByRole('group', { name: '哪里坏了？' }).getByRole('radio')).toHaveCount(5);
  await page.getByRole('radio', { name: '灯不亮' }).click();
  await page.getByRole('textbox', { name: '补充说明（选填）' }).fill('靠门一侧的两盏灯不亮');
  await expectAccessible(page, 'venue report page');
  await fitsPhone(page);
  const sent = page.waitForResponse((r) => r.url().endsWith('/api/v1/tickets') && r.request().method() === 'POST');
  await page.getByRole('button', { name: '提交报修' }).click();
  const answer = await sent;
  expect(answer.status()).toBe(201);
  const body = answer.request().postDataJSON() as Record<string, unknown>;
  expect(body).toMatchObject({ venueId: venue!.id, category: 'lighting', fault: 'light_out', description: '靠门一侧的两盏灯不亮' });
  expect(body.resourceId).toEqual(expect.any(String));
  const ticket = (await answer.json()) as TicketDetail;
  await expect(page.getByTestId('ticket-code')).toHaveText(ticket.code);

  // Reporting the same kind of thing there again shows that report first.
  await page.reload();
  await page.getByRole('combobox', { name: '设施类型' }).selectOption({ label: '照明' });
  const nearby = page.getByRole('region', { name: '附近已有这些报修，是同一个问题吗？' });
  await expect(nearby.getByRole('link', { name: '灯不亮 · 已提交' })).toHaveAttribute('href', `/repairs/${ticket.id}`);
  await expectAccessible(page, 'venue report page with a possible duplicate');

  // ——— the operator's side fixes it (through the API: the console has its own journey) ———
  const operator = await apiAs(playwright.request, baseURL!, OPERATOR);
  const technician = await apiAs(playwright.request, baseURL!, TECHNICIAN);
  const move = async (api: APIRequestContext, data: Record<string, unknown>) => {
    const moved = await api.post(`/api/v1/tickets/${ticket.id}/moves`, { data });
    expect(moved.status(), await moved.text()).toBe(200);
  };
  await move(operator.api, { move: 'accept' });
  await move(operator.api, { move: 'dispatch', assigneeId: technician.userId });
  await move(technician.api, { move: 'start' });
  const after = await technician.api.post(`/api/v1/tickets/${ticket.id}/photos?kind=after`, {
    multipart: { file: { name: 'after.jpg', mimeType: 'image/jpeg', buffer: readFileSync(PHOTO) } },
  });
  expect(after.status(), await after.text()).toBe(201);
  await move(technician.api, { move: 'resolve', reason: '已更换灯管' });
  await Promise.all([operator.api.dispose(), technician.api.dispose()]);

  // ——— the reporter sees it fixed, rates it with the keyboard, then reopens it ———
  await page.goto(`/repairs/${ticket.id}`);
  await expect(page.getByTestId('ticket-state')).toHaveText('已修好');
  await expect(page.getByRole('img', { name: '维修后照片第 1 张' })).toBeVisible();
  const timeline = page.getByRole('region', { name: '处理进度' }).getByRole('listitem');
  await expect(timeline).toHaveCount(5);
  await expect(timeline.last()).toContainText('维修完成');
  await expect(timeline.last()).toContainText('已更换灯管');
  const stars = page.getByRole('group', { name: '为这次维修打分' });
  await expect(stars.getByRole('radio')).toHaveCount(5);
  await expectAccessible(page, 'ticket page, fixed');
  await fitsPhone(page);
  await page.getByRole('button', { name: '提交评价' }).click();
  await expect(page.getByText('请选择 1–5 星')).toBeVisible();
  await stars.getByRole('radio', { name: '1 星' }).focus();
  for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight');
  await expect(stars.getByRole('radio', { name: '4 星' })).toBeChecked();
  const rated = page.waitForResponse((r) => r.url().endsWith(`/api/v1/tickets/${ticket.id}/rating`));
  await page.getByRole('button', { name: '提交评价' }).click();
  expect((await rated).request().postDataJSON()).toEqual({ stars: 4 });
  await expect(page.getByText('感谢您的评价')).toBeVisible();
  await expect(stars).toHaveCount(0);
  await screenshot(page, 'repair-ticket-rated-360');

  await page.getByRole('button', { name: '没修好，重新报修' }).click();
  await page.getByRole('button', { name: '重新打开报修' }).click();
  await expect(page.getByText('请说明原因（至少 2 个字）')).toBeVisible();
  await page.getByRole('textbox', { name: '哪里还没修好？' }).fill('换了灯管还是不亮');
  await page.getByRole('button', { name: '重新打开报修' }).click();
  await expect(page.getByTestId('ticket-state')).toHaveText('已重新打开');
  await expect(timeline.last()).toContainText('换了灯管还是不亮');
  await expect(page.getByRole('button', { name: '没修好，重新报修' })).toHaveCount(0);

  // ——— on the map: the crosshair at the centre, 在此报修 ———
  await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '地图' }).click();
  await expect(page.getByRole('heading', { level: 1, name: '体育地图' })).toBeVisible();
  // (Vant draws the button's icon with a font glyph, which is part of its name.)
  await page.getByRole('button', { name: '报修' }).click();
  await expect(page.getByText('移动地图，让十字准星对准故障位置')).toBeVisible();
  await page.getByRole('group', { name: '在此报修' }).getByRole('button', { name: '在此报修' }).click();
  await expect(page).toHaveURL(/\/map\/repair\?lat=\d+(\.\d+)?&lng=\d+(\.\d+)?$/);
  const url = new URL(page.url());
  const [lat, lng] = [Number(url.searchParams.get('lat')), Number(url.searchParams.get('lng'))];
  await expect(page.getByRole('heading', { level: 1, name: '地图选点报修' })).toBeVisible();
  await expect(page.getByTestId('report-point')).toHaveText(`位置：北纬 ${lat.toFixed(5)}，东经 ${lng.toFixed(5)}`);
  await page.getByRole('combobox', { name: '设施类型' }).selectOption({ label: '其他' });
  await page.getByRole('radio', { name: '存在安全隐患' }).click();
  const pointSent = page.waitForResponse((r) => r.url().endsWith('/api/v1/tickets') && r.request().method() === 'POST');
  await page.getByRole('button', { name: '提交报修' }).click();
  const pointAnswer = await pointSent;
  expect(pointAnswer.status(), await pointAnswer.text()).toBe(201);
  expect(pointAnswer.request().postDataJSON()).toEqual({ lat, lng, category: 'other', fault: 'unsafe' });
  await expect(page.getByTestId('ticket-code')).toHaveText(/^[A-Z0-9]{8}$/);
  await expectAccessible(page, 'map point report, sent');
  await fitsPhone(page);
  expect(problems).toEqual([]);
});
