import { expect, test, type APIRequest, type APIRequestContext, type Locator, type Page } from '@playwright/test';
import type { DayGrid, Notification, Reservation } from '@sports/contracts';
import { DEMO_PASSWORD, expectAccessible, screenshot, signIn, TEST_CLOCK, watchForPageErrors } from './support.ts';

// axe is injected as a script; the server's CSP would refuse it.
test.use({ viewport: { width: 1366, height: 860 }, bypassCSP: true });

/**
 * A venue of the operator 13900000002 that no other journey touches, open 05:00–22:30 every day, and
 * dates after TEST_CLOCK (Wednesday 2026-11-25 18:45). Each test keeps to its own days or courts, so
 * the tests of this file may run at once.
 */
const VENUE = '新密市全民健身中心';
const OPERATOR = '13900000002';

/** An API session of a demo account, as the app's own client holds one: a bearer token. */
async function apiAs(requests: APIRequest, baseURL: string, phone: string): Promise<APIRequestContext> {
  const anonymous = await requests.newContext({ baseURL });
  const login = await anonymous.post('/api/v1/auth/login', { data: { phone, password: DEMO_PASSWORD } });
  expect(login.status(), `${phone} signs in`).toBe(200);
  const { accessToken } = (await login.json()) as { accessToken: string };
  await anonymous.dispose();
  return requests.newContext({ baseURL, extraHTTPHeaders: { authorization: `Bearer ${accessToken}` } });
}

async function venueId(api: APIRequestContext): Promise<string> {
  const answer = await api.get(`/api/v1/venues?q=${encodeURIComponent(VENUE)}&pageSize=5`);
  const { items } = (await answer.json()) as { items: { id: string; name: string }[] };
  const found = items.find((v) => v.name === VENUE);
  expect(found, `${VENUE} is in the demo data`).toBeTruthy();
  return found!.id;
}

async function dayGrid(api: APIRequestContext, venue: string, date: string): Promise<DayGrid> {
  const answer = await api.get(`/api/v1/venues/${venue}/bookings?date=${date}`);
  expect(answer.status()).toBe(200);
  return (await answer.json()) as DayGrid;
}

function courtId(grid: DayGrid, name: string): string {
  const court = grid.resources.find((r) => r.name === name);
  expect(court, `${VENUE} has ${name}`).toBeTruthy();
  return court!.id;
}

/** A resident books a court as the booking page does: one request with an Idempotency-Key. */
async function book(resident: APIRequestContext, resourceId: string, date: string, from: string, to: string): Promise<Reservation> {
  const answer = await resident.post('/api/v1/reservations', {
    data: { resourceId, start: `${date}T${from}:00+08:00`, end: `${date}T${to}:00+08:00` },
    headers: { 'Idempotency-Key': `console-bookings-${resourceId}-${date}-${from}` },
  });
  expect(answer.status(), await answer.text()).toBe(201);
  return (await answer.json()) as Reservation;
}

/** Opens the console's 预约管理 on one venue and day, and waits for that day's grid. */
async function openDay(page: Page, date: string): Promise<Locator> {
  await page.goto('/console/bookings');
  await expect(page.getByRole('heading', { level: 1, name: '预约管理' })).toBeVisible();
  // Element Plus selects open from the keyboard (their placeholder takes the pointer).
  const venue = page.getByRole('combobox', { name: '场馆' });
  await venue.focus();
  await page.keyboard.press('Enter');
  await page.getByRole('option', { name: VENUE, exact: true }).click();
  await expect(page.locator('.desk__filters')).toContainText(VENUE);
  await page.getByLabel('日期', { exact: true }).fill(date);
  const grid = page.getByRole('table', { name: `预约管理 ${date}` });
  await expect(grid).toBeVisible();
  await expect(page.locator('.el-loading-mask')).toHaveCount(0);
  return grid;
}

/** The grid cell of a court (a column) at an hour (a row). */
async function cell(grid: Locator, court: string, hour: string): Promise<Locator> {
  await expect(grid).toBeVisible();
  const courts = await grid.getByRole('columnheader').allInnerTexts();
  const column = courts.findIndex((name) => name.trim() === court);
  expect(column, `the grid has a column for ${court}`).toBeGreaterThan(0);
  return grid.getByRole('row').filter({ has: grid.page().getByRole('rowheader', { name: hour, exact: true }) }).getByRole('cell').nth(column - 1);
}

/** Presses Tab until `target` has the focus, proving it is reachable by keyboard in a sensible number of steps. */
async function tabTo(page: Page, target: Locator, most = 25): Promise<void> {
  for (let i = 0; i < most; i++) {
    if (await target.evaluate((element) => element === document.activeElement)) return;
    await page.keyboard.press('Tab');
  }
  await expect(target).toBeFocused();
}

