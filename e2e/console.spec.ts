import { expect, test } from '@playwright/test';
import { recordScripts, screenshot, signIn, watchForPageErrors } from './support.ts';

test.use({ viewport: { width: 1366, height: 860 } });

test('the Zhengzhou bureau admin creates an organisation, grants a role in it and revokes it', async ({ page }) => {
  const problems = watchForPageErrors(page);
  const name = `测试运营公司${Date.now().toString(36)}`;

  await signIn(page, '13900000001');
  await expect(page).toHaveURL('/console');
  // From here on the console is loaded afresh, as after a reload, to see which bundles it needs.
  const scripts = recordScripts(page);
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: '概览' })).toBeVisible();
  await expect(page.getByRole('cell', { name: '郑州市体育局', exact: true })).toBeVisible();
  const menu = page.getByRole('navigation', { name: '后台菜单' });
  await expect(menu.getByRole('link')).toHaveText([
    '概览',
    '数据看板',
    '机构与角色',
    '场馆',
    '预约管理',
    '入场核验',
    '报修工单',
    '设施台账',
    '校园开放',
    '校园开放统计',
    'Open311 接入',
    '操作日志',
  ]);
  await screenshot(page, 'console-overview');

  const firstPage = page.waitForResponse((r) => r.url().includes('/api/v1/organisations?') && r.request().method() === 'GET');
  await menu.getByRole('link', { name: '机构与角色' }).click();
  const everything = await firstPage;
  expect(everything.status()).toBe(200);
  const { total } = (await everything.json()) as { total: number };
  expect(total).toBeGreaterThan(10);
  await expect(page.getByRole('heading', { level: 1, name: '机构与角色' })).toBeVisible();
  const table = page.locator('.organisations-table');
  const rows = table.locator('tbody tr');
  await expect(table.getByText('郑州市体育局', { exact: true })).toBeVisible();
  await expect(rows).toHaveCount(10);
  await expect(page.getByText(`共 ${total} 条`)).toBeVisible();
  await screenshot(page, 'console-organisations');

  // Pages come from the server.
  const secondPage = page.waitForResponse((r) => r.url().includes('page=2'));
  await page.getByRole('listitem', { name: '第 2 页' }).click();
  expect((await secondPage).status()).toBe(200);
  await expect(table.getByText('郑州市体育局', { exact: true })).toHaveCount(0);

  // So does the search, which starts again from the first page.
  await page.getByLabel('名称').fill('金水');
  const searched = page.waitForResponse((r) => r.url().includes('q=%E9%87%91%E6%B0%B4'));
  await page.getByRole('button', { name: '查询' }).click();
  const found = await searched;
  expect(found.url()).toContain('page=1');
  const { total: matching } = (await found.json()) as { total: number };
  await expect(page.getByText(`共 ${matching} 条`)).toBeVisible();
  await expect(rows).toHaveCount(matching);
  for (const row of await rows.all()) await expect(row).toContainText('金水');

  // Create an organisation.
  await page.getByRole('button', { name: '新建机构' }).click();
  const dialog = page.getByRole('dialog', { name: '新建机构' });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('combobox', { name: '上级体育局' })).toBeEnabled();
  await dialog.getByRole('button', { name: '创建' }).click();
  await expect(dialog.getByText('请选择机构类型')).toBeVisible();
  await expect(dialog.getByText('名称需为 2–60 个字符')).toBeVisible();

  // Element Plus selects open from the keyboard as well.
  await dialog.getByRole('combobox', { name: '机构类型' }).focus();
  await page.keyboard.press('Enter');
  await page.getByRole('option', { name: '运营单位' }).click();
  await dialog.getByLabel('机构名称').fill(name);
  await expect(dialog.locator('.el-select__selected-item').filter({ hasText: '郑州市体育局' })).toBeVisible();
  await screenshot(page, 'console-create-organisation');
  const created = page.waitForResponse((r) => r.url().endsWith('/api/v1/organisations') && r.request().method() === 'POST');
  await dialog.getByRole('button', { name: '创建' }).click();
  expect((await created).status()).toBe(201);
  await expect(dialog).toBeHidden();
  await expect(table.getByText(name)).toBeVisible();

  // A second organisation of that name is refused, and the server's reason sits on the name field.
  await page.getByRole('button', { name: '新建机构' }).click();
  await dialog.getByRole('combobox', { name: '机构类型' }).focus();
  await page.keyboard.press('Enter');
  await page.getByRole('option', { name: '学校' }).click();
  await dialog.getByLabel('机构名称').fill(name);
  const refused = page.waitForResponse((r) => r.url().endsWith('/api/v1/organisations') && r.request().method() === 'POST');
  await dialog.getByRole('button', { name: '创建' }).click();
  expect((await refused).status()).toBe(409);
  await expect(dialog.locator('.el-form-item').filter({ hasText: '机构名称' })).toContainText('同一城市已有同名机构。');
  await screenshot(page, 'console-create-organisation-name-taken');
  await dialog.getByRole('button', { name: '取消' }).click();
  await expect(dialog).toBeHidden();

  // Its roles panel opens, empty.
  const panel = page.getByRole('region', { name: `「${name}」的角色` });
  await expect(panel).toBeVisible();
  await expect(panel.getByText('该机构暂无角色')).toBeVisible();
  await expect(panel.getByRole('combobox', { name: '角色' })).toBeVisible();

  // Grant the operator role to a resident.
  await panel.getByLabel('用户手机号').fill('13800000002');
  const granted = page.waitForResponse((r) => r.url().endsWith('/roles') && r.request().method() === 'POST');
  await panel.getByRole('button', { name: '授予' }).click();
  expect((await granted).status()).toBe(201);
  const row = panel.getByRole('row').filter({ hasText: '138****0002' });
  await expect(row).toBeVisible();
  await expect(row.getByText('场馆运营方')).toBeVisible();
  await screenshot(page, 'console-role-granted');

  // Granting it again is refused on the phone field.
  await panel.getByLabel('用户手机号').fill('13800000002');
  await panel.getByRole('button', { name: '授予' }).click();
  await expect(panel.getByText('该用户已拥有此角色。')).toBeVisible();

  // Revoke, after confirming.
  await row.getByRole('button', { name: /^撤销/ }).click();
  const confirm = page.getByRole('dialog', { name: '撤销角色' });
  await expect(confirm).toContainText('138****0002');
  const revoked = page.waitForResponse((r) => r.request().method() === 'DELETE');
  await confirm.getByRole('button', { name: '撤销' }).click();
  expect((await revoked).status()).toBe(204);
  await expect(panel.getByRole('row').filter({ hasText: '138****0002' })).toHaveCount(0);
  await expect(panel.getByText('该机构暂无角色')).toBeVisible();

  expect(scripts.filter((s) => s.includes('/vant-')), 'the console loads no Vant').toEqual([]);
  expect(problems).toEqual([]);
});

