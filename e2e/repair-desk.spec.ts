import { expect, test, type APIRequest, type APIRequestContext } from '@playwright/test';
import type { Asset, Page as ListPage, TicketDetail } from '@sports/contracts';
import { choose, DEMO_PASSWORD, expectAccessible, screenshot, signIn, TEST_CLOCK, watchForPageErrors } from './support.ts';

// axe is injected as a script; the server's CSP would refuse it.
test.use({ bypassCSP: true });

/**
 * The repair desk, from the console's side. The operator 13900000002 (场馆运营员小王) dispatches for
 * 郑州市全民健身场馆运营有限公司, whose technician is 13900000004 (维修师傅老张).
 *
 * Journey A uses the demo net 「羽毛球场4号球网」 of 中原区社区全民健身中心（演示）, which no other journey
 * reports (e2e/repair-report.spec.ts keeps to 上街区社区全民健身中心（演示） and the fitness path), and the
 * resident 13800000180. Journey B registers new equipment at 荥阳市社区全民健身中心（演示）, a venue no
 * other journey books or reports at. The bureau's journey issues and revokes an Open311 key of its own
 * and saves its repair promise unchanged, so no other journey's due times move. Residents
 * 13800000180–189 are this file's.
 */
const OPERATOR = '13900000002';
const TECHNICIAN = '13900000004';
const RESIDENT = '13800000180';
const REPORT_VENUE = '中原区社区全民健身中心（演示）';
const REPORT_ASSET = '羽毛球场4号球网';
const REGISTRY_VENUE = '荥阳市社区全民健身中心（演示）';
const DESKTOP = { width: 1366, height: 860 };
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };
const PHOTO = new URL('./fixtures/after.jpg', import.meta.url).pathname;

/** An API session of a demo account, as the app's own client holds one: a bearer token. */
async function apiAs(requests: APIRequest, baseURL: string, phone: string): Promise<APIRequestContext> {
  const anonymous = await requests.newContext({ baseURL });
  const login = await anonymous.post('/api/v1/auth/login', { data: { phone, password: DEMO_PASSWORD } });
  expect(login.status(), `${phone} signs in`).toBe(200);
  const { accessToken } = (await login.json()) as { accessToken: string };
  await anonymous.dispose();
  return requests.newContext({ baseURL, extraHTTPHeaders: { authorization: `Bearer ${accessToken}` } });
}

async function demoAsset(operator: APIRequestContext, venueName: string, assetName: string): Promise<Asset> {
  const answer = await operator.get('/api/v1/assets?pageSize=100');
  expect(answer.status()).toBe(200);
  const { items } = (await answer.json()) as ListPage<Asset>;
  const found = items.find((asset) => asset.venueName === venueName && asset.name === assetName);
  expect(found, `${venueName} has ${assetName} in the demo data`).toBeTruthy();
  return found!;
}

async function ticketAs(api: APIRequestContext, id: string): Promise<TicketDetail> {
  const answer = await api.get(`/api/v1/tickets/${id}`);
  expect(answer.status()).toBe(200);
  return (await answer.json()) as TicketDetail;
}

/** `YYYY-MM-DD HH:mm` on the clock of Zhengzhou, as the console shows times. */
function shanghaiTime(iso: string): string {
  return new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
}

