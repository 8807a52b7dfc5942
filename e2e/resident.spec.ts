import { expect, test } from '@playwright/test';
import { recordScripts, screenshot, signIn, watchForPageErrors } from './support.ts';

test.use({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });

test('a resident signs in on a phone and lands on the resident home with its five tabs', async ({ page }) => {
  const problems = watchForPageErrors(page);
  const scripts = recordScripts(page);

  await signIn(page, '13800000001');

  await expect(page).toHaveURL('/');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(/，您好$/);
  const tabs = page.getByRole('navigation', { name: '主导航' }).getByRole('link');
  await expect(tabs).toHaveText(['首页', '地图', '预约', '报修', '我的']);
  await expect(tabs.first()).toHaveAttribute('aria-current', 'page');
  // Every entry card leads to a working feature: none is marked as still being built.
  const entries = page.getByRole('region', { name: '服务入口' }).getByRole('link');
  await expect(entries).toHaveText([/体育地图/, /场馆预约/, /校园开放/, /一键报修/]);
  await expect(page.getByRole('main').getByText('即将上线')).toHaveCount(0);
  // Nothing sticks out sideways at 360 px.
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
  await screenshot(page, 'resident-home-360');

  await tabs.filter({ hasText: '地图' }).click();
  await expect(page.getByRole('heading', { level: 1, name: '体育地图' })).toBeVisible();
  await expect(tabs.filter({ hasText: '地图' })).toHaveAttribute('aria-current', 'page');

  await tabs.filter({ hasText: '我的' }).click();
  await expect(page.getByText('138****0001').first()).toBeVisible();
  await expect(page.getByRole('link', { name: '进入管理后台' })).toHaveCount(0);
  await screenshot(page, 'resident-me-360');

  const elderMode = page.getByRole('switch', { name: '长辈模式（大字、高对比）' });
  await elderMode.focus();
  await page.keyboard.press('Space');
  await expect(elderMode).toHaveAttribute('aria-checked', 'true');
  await expect(page.locator('html')).toHaveClass(/elder/);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
  await screenshot(page, 'resident-me-elder-360');
  await page.reload();
  await expect(page.locator('html')).toHaveClass(/elder/);
  await expect(page.getByText('138****0001').first()).toBeVisible();
  await page.getByRole('switch', { name: '长辈模式（大字、高对比）' }).click();
  await expect(page.locator('html')).not.toHaveClass(/elder/);

  await page.getByRole('button', { name: 'English' }).click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link')).toHaveText([
    'Home',
    'Map',
    'Bookings',
    'Repairs',
    'Me',
  ]);
  await screenshot(page, 'resident-me-english-360');
  await page.getByRole('button', { name: '中文' }).click();

  await page.getByRole('button', { name: '退出登录' }).click();
  await expect(page).toHaveURL('/');
  await expect(page.getByRole('button', { name: '登录' })).toBeVisible();

  expect(scripts.filter((s) => s.includes('element-plus')), 'the resident side loads no Element Plus').toEqual([]);
  expect(problems).toEqual([]);
});

test('signing in with a wrong password shows the server’s message', async ({ page }) => {
  const problems = watchForPageErrors(page);
  await page.goto('/login');
  await page.getByLabel('手机号').fill('13800000003');
  await page.getByLabel('密码', { exact: true }).fill('not-the-password');
  const answer = page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/login'));
  await page.getByRole('button', { name: '登录', exact: true }).click();
  expect((await answer).status()).toBe(401);

  await expect(page.getByRole('alert')).toHaveText('手机号或密码不正确。');
  await expect(page).toHaveURL('/login');
  await screenshot(page, 'login-wrong-password-360');
  expect(problems).toEqual([]);
});

test('the login form checks the phone number before asking the server', async ({ page }) => {
  let asked = false;
  page.on('request', (r) => {
    if (r.url().endsWith('/api/v1/auth/login')) asked = true;
  });
  await page.goto('/login');
  await page.getByLabel('手机号').fill('12345');
  await page.getByRole('button', { name: '登录', exact: true }).click();
  await expect(page.getByText('请输入 11 位中国大陆手机号')).toBeVisible();
  await expect(page.getByText('请输入密码')).toBeVisible();
  expect(asked).toBe(false);
});

test('我的 asks a signed-out visitor to sign in and then takes them there', async ({ page }) => {
  await page.goto('/me');
  await expect(page).toHaveURL('/login?redirect=/me');
  await page.getByLabel('手机号').fill('13800000004');
  await page.getByLabel('密码', { exact: true }).fill('demo12345');
  await page.getByRole('button', { name: '登录', exact: true }).click();
  await expect(page).toHaveURL('/me');
  await expect(page.getByText('138****0004').first()).toBeVisible();
});

test('a new resident registers and a taken number is marked on the phone field', async ({ page }) => {
  const phone = `137${String(Date.now()).slice(-8)}`;
  await page.goto('/register');
  await page.getByLabel('手机号').fill(phone);
  await page.getByLabel('密码', { exact: true }).fill('a-good-password');
  await page.getByLabel('昵称').fill('新居民');
  await page.getByRole('button', { name: '注册并登录' }).click();
  await expect(page).toHaveURL('/');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('新居民，您好');

  await page.context().clearCookies();
  await page.goto('/register');
  await page.getByLabel('手机号').fill('13800000001');
  await page.getByLabel('密码', { exact: true }).fill('a-good-password');
  await page.getByLabel('昵称').fill('重复');
  await page.getByRole('button', { name: '注册并登录' }).click();
  await expect(page.getByText('该手机号已注册，请直接登录。')).toBeVisible();
  await screenshot(page, 'register-phone-taken-360');
});