test('a school admin opening 机构与角色 sees 无权限 and no organisations', async ({ page }) => {
  await signIn(page, '13900000003');
  await expect(page).toHaveURL('/console');
  await expect(page.getByRole('navigation', { name: '后台菜单' }).getByRole('link')).toHaveText(['概览', '场馆', '预约管理', '入场核验', '报修工单', '设施台账', '校园开放', '校园入场', '操作日志']);

  let listed = false;
  page.on('request', (r) => {
    if (r.url().includes('/api/v1/organisations')) listed = true;
  });
  await page.goto('/console/organisations');
  await expect(page.getByRole('heading', { level: 1, name: '无权限' })).toBeVisible();
  await expect(page.getByRole('table')).toHaveCount(0);
  expect(listed).toBe(false);
  await screenshot(page, 'console-forbidden');
});

test('a resident who opens the console is sent home and told why', async ({ page }) => {
  await signIn(page, '13800000005');
  await page.goto('/console');
  await expect(page).toHaveURL('/');
  await expect(page.getByRole('status')).toHaveText(/管理后台仅对工作人员开放。/);
});

test('a reload keeps the admin signed in', async ({ page }) => {
  await signIn(page, '13900000005');
  await expect(page).toHaveURL('/console');
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: '概览' })).toBeVisible();
  await expect(page.getByRole('cell', { name: '鄂尔多斯市体育局', exact: true })).toBeVisible();
});