test('a torn net reported by a resident is accepted and dispatched, fixed by the technician on a phone, and rated by the resident', async ({
  page,
  browser,
  playwright,
  baseURL,
}) => {
  test.setTimeout(180_000);
  const operatorApi = await apiAs(playwright.request, baseURL!, OPERATOR);
  const net = await demoAsset(operatorApi, REPORT_VENUE, REPORT_ASSET);

  // ——— the resident scans the net's label on a phone and reports it, with a photo ———
  const resident = await browser.newPage(PHONE);
  await resident.clock.install({ time: new Date(TEST_CLOCK) });
  const residentProblems = watchForPageErrors(resident);
  await signIn(resident, RESIDENT);
  await resident.goto(`/r/${net.code}`);
  await expect(resident.getByRole('heading', { level: 1, name: REPORT_ASSET })).toBeVisible();
  await resident.getByRole('group', { name: '哪里坏了？' }).getByRole('radio', { name: '球网破损' }).click();
  await resident.getByRole('textbox', { name: '补充说明（选填）' }).fill('球网中间破了一个大洞');
  const chooser = resident.waitForEvent('filechooser');
  await resident.getByRole('button', { name: '添加照片' }).click();
  await (await chooser).setFiles(PHOTO);
  await expect(resident.getByRole('img', { name: '待上传的第 1 张照片' })).toBeVisible();
  const sent = resident.waitForResponse((r) => r.url().endsWith('/api/v1/tickets') && r.request().method() === 'POST');
  const photoSent = resident.waitForResponse((r) => /\/api\/v1\/tickets\/[\w-]+\/photos\?kind=report$/.test(r.url()));
  await resident.getByRole('button', { name: '提交报修', exact: true }).click();
  const answer = await sent;
  expect(answer.status()).toBe(201);
  const ticket = (await answer.json()) as TicketDetail;
  expect((await photoSent).status()).toBe(201);
  await expect(resident.getByTestId('ticket-code')).toHaveText(ticket.code);
  expect(residentProblems).toEqual([]);

  // ——— the operator accepts and dispatches, on a desktop ———
  await page.setViewportSize(DESKTOP);
  await page.clock.install({ time: new Date(TEST_CLOCK) });
  const problems = watchForPageErrors(page);
  await signIn(page, OPERATOR);
  const menu = page.getByRole('navigation', { name: '后台菜单' });
  await menu.getByRole('link', { name: '报修工单', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: '报修工单' })).toBeVisible();
  const row = page.locator('.tickets-table tbody tr').filter({ hasText: ticket.code });
  await expect(row).toContainText('待受理');
  await expect(row).toContainText(`${REPORT_VENUE} · 羽毛球场4号 · ${REPORT_ASSET}`);
  await expect(row).toContainText('球网 · 球网破损');
  // Due 72 hours after the report (the normal promise), and counting down.
  expect(Date.parse(ticket.dueAt) - Date.parse(ticket.createdAt)).toBe(72 * 3_600_000);
  await expect(row).toContainText(shanghaiTime(ticket.dueAt));
  await expect(row).toContainText(/剩 (3 天 0|2 天 23) 小时/);
  await expect(page.getByRole('region', { name: '维修时限承诺' })).toBeVisible();
  await expectAccessible(page, 'console repair queue');
  await screenshot(page, 'repair-queue');

  // Found by its code from the keyboard: a code no ticket can have is refused beside the box, nothing matching
  // says so, and lower case or the first characters will do.
  const filters = page.getByRole('search', { name: '筛选报修' });
  const codeBox = filters.getByRole('textbox', { name: '报修单号' });
  const rows = page.locator('.tickets-table tbody tr');
  const searches: string[] = [];
  page.on('request', (request) => {
    if (new URL(request.url()).pathname === '/api/v1/tickets') searches.push(new URL(request.url()).searchParams.get('code') ?? '');
  });
  await codeBox.focus();
  await page.keyboard.type('0IL');
  await page.keyboard.press('Enter');
  await expect(filters.getByRole('alert')).toHaveText('请输入 8 位报修单号或其前 3 位以上（单号中没有 0、1、I、L、O）');
  await expect(codeBox).toHaveAttribute('aria-invalid', 'true');
  expect(searches).toEqual([]);
  const searchFor = async (typed: string, sent: string) => {
    await codeBox.fill(typed);
    const answered = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/tickets' && new URL(r.url()).searchParams.get('code') === sent);
    await codeBox.press('Enter');
    expect((await answered).status()).toBe(200);
  };
  const absent = ticket.code.startsWith('ZZZ') ? 'YYYYYYYY' : 'ZZZZZZZZ';
  await searchFor(absent.toLowerCase(), absent);
  await expect(page.getByText(`没有单号以“${absent}”开头的报修`)).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: `单号以“${absent}”开头的报修共 0 张` })).toBeVisible();
  await expect(codeBox).not.toHaveAttribute('aria-invalid', 'true');
  await searchFor(` ${ticket.code.slice(0, 3).toLowerCase()} `, ticket.code.slice(0, 3));
  await expect(row).toBeVisible();
  await searchFor(ticket.code.toLowerCase(), ticket.code);
  await expect(rows).toHaveCount(1);
  await expect(row).toContainText('待受理');
  await expect(page.getByRole('status').filter({ hasText: `单号以“${ticket.code}”开头的报修共 1 张` })).toBeVisible();
  await expectAccessible(page, 'console repair queue searched by code');

  await row.getByRole('link', { name: ticket.code }).click();
  await expect(page).toHaveURL(`/console/repair-tickets/${ticket.id}`);
  await expect(page.getByRole('heading', { level: 1, name: `报修单 ${ticket.code}` })).toBeVisible();
  const moves = page.getByRole('region', { name: '处理操作', exact: true });
  await expect(moves.getByRole('button')).toHaveText(['受理', '不予受理', '合并为重复', '转交']);
  await expect(page.getByRole('region', { name: '报修信息' })).toContainText('球网中间破了一个大洞');
  await expect(page.getByRole('region', { name: '照片' }).getByRole('img', { name: '报修照片 1' })).toBeVisible();
  await expectAccessible(page, 'console repair ticket');

  // Accepting asks for the priority; urgent is due 24 hours after the report.
  await moves.getByRole('button', { name: '受理', exact: true }).click();
  const accept = page.getByRole('dialog', { name: `受理 · ${ticket.code}` });
  await expect(accept.getByRole('radio', { name: '普通' }), 'the priority it was reported with').toBeChecked();
  // Element Plus draws its own circle over the radio input: the label takes the click.
  await accept.getByText('紧急', { exact: true }).click();
  await expect(accept.getByRole('radio', { name: '紧急' })).toBeChecked();
  await accept.getByRole('button', { name: '受理', exact: true }).click();
  await expect(accept).toBeHidden();
  await expect(page.getByTestId('ticket-state')).toHaveText('已受理');
  await expect(moves.getByRole('button')).toHaveText(['合并为重复', '转交', '派单']);

  // Dispatching asks for a technician of the organisation, and nothing else.
  await moves.getByRole('button', { name: '派单', exact: true }).click();
  const dispatch = page.getByRole('dialog', { name: `派单 · ${ticket.code}` });
  await dispatch.getByRole('button', { name: '派单', exact: true }).click();
  await expect(dispatch.getByText('请选择维修人员')).toBeVisible();
  await choose(page, '维修人员', /^维修师傅老张 · 139\*\*\*\*0004/, { scope: dispatch });
  const dispatched = page.waitForResponse((r) => r.url().endsWith(`/api/v1/tickets/${ticket.id}/moves`));
  await dispatch.getByRole('button', { name: '派单', exact: true }).click();
  expect((await dispatched).status()).toBe(200);
  await expect(page.getByTestId('ticket-state')).toHaveText('已派单');

  // An internal note, marked as such on the timeline.
  await page.getByRole('textbox', { name: '备注内容' }).fill('老张带一张新球网去');
  await page.getByRole('button', { name: '添加备注', exact: true }).click();
  const timeline = page.getByRole('list', { name: '处理记录' });
  const note = timeline.getByRole('listitem').filter({ hasText: '老张带一张新球网去' });
  await expect(note).toContainText('内部');
  await expect(timeline.getByRole('listitem')).toHaveCount(4);
  await screenshot(page, 'repair-ticket-dispatched');
  expect(problems).toEqual([]);

  // ——— the technician on a phone: start, the after-photo, fixed ———
  const phone = await browser.newPage(PHONE);
  await phone.clock.install({ time: new Date(TEST_CLOCK) });
  const phoneProblems = watchForPageErrors(phone);
  await signIn(phone, TECHNICIAN);
  await expect(phone).toHaveURL('/console/my-tickets');
  await expect(phone.getByRole('heading', { level: 1, name: '我的工单' })).toBeVisible();
  const job = phone.getByRole('listitem').filter({ hasText: ticket.code });
  await expect(job).toContainText('已派单');
  await job.getByRole('button', { name: '查看并处理', exact: true }).click();
  const work = job.getByRole('region', { name: `工单 ${ticket.code}` });
  await expect(work).toContainText('球网中间破了一个大洞');
  await expect(work.getByRole('img', { name: '报修照片 1' })).toBeVisible();
  await expect(work.getByRole('button', { name: '开始维修', exact: true })).toBeVisible();
  await expectAccessible(phone, 'technician my tickets');
  await work.getByRole('button', { name: '开始维修', exact: true }).click();
  await expect(job).toContainText('维修中');

  const camera = work.getByLabel('拍摄维修后照片');
  await expect(camera).toHaveAttribute('capture', 'environment');
  await expect(camera).toHaveAttribute('accept', 'image/*');
  const uploaded = phone.waitForResponse((r) => r.url().includes(`/api/v1/tickets/${ticket.id}/photos?kind=after`));
  await camera.setInputFiles(PHOTO);
  expect((await uploaded).status()).toBe(201);
  await expect(work.getByRole('img', { name: '维修后照片 1' })).toBeVisible();
  expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await screenshot(phone, 'technician-after-photo-390');

  await work.getByRole('button', { name: '维修完成', exact: true }).click();
  const resolve = phone.getByRole('dialog', { name: `维修完成 · ${ticket.code}` });
  await expect(resolve).toContainText('已上传 1 张维修后照片。');
  await resolve.getByRole('textbox', { name: '维修说明（选填，报修人可见）' }).fill('已更换新球网');
  await resolve.getByRole('button', { name: '维修完成', exact: true }).click();
  await expect(resolve).toBeHidden();
  await expect(job).toContainText('已修复');
  expect(phoneProblems).toEqual([]);
  await phone.close();

  // ——— the resident sees it fixed, with the after-photo, the history without the staff's note, and rates 5 ———
  await resident.goto(`/repairs/${ticket.id}`);
  await expect(resident.getByTestId('ticket-state')).toHaveText('已修好');
  await expect(resident.getByRole('img', { name: '维修后照片第 1 张' })).toBeVisible();
  const history = resident.getByRole('region', { name: '处理进度' });
  await expect(history.getByRole('listitem')).toHaveCount(5);
  await expect(history.getByRole('listitem').last()).toContainText('已更换新球网');
  await expect(history).not.toContainText('老张带一张新球网去');
  const stars = resident.getByRole('group', { name: '为这次维修打分' });
  await stars.getByRole('radio', { name: '5 星' }).click();
  const rated = resident.waitForResponse((r) => r.url().endsWith(`/api/v1/tickets/${ticket.id}/rating`));
  await resident.getByRole('button', { name: '提交评价', exact: true }).click();
  expect((await rated).request().postDataJSON()).toEqual({ stars: 5 });
  await expect(resident.getByText('感谢您的评价')).toBeVisible();
  expect(residentProblems).toEqual([]);
  await resident.close();

  // The operator's copy of the ticket carries the rating.
  await page.reload();
  await expect(page.getByRole('region', { name: '报修信息' })).toContainText('5 星');
  const final = await ticketAs(operatorApi, ticket.id);
  expect(final).toMatchObject({ state: 'resolved', rating: 5, priority: 'urgent' });
  expect(final.photos.map((p) => p.kind)).toEqual(['report', 'after']);
  expect(final.timeline.map((e) => e.kind)).toEqual(['report', 'accept', 'dispatch', 'note', 'start', 'resolve', 'rating']);
  expect(problems).toEqual([]);
  await operatorApi.dispose();
});