test('the operator sees every court and the day’s bookings, blocks a court for maintenance, and the resident in the way is cancelled and told', async ({
  page,
  playwright,
  baseURL,
}) => {
  await page.clock.install({ time: new Date(TEST_CLOCK) });
  const problems = watchForPageErrors(page);
  const day = '2026-12-02';
  const operator = await apiAs(playwright.request, baseURL!, OPERATOR);
  const venue = await venueId(operator);
  const before = await dayGrid(operator, venue, day);
  expect(before.bookings, `nothing else books ${VENUE} on ${day}`).toEqual([]);

  // Two residents book the evening: one where the block will go, one on another court.
  const inTheWay = await apiAs(playwright.request, baseURL!, '13800000151');
  const elsewhere = await apiAs(playwright.request, baseURL!, '13800000152');
  const blocked = await book(inTheWay, courtId(before, '羽毛球场1号'), day, '19:00', '20:00');
  const kept = await book(elsewhere, courtId(before, '乒乓球台1号'), day, '19:00', '20:00');

  await signIn(page, OPERATOR);
  const grid = await openDay(page, day);
  await expect(grid.getByRole('columnheader')).toHaveText(['时间', ...before.resources.map((r) => r.name)]);
  const badminton = await cell(grid, '羽毛球场1号', '19:00');
  await expect(badminton).toContainText('预约 · 已预约');
  await expect(badminton).toContainText(`19:00–20:00 · ${blocked.code}`);
  await expect(badminton).toContainText('居民151 138****0151');
  const tableTennis = await cell(grid, '乒乓球台1号', '19:00');
  await expect(tableTennis).toContainText(`19:00–20:00 · ${kept.code}`);
  await expect(tableTennis).toContainText('居民152 138****0152');
  await expect(page.getByText('当天没有预约')).toHaveCount(0);
  await expectAccessible(page, 'console booking grid');
  await screenshot(page, 'console-bookings-grid');

  await page.getByRole('button', { name: '占用场地' }).click();
  const dialog = page.getByRole('dialog', { name: '占用场地（已有预约将被免责取消并通知）' });
  await expect(dialog.getByRole('group', { name: `开始 (${day})` })).toBeVisible();
  await expect(dialog.getByRole('checkbox')).toHaveCount(before.resources.length);
  await expectAccessible(page, 'console block dialog');

  // Everything by keyboard: the court, the span, the reason, and the main action.
  const court = dialog.getByRole('checkbox', { name: '羽毛球场1号' });
  await court.focus();
  await page.keyboard.press('Space');
  await expect(court).toBeChecked();
  await dialog.getByRole('textbox', { name: '开始', exact: true }).fill('18:00');
  await dialog.getByRole('textbox', { name: '结束', exact: true }).fill('21:00');
  await dialog.getByRole('textbox', { name: '原因' }).fill('地板打蜡维护');
  const confirm = dialog.getByRole('button', { name: '确定' });
  await tabTo(page, confirm);
  const answered = page.waitForResponse((r) => r.url().endsWith(`/api/v1/venues/${venue}/blocks`) && r.request().method() === 'POST');
  await page.keyboard.press('Enter');
  const answer = await answered;
  expect(answer.status()).toBe(201);
  const result = (await answer.json()) as { blocks: { id: string }[]; cancelled: { id: string }[] };
  expect(result.cancelled.map((c) => c.id)).toEqual([blocked.id]);
  await expect(dialog).toBeHidden();
  await expect(page.getByText('已占用 1 个场地，取消 1 个预约')).toBeVisible();

  // The block sits where the booking was; the booking is gone; the other court is untouched.
  const blockCell = await cell(grid, '羽毛球场1号', '18:00');
  await expect(blockCell).toContainText('占用 · 已预约');
  await expect(blockCell).toContainText('18:00–21:00');
  await expect(blockCell).toContainText('地板打蜡维护');
  await expect(grid).not.toContainText(blocked.code);
  await expect(badminton).toBeEmpty();
  await expect(tableTennis).toContainText(kept.code);
  await screenshot(page, 'console-bookings-blocked');

  // The resident sees the booking cancelled, without penalty, and has a message saying why.
  const mine = (await (await inTheWay.get(`/api/v1/reservations/${blocked.id}`)).json()) as Reservation;
  expect(mine.status).toBe('cancelled');
  expect(mine.cancelReason).toBe('地板打蜡维护');
  const inbox = (await (await inTheWay.get('/api/v1/me/notifications')).json()) as Notification[];
  const told = inbox.find((n) => n.data.reservationId === blocked.id);
  expect(told, 'the resident was told').toMatchObject({ kind: 'reservation.cancelled_by_venue', title: '您的预约因场馆安排被取消', readAt: null });
  expect(told!.body).toContain(VENUE);
  expect(told!.body).toContain('地板打蜡维护');
  expect(((await (await elsewhere.get(`/api/v1/reservations/${kept.id}`)).json()) as Reservation).status).toBe('confirmed');
  expect(((await (await elsewhere.get('/api/v1/me/notifications')).json()) as Notification[]).filter((n) => n.data.reservationId === kept.id)).toEqual([]);
  expect(problems).toEqual([]);
  await Promise.all([operator.dispose(), inTheWay.dispose(), elsewhere.dispose()]);
});

