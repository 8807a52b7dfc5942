import { expect, test } from '@playwright/test';
import { idNumberCheckChar } from '@sports/domain';
import { choose, expectAccessible, screenshot, signIn, TEST_CLOCK, watchForPageErrors } from './support.ts';

// axe is injected as a script; the server's CSP would refuse it.
test.use({ bypassCSP: true });

/**
 * The school admin 13900000003 runs 金水区实验学校运动场（演示）; the demo plan opens its 篮球场1号, so
 * this journey opens the other area, 操场, for one evening only: Wednesday 2026-11-25 19:00–21:00, the
 * day of TEST_CLOCK (18:45), so the entry code is already valid (from 30 minutes before). No other
 * journey plans school sessions or uses the residents 13800000160–169.
 */
const SCHOOL_ADMIN = '13900000003';
const VENUE = '金水区实验学校运动场（演示）';
const AREA = '操场';
const DAY = '2026-11-25';
const CAPACITY = 30;
const RESIDENT = '13800000160';

/** A valid GB 11643 number: a Jinshui district address code, born 1990-01-01, the resident's number as the sequence. */
function idNumberFor(sequence: string): string {
  const first17 = `410105${'19900101'}${sequence}`;
  return `${first17}${idNumberCheckChar(first17)}`;
}