test('the operator registers a light on a court, takes it out of service until a day with a reason, and prints the venue’s QR labels', async ({
  page,
  playwright,
  baseURL,
}) => {
  await page.setViewportSize(DESKTOP);
  await page.clock.install({ time: new Date(TEST_CLOCK) });
  const problems = watchForPageErrors(page);
  const name = `羽毛球场2号北侧照明${Date.now().toString(36).slice(-4)}`;
  await signIn(page, OPERATOR);
  await page.getByRole('navigation', { name: '后台菜单' }).getByRole('link', { name: '设施台账', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: '设施台账' })).toBeVisible();
  await expect(page.locator('.assets-table tbody tr').first()).toBeVisible();
  await expectAccessible(page, 'console equipment register');
  await screenshot(page, 'asset-registry');

  // Nothing filled in: each field at fault says so, and nothing is sent.
  await page.getByRole('button', { name: '登记设施', exact: true }).click();
  const create = page.getByRole('dialog', { name: '登记设施' });
  const created: string[] = [];
  page.on('request', (request) => {
    if (request.method() === 'POST' && request.url().endsWith('/api/v1/assets')) created.push(request.url());
  });
  await create.getByRole('button', { name: '登记', exact: true }).click();
  await expect(create.getByRole('alert').filter({ hasText: '请检查标出的字段。' })).toBeVisible();
  await expect(create.getByText('请选择场馆')).toBeVisible();
  await expect(create.getByText('请选择类型')).toBeVisible();
  await expect(create.getByText('请填写名称')).toBeVisible();
  expect(created).toEqual([]);

  await choose(page, '场馆', REGISTRY_VENUE, { scope: create });
  await choose(page, '所在场地', '羽毛球场2号 · 羽毛球', { scope: create });
  await choose(page, '类型', '照明', { scope: create });
  await create.getByRole('textbox', { name: '名称' }).fill(name);
  await create.getByRole('textbox', { name: '安装日期' }).fill('2025-03-01');
  await create.getByRole('spinbutton', { name: '使用年限（年）' }).fill('10');
  await create.getByRole('textbox', { name: '保修截止日期' }).fill('2028-02-29');
  const registered = page.waitForResponse((r) => r.url().endsWith('/api/v1/assets') && r.request().method() === 'POST');
  await create.getByRole('button', { name: '登记', exact: true }).click();
  const answer = await registered;
  expect(answer.status()).toBe(201);
  const asset = (await answer.json()) as Asset;
  expect(asset).toMatchObject({ name, type: 'lighting', resourceName: '羽毛球场2号', installDate: '2025-03-01', serviceLifeYears: 10, warrantyUntil: '2028-02-29' });
  expect(asset.code).toMatch(/^[2-9A-HJKMNP-Z]{8}$/);
  await expect(create).toBeHidden();
  await expect(page.getByText(`已登记，标签编号 ${asset.code}`)).toBeVisible();

  // Only this venue's equipment, the new light among it.
  await choose(page, '场馆', REGISTRY_VENUE, { scope: page.getByRole('search', { name: '筛选设施' }) });
  const row = page.locator('.assets-table tbody tr').filter({ hasText: asset.code });
  await expect(row).toContainText(name);
  await expect(row).toContainText(`${REGISTRY_VENUE} · 羽毛球场2号`);
  await expect(row).toContainText('正常');
  await expect(row).toContainText('在用');
  await expect(row).toContainText('2035-03-01 到期');

  // Out of service until a day: the dialog says what happens to the court's booking first.
  await row.getByRole('button', { name: `设置状态：${name}` }).click();
  const status = page.getByRole('dialog', { name: `设置状态 · ${name}` });
  await status.getByText('停用', { exact: true }).click();
  await expect(status.getByTestId('booking-effect')).toContainText('「羽毛球场2号」将从现在起停止预约，直到设施恢复正常');
  await status.getByRole('button', { name: '保存状态', exact: true }).click();
  await expect(status.getByText('请说明原因（至少 2 个字）')).toBeVisible();
  await status.getByRole('textbox', { name: '原因' }).fill('灯管损坏，等待更换');
  await status.getByRole('textbox', { name: '预计修复日期（选填）' }).fill('2026-11-27');
  await expect(status.getByTestId('booking-effect')).toContainText('「羽毛球场2号」将从现在起至 2026-11-27 当天结束停止预约');
  // (Once the success message has gone: Element Plus's green on its pale green is 4.48:1, a matter for the theme.)
  await expect(page.locator('.el-message')).toHaveCount(0);
  await expectAccessible(page, 'console asset status dialog');
  const changed = page.waitForResponse((r) => r.url().endsWith(`/api/v1/assets/${asset.id}/status`));
  await status.getByRole('button', { name: '保存状态', exact: true }).click();
  expect((await changed).request().postDataJSON()).toEqual({ status: 'out_of_service', reason: '灯管损坏，等待更换', expectedFixDate: '2026-11-27' });
  await expect(status).toBeHidden();
  await expect(row).toContainText('停用');
  await expect(row).toContainText('预计 2026-11-27 修复');

  // The court is out of booking until then: no free evening slot on it tomorrow.
  const operator = await apiAs(playwright.request, baseURL!, OPERATOR);
  const availability = await operator.get(`/api/v1/venues/${asset.venueId}/availability?date=2026-11-26&days=1`);
  expect(availability.status()).toBe(200);
  const { resources } = (await availability.json()) as { resources: { id: string; slots: { status: string }[] }[] };
  const court = resources.find((r) => r.id === asset.resourceId);
  expect(court?.slots.length).toBeGreaterThan(0);
  expect(court?.slots.filter((slot) => slot.status === 'free')).toEqual([]);
  await operator.dispose();

  // The venue's label sheet opens in a new tab, the new light's QR label on it.
  await page.getByRole('button', { name: '打印二维码标签', exact: true }).click();
  const labels = page.getByRole('dialog', { name: '打印二维码标签' });
  await expect(labels.getByRole('combobox', { name: '要打印标签的场馆' })).toBeVisible();
  const opened = page.context().waitForEvent('page');
  await labels.getByRole('button', { name: `打开「${REGISTRY_VENUE}」的标签`, exact: true }).click();
  const sheet = await opened;
  // The tab opens blank inside the click, then shows the sheet fetched with the bearer token.
  await sheet.waitForURL(/^blob:/);
  await expect(sheet).toHaveTitle(`${REGISTRY_VENUE} · 设施报修二维码 Repair QR labels`);
  const label = sheet.getByRole('article').filter({ hasText: asset.code });
  await expect(label).toContainText(name);
  await expect(label.getByRole('img', { name: new RegExp(`/r/${asset.code}$`) })).toBeVisible();
  await expect(labels).toBeHidden();
  await sheet.close();
  expect(problems).toEqual([]);
});

