import { expect, test } from '@playwright/test';
import { expectAccessible, signIn } from './support.ts';

// axe is injected as a script tag; the app's CSP (script-src 'self') rightly refuses that, so only these
// checks run with CSP bypassed. Every other journey runs under the real policy.
test.use({ bypassCSP: true });

test.describe('on a phone', () => {
  test.use({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });

  test('the login page has no serious accessibility problems, also when showing an error', async ({ page }) => {
    await page.goto('/login');
    await expect(page.getByRole('heading', { level: 1, name: '登录' })).toBeVisible();
    await expectAccessible(page, 'login');
    await page.getByRole('button', { name: '登录', exact: true }).click();
    await expect(page.getByRole('alert')).toBeVisible();
    await expectAccessible(page, 'login with errors');
  });

  test('the resident home has no serious accessibility problems', async ({ page }) => {
    await signIn(page, '13800000006');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(/，您好$/);
    await expectAccessible(page, 'resident home');
  });

  test('the map page’s list view has no serious accessibility problems', async ({ page }) => {
    await page.goto('/map?view=list&sport=basketball');
    await expect(page.locator('.venue-list > li').first()).toBeVisible();
    await expectAccessible(page, 'map page, list view');
  });

  test('a venue page has no serious accessibility problems', async ({ page, request }) => {
    const found = await request.get('/api/v1/venues?q=%E9%83%91%E5%B7%9E%E5%B8%82%E4%BD%93%E8%82%B2%E9%A6%86&pageSize=1');
    const { items } = (await found.json()) as { items: { id: string }[] };
    await page.goto(`/venues/${items[0]!.id}`);
    await expect(page.getByRole('heading', { level: 1, name: '郑州市体育馆' })).toBeVisible();
    await expect(page.locator('[aria-current="date"]')).toBeVisible();
    await expectAccessible(page, 'venue page');
  });

  test('the resident home in elder mode has no serious accessibility problems', async ({ page }) => {
    await page.addInitScript(() => localStorage.setItem('sp.elderMode', '1'));
    await page.goto('/');
    await expect(page.locator('html')).toHaveClass(/elder/);
    await expectAccessible(page, 'resident home (elder mode)');
  });
});

test('the console organisations page has no serious accessibility problems', async ({ page }) => {
  await page.setViewportSize({ width: 1366, height: 860 });
  await signIn(page, '13900000001');
  await page.goto('/console/organisations');
  await expect(page.locator('.organisations-table').getByText('郑州市体育局', { exact: true })).toBeVisible();
  await expectAccessible(page, 'console organisations');
  await page.getByRole('button', { name: '管理角色: 郑州市体育局' }).click();
  await expect(page.getByRole('region', { name: '「郑州市体育局」的角色' }).getByText('139****0001')).toBeVisible();
  await expectAccessible(page, 'console organisations with roles');
});

test('the console venue editor has no serious accessibility problems', async ({ page }) => {
  await page.setViewportSize({ width: 1366, height: 860 });
  await signIn(page, '13900000002');
  await page.goto('/console/venues');
  await expect(page.locator('.venues-table tbody tr').first()).toBeVisible();
  await expectAccessible(page, 'console venues');
  await page.getByLabel('名称或地址').fill('河南省体育中心');
  await page.getByRole('button', { name: '查询' }).click();
  await page.locator('.venues-table').getByRole('link', { name: '河南省体育中心' }).click();
  await expect(page.getByLabel('场馆名称')).toHaveValue('河南省体育中心');
  await expectAccessible(page, 'console venue editor, basics');
  await page.getByRole('tab', { name: '开放时间' }).click();
  await expect(page.getByRole('region', { name: '未来 7 天预览' }).locator('li')).toHaveCount(7);
  await expectAccessible(page, 'console venue editor, hours');
  await page.getByRole('tab', { name: '场地' }).click();
  await expect(page.getByRole('region', { name: '场地' }).getByRole('row').nth(1)).toBeVisible();
  await expectAccessible(page, 'console venue editor, courts');
});