test('a school admin publishes an evening on the sports ground; a resident verifies their name, accepts the pledge, registers, and the gate lets them in', async ({
  page,
  browser,
}) => {
  test.setTimeout(120_000);

  // ——— the school admin plans and publishes, on a desktop ———
  await page.setViewportSize({ width: 1366, height: 860 });
  await page.clock.install({ time: new Date(TEST_CLOCK) });
  const problems = watchForPageErrors(page);
  await signIn(page, SCHOOL_ADMIN);
  const menu = page.getByRole('navigation', { name: '后台菜单' });
  await menu.getByRole('link', { name: '校园开放', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: '校园开放' })).toBeVisible();
  await expect(page.locator('.plans-table').getByRole('link').first()).toBeVisible();
  await page.getByRole('button', { name: '新建开放计划' }).click();
  await expect(page.getByRole('heading', { level: 1, name: '新建开放计划' })).toBeVisible();

  // Nothing filled in: every field at fault says so, and nothing is sent.
  await page.getByRole('button', { name: '预览' }).click();
  await expect(page.getByRole('alert').filter({ hasText: '请检查标出的字段。' })).toBeVisible();
  await expect(page.getByText('请选择学校场地')).toBeVisible();
  await expect(page.getByText('每周至少设置一个场次')).toBeVisible();

  await choose(page, '学校场地', VENUE, { exact: true });
  await choose(page, '开放区域（操场、球场、馆）', `${AREA} · 田径`, { exact: true });
  await page.getByRole('textbox', { name: '计划名称' }).fill('操场夜间开放（一晚）');
  await page.getByRole('spinbutton', { name: '每场名额' }).fill(String(CAPACITY));
  await page.getByRole('textbox', { name: '开始日期' }).fill(DAY);
  await page.getByRole('textbox', { name: '结束日期' }).fill(DAY);
  const wednesday = page.getByRole('group', { name: '周三', exact: true });
  await wednesday.getByRole('button', { name: '为周三添加时段' }).click();
  // Each time select has its own list; a closed one stays in the page, so pick from the open one by name.
  for (const [which, time] of [
    ['结束时间', '21:00'],
    ['开始时间', '19:00'],
  ] as const) {
    const label = `周三第 1 个时段${which}`;
    await wednesday.getByRole('combobox', { name: label }).click();
    await page.getByRole('listbox', { name: label }).getByRole('option', { name: time, exact: true }).click();
  }

  const previewed = page.waitForResponse((r) => r.url().endsWith('/api/v1/school-plans/preview'));
  await page.getByRole('button', { name: '预览' }).click();
  expect((await previewed).status()).toBe(200);
  const preview = page.getByRole('region', { name: '开放日历预览' });
  await expect(preview.getByTestId('plan-preview-summary')).toHaveText(`共 1 个场次，${CAPACITY} 个名额`);
  await expect(preview.locator(`td[data-date="${DAY}"]`)).toContainText('19:00–21:00');
  await expect(preview.getByRole('table', { name: /2026-11 开放日历/ })).toBeVisible();
  await expectAccessible(page, 'console plan editor with preview');
  await screenshot(page, 'school-plan-editor');

  const published = page.waitForResponse((r) => /\/api\/v1\/school-plans\/[\w-]+\/publish$/.test(r.url()));
  await page.getByRole('button', { name: '发布', exact: true }).click();
  const confirm = page.getByRole('dialog', { name: '发布开放计划' });
  await confirm.getByRole('button', { name: '发布', exact: true }).click();
  expect((await published).status()).toBe(200);
  await expect(page.getByText('已发布，居民可以报名了')).toBeVisible();
  await expect(page.locator('.plan-editor__head')).toContainText('已发布');
  await expect(page).toHaveURL(/\/console\/school-opening\/plans\/[\w-]+$/);
  expect(problems).toEqual([]);

  // ——— a resident on a phone finds the evening ———
  const phone = { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true };
  const resident = await browser.newPage(phone);
  await resident.clock.install({ time: new Date(TEST_CLOCK) });
  const residentProblems = watchForPageErrors(resident);
  await signIn(resident, RESIDENT);
  await resident.getByRole('link', { name: /校园开放/ }).click();
  await expect(resident).toHaveURL('/schools');
  await expect(resident.getByRole('group', { name: '选择日期' }).getByRole('button').first()).toHaveText('今天 11/25');
  await expect(resident.getByRole('group', { name: '选择日期' }).getByRole('button').first()).toHaveAttribute('aria-pressed', 'true');
  const card = resident.getByRole('link').filter({ hasText: `${VENUE} · ${AREA}` });
  await expect(card).toContainText('19:00–21:00');
  await expect(card).toContainText(`剩余 ${CAPACITY} 个名额（共 ${CAPACITY} 个）`);
  expect(await resident.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
  await screenshot(resident, 'schools-list-360');
  await card.click();

  await expect(resident.getByRole('heading', { level: 1, name: '郑州市金水区示范中学（演示）' })).toBeVisible();
  await expect(resident.getByTestId('session-places')).toHaveText(`剩余 ${CAPACITY} 个名额（共 ${CAPACITY} 个）`);
  await expect(resident.getByText('报名前需完成实名登记。')).toBeVisible();
  await expectAccessible(resident, 'resident school session page');
  expect(await resident.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
  const sessionUrl = resident.url();

  // A child's age is checked before anything is sent; the child is then left at home.
  await resident.getByRole('button', { name: '添加随行儿童' }).click();
  await resident.getByLabel('第 1 位儿童姓名').fill('小明');
  await resident.getByLabel('第 1 位儿童年龄（岁）').fill('15');
  await resident.getByRole('button', { name: '确认报名' }).click();
  await expect(resident.getByText('年龄须为 0–13 岁的整数')).toBeVisible();
  await expect(resident.getByText('共 2 人，占用 2 个名额')).toBeVisible();
  await resident.getByRole('button', { name: '删除第 1 位儿童' }).click();
  await expect(resident.getByText('共 1 人，占用 1 个名额')).toBeVisible();

  // Registering without a real name leads to the real-name page, and back.
  await resident.getByRole('button', { name: '确认报名' }).click();
  await expect(resident).toHaveURL(/\/me\/identity\?redirect=/);
  await expect(resident.getByRole('heading', { level: 1, name: '实名信息' })).toBeVisible();
  await expect(resident.getByText(/仅用于学校场地开放的报名与入校核验/)).toBeVisible();
  await expectAccessible(resident, 'resident identity page');
  expect(await resident.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);

  const idNumber = idNumberFor(RESIDENT.slice(-3));
  const wrongCheck = `${idNumber.slice(0, 17)}${idNumber[17] === '0' ? '1' : '0'}`;
  await resident.getByLabel('姓名').fill('王小二');
  await resident.getByLabel('身份证号').fill(wrongCheck);
  await resident.getByRole('button', { name: '提交实名信息' }).click();
  await expect(resident.getByText('身份证号校验位不正确，请核对')).toBeVisible();
  await expect(resident.getByText('请选择居住区县')).toBeVisible();
  await expect(resident.getByText('请阅读并同意个人信息收集与使用说明')).toBeVisible();
  await expect(resident.getByRole('alert')).toHaveText('请检查标出的字段。');
  await expectAccessible(resident, 'resident identity page with errors');
  await screenshot(resident, 'identity-errors-360');

  await resident.getByLabel('身份证号').fill(idNumber);
  await resident.getByLabel('居住区县').selectOption({ label: '郑州市 金水区' });
  await resident.getByRole('checkbox', { name: '我已阅读并同意上述说明' }).check();
  const saved = resident.waitForResponse((r) => r.url().endsWith('/api/v1/me/identity') && r.request().method() === 'PUT');
  await resident.getByRole('button', { name: '提交实名信息' }).click();
  expect((await saved).status()).toBe(200);
  await expect(resident).toHaveURL(sessionUrl);
  await expect(resident.getByText('✓ 已实名：王**')).toBeVisible();

  // The school's pledge is read and accepted on the way to registering.
  await resident.getByRole('button', { name: '确认报名' }).click();
  const pledge = resident.getByRole('dialog', { name: '学校体育场地开放安全承诺书' });
  await expect(pledge).toContainText('携带未满 14 周岁儿童的');
  await screenshot(resident, 'school-pledge-360');
  const registered = resident.waitForResponse((r) => /\/api\/v1\/school-sessions\/[\w-]+\/registrations$/.test(r.url()) && r.request().method() === 'POST');
  await pledge.getByRole('button', { name: '我已阅读并同意' }).click();
  const answer = await registered;
  expect(answer.status()).toBe(201);
  expect(answer.request().headers()['idempotency-key']).toMatch(/^[\w.:-]{8,100}$/);

  await expect(resident.getByRole('heading', { level: 1, name: '报名成功' })).toBeVisible();
  await expect(resident.getByRole('img', { name: /入校二维码，入校码/ })).toHaveAttribute('src', /^data:image\/png/);
  await expect(resident.getByTestId('school-entry-window')).toHaveText('有效时间：2026-11-25 18:30 至 2026-11-25 21:00');
  const code = (await resident.getByTestId('school-entry-code').textContent())!.trim();
  expect(code).toMatch(/^[A-Z0-9]{8}$/);
  await screenshot(resident, 'school-registered-360');

  await resident.getByRole('link', { name: '查看我的校园开放报名' }).click();
  await expect(resident).toHaveURL('/bookings?tab=school');
  await expect(resident.getByRole('button', { name: '校园开放' })).toHaveAttribute('aria-pressed', 'true');
  const mine = resident.getByRole('listitem').filter({ hasText: code });
  await expect(mine).toContainText('2026-11-25 19:00–21:00');
  await expect(mine).toContainText('已报名');
  await mine.getByRole('button', { name: '出示入校码' }).click();
  await expect(mine.getByRole('img', { name: new RegExp(code) })).toBeVisible();
  await expectAccessible(resident, '我的预约, 校园开放');
  expect(residentProblems).toEqual([]);
  await resident.close();

  // ——— the school admin at the gate, on a phone ———
  const gate = await browser.newPage(phone);
  await gate.clock.install({ time: new Date(TEST_CLOCK) });
  const gateProblems = watchForPageErrors(gate);
  await signIn(gate, SCHOOL_ADMIN);
  await gate.goto('/console/school-gate');
  await expect(gate.getByRole('heading', { level: 1, name: '校园入场核验' })).toBeVisible();
  await expect(gate.getByRole('radio', { name: '入场' })).toBeChecked();
  await gate.getByLabel('入校码').fill(code);
  await gate.getByRole('button', { name: '核验' }).click();
  await expect(gate.getByRole('status').filter({ hasText: '入场成功' })).toBeVisible();
  await expect(gate.getByTestId('school-gate-name')).toHaveText('王**');
  await expect(gate.getByTestId('school-gate-party')).toHaveText('1 人');
  await expect(gate.getByTestId('school-gate-status')).toHaveText('已入校');
  await expect(gate.getByTestId('school-headcount')).toHaveText(`1/${CAPACITY}`);
  await expect(gate.getByText(`${VENUE} · ${AREA}`).first()).toBeVisible();
  expect(await gate.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
  await screenshot(gate, 'school-gate-in-360');

  // In twice is refused with the server's reason; out brings the count back down.
  await gate.getByLabel('入校码').fill(code);
  await gate.getByRole('button', { name: '核验' }).click();
  await expect(gate.getByRole('alert')).toContainText('无法通过');
  await gate.getByRole('radio', { name: '离场' }).check({ force: true });
  await gate.getByLabel('入校码').fill(code);
  await gate.getByRole('button', { name: '核验' }).click();
  await expect(gate.getByRole('status').filter({ hasText: '离场成功' })).toBeVisible();
  await expect(gate.getByTestId('school-headcount')).toHaveText(`0/${CAPACITY}`);
  expect(gateProblems).toEqual([]);
  await gate.close();

  // ——— back at the desk: the session's list of who came, masked, and as a CSV file ———
  await page.goto('/console/school-opening?tab=sessions');
  const row = page.locator('.sessions-table tbody tr').filter({ hasText: `${VENUE} · ${AREA}` });
  await expect(row).toContainText('19:00–21:00');
  await expect(row).toContainText(`1/${CAPACITY}`);
  await row.getByRole('button', { name: /^报名名单/ }).click();
  const list = page.getByRole('dialog', { name: `报名名单 · ${DAY} 19:00–21:00` });
  const registration = list.locator('tbody tr').filter({ hasText: code });
  await expect(registration).toContainText('王**');
  await expect(registration).toContainText('138****0160');
  await expect(registration).toContainText('已离校');
  await expect(registration).not.toContainText(idNumber);
  await expectAccessible(page, 'console session registrations');
  const download = page.waitForEvent('download');
  await list.getByRole('button', { name: '导出 CSV' }).click();
  expect((await download).suggestedFilename()).toMatch(/\.csv$/);
  await list.getByRole('button', { name: '关闭', exact: true }).click();
  await expect(list).toBeHidden();

  await page.getByRole('tab', { name: '安全承诺书' }).click();
  await expect(page.getByRole('status').filter({ hasText: '当前版本：第 1 版' })).toBeVisible();
  await expect(page.getByRole('textbox', { name: '标题' })).toHaveValue('学校体育场地开放安全承诺书');
  expect(problems).toEqual([]);
});

test('the city bureau sees each district’s share of school venues open against the target', async ({ page }) => {
  await page.setViewportSize({ width: 1366, height: 860 });
  await signIn(page, '13900000001');
  await page.getByRole('navigation', { name: '后台菜单' }).getByRole('link', { name: '校园开放统计' }).click();
  await expect(page.getByRole('heading', { level: 1, name: '校园开放统计' })).toBeVisible();
  await expect(page.getByText(/目标：学校场地开放率不低于 60\.0%/)).toBeVisible();
  const table = page.getByRole('table', { name: '校园开放统计' });
  const jinshui = table.getByRole('row').filter({ has: page.getByRole('rowheader', { name: '金水区', exact: true }) });
  await expect(jinshui.getByRole('cell').nth(0)).not.toHaveText('0');
  await expect(table.getByRole('rowheader', { name: '合计' })).toBeVisible();
  await expectAccessible(page, 'console school opening figures');
  await screenshot(page, 'school-stats');
});
