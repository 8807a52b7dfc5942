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