test('a club’s weekly series lists the Tuesdays already taken and creates the rest, which then show on the grid', async ({
  page,
  playwright,
  baseURL,
}) => {
  await page.clock.install({ time: new Date(TEST_CLOCK) });
  const problems = watchForPageErrors(page);
  const tuesdays = ['2026-12-01', '2026-12-08', '2026-12-15', '2026-12-22', '2026-12-29'];
  const operator = await apiAs(playwright.request, baseURL!, OPERATOR);
  const venue = await venueId(operator);
  const first = await dayGrid(operator, venue, tuesdays[0]!);
  const courtName = '羽毛球场2号';
  const court = courtId(first, courtName);

  // In the way: a resident’s booking on the first Tuesday, and a block on the third.
  const resident = await apiAs(playwright.request, baseURL!, '13800000153');
  const taken = await book(resident, court, tuesdays[0]!, '19:00', '20:00');
  const blockAnswer = await operator.post(`/api/v1/venues/${venue}/blocks`, {
    data: { resourceIds: [court], start: `${tuesdays[2]}T20:00:00+08:00`, end: `${tuesdays[2]}T21:30:00+08:00`, reason: '羽毛球比赛' },
  });
  expect(blockAnswer.status()).toBe(201);

  await signIn(page, OPERATOR);
  const grid = await openDay(page, tuesdays[0]!);
  await expect(await cell(grid, courtName, '19:00')).toContainText(taken.code);

  await page.getByRole('button', { name: '固定场' }).click();
  const dialog = page.getByRole('dialog', { name: '新建固定场（每周重复）' });
  await expect(dialog.locator('.el-form-item').filter({ hasText: '星期' })).toContainText('周二');
  const courtSelect = dialog.getByRole('combobox', { name: '场地' });
  await courtSelect.focus();
  await page.keyboard.press('Enter');
  await page.getByRole('option', { name: courtName, exact: true }).click();
  await expect(dialog.locator('.el-form-item').filter({ hasText: '场地' })).toContainText(courtName);
  await dialog.getByRole('textbox', { name: '开始', exact: true }).fill('19:00');
  await dialog.getByRole('textbox', { name: '结束', exact: true }).fill('21:00');
  await dialog.getByRole('textbox', { name: '起始日期', exact: true }).fill(tuesdays[0]!);
  await dialog.getByRole('textbox', { name: '结束日期', exact: true }).fill(tuesdays[4]!);
  await dialog.getByRole('textbox', { name: '联系人手机号' }).fill('13800000154');
  await dialog.getByRole('textbox', { name: '备注' }).fill('新密羽毛球俱乐部周二训练');

  const create = dialog.getByRole('button', { name: '创建' });
  await expect(create, 'nothing is created before a preview').toBeDisabled();
  const previewed = page.waitForResponse((r) => r.url().endsWith(`/api/v1/venues/${venue}/series`));
  await dialog.getByRole('button', { name: '预览' }).click();
  expect(((await previewed).request().postDataJSON() as { dryRun: boolean }).dryRun).toBe(true);
  const outcome = dialog.getByRole('status');
  await expect(outcome).toContainText('将创建 3 次 · 冲突 2 次');
  await expect(outcome).toContainText(`日期：${tuesdays[1]}、${tuesdays[3]}、${tuesdays[4]}`);
  await expect(outcome.getByRole('list', { name: '冲突的日期' }).getByRole('listitem')).toHaveText([
    `${tuesdays[0]} 19:00–21:00 · 已被预约`,
    `${tuesdays[2]} 19:00–21:00 · 已被预约`,
  ]);
  // A preview writes nothing.
  expect((await dayGrid(operator, venue, tuesdays[1]!)).bookings).toEqual([]);
  await expectAccessible(page, 'console series dialog with a preview');
  await screenshot(page, 'console-bookings-series-preview');

  // The main action is reachable by keyboard once the preview is there.
  await tabTo(page, create);
  const created = page.waitForResponse((r) => r.url().endsWith(`/api/v1/venues/${venue}/series`));
  await page.keyboard.press('Enter');
  const answer = await created;
  expect(answer.status()).toBe(200);
  const series = (await answer.json()) as { seriesId: string; created: { date: string }[]; conflicts: { date: string }[] };
  expect(series.created.map((c) => c.date)).toEqual([tuesdays[1], tuesdays[3], tuesdays[4]]);
  expect(series.conflicts.map((c) => c.date)).toEqual([tuesdays[0], tuesdays[2]]);
  await expect(page.getByText('已创建固定场 3 次')).toBeVisible();
  // The result stays on screen: what was created, and every date that was not, with why.
  await expect(outcome).toContainText('已创建 3 次 · 冲突 2 次');
  await expect(outcome.getByRole('list', { name: '冲突的日期' }).getByRole('listitem')).toHaveCount(2);
  await expect(create).toBeDisabled();
  await screenshot(page, 'console-bookings-series-created');
  await dialog.getByRole('button', { name: '关闭', exact: true }).click();
  await expect(dialog).toBeHidden();

  // The first Tuesday still belongs to the resident; the second shows the club.
  await expect(await cell(grid, courtName, '19:00')).toContainText(taken.code);
  await expect(await cell(grid, courtName, '19:00')).not.toContainText('固定场');
  await page.getByLabel('日期', { exact: true }).fill(tuesdays[1]!);
  const second = page.getByRole('table', { name: `预约管理 ${tuesdays[1]}` });
  const club = await cell(second, courtName, '19:00');
  await expect(club).toContainText('固定场 · 已预约');
  await expect(club).toContainText('19:00–21:00');
  await expect(club).toContainText('居民154 138****0154');
  await expect(club).toContainText('新密羽毛球俱乐部周二训练');
  for (const date of [tuesdays[3]!, tuesdays[4]!]) {
    const onDay = (await dayGrid(operator, venue, date)).bookings.filter((b) => b.resourceId === court);
    expect(onDay.map((b) => [b.kind, b.note])).toEqual([['series', '新密羽毛球俱乐部周二训练']]);
  }
  const third = (await dayGrid(operator, venue, tuesdays[2]!)).bookings.filter((b) => b.resourceId === court);
  expect(third.map((b) => b.kind), 'the block on the third Tuesday stays, with no series beside it').toEqual(['block']);
  expect(((await (await resident.get(`/api/v1/reservations/${taken.id}`)).json()) as Reservation).status).toBe('confirmed');
  expect(problems).toEqual([]);
  await Promise.all([operator.dispose(), resident.dispose()]);
});

