import { expect, test, type Page } from '@playwright/test';
import { expectAccessible, recordScripts, screenshot, signIn, TEST_CLOCK, watchForPageErrors } from './support.ts';

// axe is injected as a script; the server's CSP would refuse it.
test.use({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, bypassCSP: true });

/** A Zhengzhou venue of the operator 13900000002 with courts open in the evening. */
const VENUE = '郑州奥林匹克体育中心';

async function venueId(page: Page): Promise<string> {
  const answer = await page.request.get(`/api/v1/venues?q=${encodeURIComponent(VENUE)}&pageSize=5`);
  const body = (await answer.json()) as { items: { id: string; name: string }[] };
  const found = body.items.find((v) => v.name === VENUE);
  expect(found, `${VENUE} is in the demo data`).toBeTruthy();
  return found!.id;
}

test('a resident books 19:00 today on a phone, sees the QR code, finds it in 我的预约, and the gate checks it in', async ({ page, browser }) => {
  await page.clock.install({ time: new Date(TEST_CLOCK) });
  const problems = watchForPageErrors(page);
  const id = await venueId(page);

  // Booking needs a session: the page sends the visitor to sign in and back.
  await page.goto(`/venues/${id}/book`);
  await expect(page).toHaveURL(/\/login\?redirect=/);
  await page.getByLabel('手机号').fill('13800000002');
  await page.getByLabel('密码', { exact: true }).fill('demo12345');
  await page.getByRole('button', { name: '登录', exact: true }).click();
  await expect(page).toHaveURL(`/venues/${id}/book`);

  await expect(page.getByRole('heading', { level: 1 })).toContainText(VENUE);
  await expect(page.getByRole('group', { name: '选择日期' }).getByRole('button').first()).toHaveText(/今天 11\/25/);
  const slot = page.getByRole('button', { name: /^篮球场1号 19:00–20:00 空闲/ });
  await expect(slot).toBeVisible();
  // Past slots say so in words, not only in colour.
  await expect(page.getByRole('button', { name: /^篮球场1号 08:00–09:00 已过/ })).toHaveAttribute('aria-disabled', 'true');
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
  await expectAccessible(page, 'booking page');

  // Keyboard: focus the slot and press Enter.
  await slot.focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('button', { name: /^篮球场1号 19:00–20:00 已选/ })).toHaveAttribute('aria-pressed', 'true');
  await screenshot(page, 'booking-grid-360');
  await page.getByRole('button', { name: '下一步' }).click();

  const sheet = page.getByRole('dialog', { name: '确认预约' });
  await expect(sheet).toContainText('19:00–20:00');
  await expect(sheet).toContainText('免费');
  await expect(sheet).toContainText('2026-11-25 17:00 前可免费取消');
  await screenshot(page, 'booking-confirm-360');
  const created = page.waitForResponse((r) => r.url().endsWith('/api/v1/reservations') && r.request().method() === 'POST');
  await sheet.getByRole('button', { name: '确认预约' }).click();
  const response = await created;
  expect(response.status()).toBe(201);
  expect(response.request().headers()['idempotency-key']).toMatch(/^[\w.:-]{8,100}$/);

  await expect(page.getByRole('heading', { name: '预约成功' })).toBeVisible();
  await expect(sheet).toBeHidden();
  await expect(page.getByRole('img', { name: /入场二维码，预约码/ })).toHaveAttribute('src', /^data:image\/png/);
  const code = (await page.getByTestId('booking-code').textContent())!.trim();
  expect(code).toMatch(/^[A-Z0-9]{8}$/);
  await screenshot(page, 'booking-success-360');

  await page.getByRole('link', { name: '查看我的预约' }).click();
  await expect(page).toHaveURL('/bookings');
  const card = page.getByRole('listitem').filter({ hasText: code });
  await expect(card).toContainText(VENUE);
  await expect(card).toContainText('2026-11-25 19:00–20:00');
  await card.getByRole('button', { name: '出示入场码' }).click();
  await expect(card.getByRole('img', { name: new RegExp(code) })).toBeVisible();
  await expect(page.getByRole('link', { name: '订阅日历' })).toHaveAttribute('href', /^webcal:\/\//);
  await screenshot(page, 'my-bookings-360');
  await expectAccessible(page, '我的预约');
  expect(problems).toEqual([]);

  // The operator at the gate, on a phone, types the code (check-in opens 30 minutes before 19:00).
  const gate = await browser.newPage({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
  await gate.clock.install({ time: new Date(TEST_CLOCK) });
  const gateProblems = watchForPageErrors(gate);
  await signIn(gate, '13900000002');
  await gate.goto('/console/check-in');
  await expect(gate.getByRole('heading', { level: 1, name: '入场核验' })).toBeVisible();
  await gate.getByLabel('预约码').fill(code);
  await gate.getByRole('button', { name: '核验' }).click();
  await expect(gate.getByRole('status').filter({ hasText: '签到成功' })).toBeVisible();
  await expect(gate.getByTestId('check-in-status')).toHaveText('已签到');
  await expect(gate.getByText(VENUE)).toBeVisible();
  expect(await gate.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
  await screenshot(gate, 'check-in-360');

  // The same code again is refused with the server's reason.
  await gate.getByLabel('预约码').fill(code);
  await gate.getByRole('button', { name: '核验' }).click();
  await expect(gate.getByRole('alert')).toContainText('无法签到');
  await screenshot(gate, 'check-in-refused-360');
  expect(gateProblems).toEqual([]);
  await gate.close();
});

test('the resident home does not load the QR encoder or decoder', async ({ page }) => {
  const scripts = recordScripts(page);
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  expect(scripts.filter((s) => /qrcode|jsqr|QrCode/i.test(s))).toEqual([]);
});