test('the city bureau issues an Open311 key that is shown once, revokes it, and keeps its repair promise in order', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.setViewportSize(DESKTOP);
  const problems = watchForPageErrors(page);
  const client = `测试接入方${Date.now().toString(36).slice(-5)}`;
  await signIn(page, '13900000001');
  await page.getByRole('navigation', { name: '后台菜单' }).getByRole('link', { name: 'Open311 接入', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Open311 接入' })).toBeVisible();
  await expect(page.getByRole('row').filter({ hasText: '郑州市12345热线（演示）' })).toContainText('有效');

  await page.getByRole('button', { name: '签发密钥', exact: true }).click();
  const issue = page.getByRole('dialog', { name: '签发 Open311 密钥' });
  await issue.getByRole('button', { name: '签发', exact: true }).click();
  await expect(issue.getByText('名称需为 2–60 个字')).toBeVisible();
  await issue.getByRole('textbox', { name: '接入方名称' }).fill(client);
  const issued = page.waitForResponse((r) => r.url().endsWith('/api/v1/open311-clients') && r.request().method() === 'POST');
  await issue.getByRole('button', { name: '签发', exact: true }).click();
  const { apiKey, keyPrefix } = (await (await issued).json()) as { apiKey: string; keyPrefix: string };
  const shown = page.getByRole('dialog', { name: '新密钥' });
  await expect(shown).toContainText('密钥只显示这一次');
  await expect(shown.getByRole('textbox', { name: '密钥' })).toHaveValue(apiKey);
  // The pointer still rests where it clicked 签发, over this dialog's main button: a hover colour is no reading colour.
  await page.mouse.move(0, 0);
  await expectAccessible(page, 'console Open311 key shown once');
  await shown.getByRole('button', { name: '复制密钥', exact: true }).click();
  await expect(shown.getByRole('button', { name: '已复制', exact: true })).toBeVisible();
  await expect(shown.getByRole('status')).toHaveText('密钥已复制到剪贴板');
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(apiKey);
  await shown.getByRole('button', { name: '我已保存密钥', exact: true }).click();
  await expect(shown).toBeHidden();

  // Listed by its prefix only; the key itself is nowhere on the page any more.
  const row = page.getByRole('row').filter({ hasText: client });
  await expect(row).toContainText(`${keyPrefix}…`);
  await expect(row).toContainText('有效');
  expect(await page.content()).not.toContain(apiKey);
  await expectAccessible(page, 'console Open311 clients');

  await row.getByRole('button', { name: `吊销 ${client} 的密钥` }).click();
  const confirm = page.getByRole('dialog', { name: '吊销密钥' });
  await expect(confirm).toContainText(`吊销后「${client}」将无法再通过 Open311 提交或查询报修`);
  const revoked = page.waitForResponse((r) => r.url().endsWith('/revoke'));
  await confirm.getByRole('button', { name: '吊销', exact: true }).click();
  expect((await revoked).status()).toBe(200);
  await expect(row).toContainText('已吊销');
  await expect(row.getByRole('button')).toHaveCount(0);

  // The bureau's own repair promise: out of order is refused before sending; in order it is saved.
  await page.getByRole('navigation', { name: '后台菜单' }).getByRole('link', { name: '报修工单', exact: true }).click();
  const promise = page.getByRole('region', { name: '维修时限承诺' });
  const urgent = promise.getByRole('spinbutton', { name: '紧急报修的时限（小时）' });
  await expect(urgent).toHaveValue(/^\d+$/);
  const before = await urgent.inputValue();
  const puts: string[] = [];
  page.on('request', (request) => {
    if (request.method() === 'PUT' && request.url().includes('/ticket-sla')) puts.push(request.url());
  });
  await urgent.fill('9999');
  await promise.getByRole('button', { name: '保存时限', exact: true }).click();
  await expect(promise.getByText('请填写 1–720 之间的整数')).toBeVisible();
  await urgent.fill(String(Number(await promise.getByRole('spinbutton', { name: '普通报修的时限（小时）' }).inputValue()) + 1));
  await promise.getByRole('button', { name: '保存时限', exact: true }).click();
  await expect(promise.getByText('紧急报修的时限不能长于普通报修')).toBeVisible();
  expect(puts).toEqual([]);
  await urgent.fill(before);
  const saved = page.waitForResponse((r) => r.url().includes('/ticket-sla') && r.request().method() === 'PUT');
  await promise.getByRole('button', { name: '保存时限', exact: true }).click();
  expect((await saved).status()).toBe(200);
  await expect(page.getByText(/^已保存.*的维修时限$/)).toBeVisible();
  // (Once the success message has gone: Element Plus's green on its pale green is 4.48:1, a matter for the theme.)
  await expect(page.locator('.el-message')).toHaveCount(0);
  await expectAccessible(page, 'console repair queue of a bureau');
  expect(problems).toEqual([]);
});