test('bad input in the block and series dialogs is marked on its field and changes nothing', async ({ page, playwright, baseURL }) => {
  await page.clock.install({ time: new Date(TEST_CLOCK) });
  const problems = watchForPageErrors(page);
  const day = '2026-12-03';
  const operator = await apiAs(playwright.request, baseURL!, OPERATOR);
  const venue = await venueId(operator);
  const changes: string[] = [];
  page.on('request', (r) => {
    if (r.method() === 'POST' && /\/(blocks|series)$/.test(new URL(r.url()).pathname)) changes.push(r.url());
  });

  await signIn(page, OPERATOR);
  const grid = await openDay(page, day);
  await expect(page.getByText('当天没有预约')).toBeVisible();

  // Block: no court, the end before the start, no reason. Each field says what is wrong; nothing is sent.
  await page.getByRole('button', { name: '占用场地' }).click();
  const block = page.getByRole('dialog', { name: '占用场地（已有预约将被免责取消并通知）' });
  const blockField = (label: string) => block.locator('.el-form-item').filter({ hasText: label });
  await block.getByRole('textbox', { name: '开始', exact: true }).fill('20:00');
  await block.getByRole('textbox', { name: '结束', exact: true }).fill('19:00');
  await block.getByRole('button', { name: '确定' }).click();
  await expect(block.getByRole('alert').filter({ hasText: '请检查标出的字段。' })).toBeVisible();
  await expect(blockField('场地').locator('.el-form-item__error')).toHaveText('请至少选择一个场地');
  await expect(blockField('结束').locator('.el-form-item__error')).toHaveText('结束时间须晚于开始时间');
  await expect(block.getByRole('textbox', { name: '结束', exact: true })).toHaveAttribute('aria-invalid', 'true');
  await expect(blockField('原因').locator('.el-form-item__error')).toHaveText('原因需为 2–200 个字符');
  await expectAccessible(page, 'console block dialog with errors');
  await screenshot(page, 'console-bookings-block-errors');

  // A reason of one character is still too short, even with the rest put right.
  await block.locator('label.el-checkbox').filter({ hasText: '羽毛球场3号' }).click();
  await expect(block.getByRole('checkbox', { name: '羽毛球场3号' })).toBeChecked();
  await block.getByRole('textbox', { name: '结束', exact: true }).fill('21:00');
  await block.getByRole('textbox', { name: '原因' }).fill('修');
  await block.getByRole('button', { name: '确定' }).click();
  await expect(blockField('原因').locator('.el-form-item__error')).toHaveText('原因需为 2–200 个字符');
  await expect(blockField('结束').locator('.el-form-item__error')).toHaveCount(0);
  await expect(blockField('场地').locator('.el-form-item__error')).toHaveCount(0);
  await block.getByRole('button', { name: '关闭', exact: true }).click();
  await expect(block).toBeHidden();
  expect(changes, 'the block dialog sent nothing').toEqual([]);

  // Series: the times swapped, the dates reversed, a phone that is no phone, no note.
  await page.getByRole('button', { name: '固定场' }).click();
  const series = page.getByRole('dialog', { name: '新建固定场（每周重复）' });
  const seriesField = (label: string) => series.locator('.el-form-item').filter({ hasText: label });
  await series.getByRole('textbox', { name: '开始', exact: true }).fill('21:00');
  await series.getByRole('textbox', { name: '结束', exact: true }).fill('19:00');
  await series.getByRole('textbox', { name: '起始日期', exact: true }).fill('2026-12-31');
  await series.getByRole('textbox', { name: '结束日期', exact: true }).fill(day);
  await series.getByRole('textbox', { name: '联系人手机号' }).fill('12345');
  await series.getByRole('button', { name: '预览' }).click();
  await expect(series.getByRole('alert').filter({ hasText: '请检查标出的字段。' })).toBeVisible();
  await expect(seriesField('开始 / 结束').locator('.el-form-item__error')).toHaveText('结束时间须晚于开始时间');
  await expect(seriesField('起始日期 / 结束日期').locator('.el-form-item__error')).toHaveText('结束日期须在起始日期当天或之后的 200 天内');
  await expect(seriesField('联系人手机号').locator('.el-form-item__error')).toHaveText('请输入 11 位中国大陆手机号');
  await expect(seriesField('备注').locator('.el-form-item__error')).toHaveText('备注需为 2–200 个字符，如俱乐部名称');
  await expect(series.getByRole('status')).toHaveCount(0);
  await expect(series.getByRole('button', { name: '创建' })).toBeDisabled();
  expect(changes, 'the series dialog sent nothing while its fields were wrong').toEqual([]);

  // Put right, but the holder has no account: the server's refusal lands on the phone field.
  await series.getByRole('textbox', { name: '开始', exact: true }).fill('19:00');
  await series.getByRole('textbox', { name: '结束', exact: true }).fill('21:00');
  await series.getByRole('textbox', { name: '起始日期', exact: true }).fill(day);
  await series.getByRole('textbox', { name: '结束日期', exact: true }).fill('2026-12-31');
  await series.getByRole('textbox', { name: '联系人手机号' }).fill('13700000000');
  await series.getByRole('textbox', { name: '备注' }).fill('无人认领的固定场');
  const refused = page.waitForResponse((r) => r.url().endsWith(`/api/v1/venues/${venue}/series`));
  await series.getByRole('button', { name: '预览' }).click();
  expect((await refused).status()).toBe(422);
  await expect(seriesField('联系人手机号').locator('.el-form-item__error')).toHaveText('未找到该手机号对应的用户，请先让对方注册。');
  await expect(seriesField('开始 / 结束').locator('.el-form-item__error')).toHaveCount(0);
  await expect(series.getByRole('status')).toHaveCount(0);
  await expect(series.getByRole('button', { name: '创建' })).toBeDisabled();
  await series.getByRole('button', { name: '关闭', exact: true }).click();

  await expect(grid).toBeVisible();
  await expect(page.getByText('当天没有预约')).toBeVisible();
  for (const date of [day, '2026-12-10', '2026-12-17', '2026-12-24', '2026-12-31']) {
    expect((await dayGrid(operator, venue, date)).bookings, `nothing was written on ${date}`).toEqual([]);
  }
  expect(problems).toEqual([]);
  await operator.dispose();
});
