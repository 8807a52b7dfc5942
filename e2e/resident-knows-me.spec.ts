import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { idNumberCheckChar } from '@sports/domain';
import { DEMO_PASSWORD, expectAccessible, screenshot, signIn, TEST_CLOCK, watchForPageErrors } from './support.ts';

// axe is injected as a script; the server's CSP would refuse it.
test.use({ bypassCSP: true });

/**
 * Pages that know who is looking, on a phone (360 px). The residents 13800000190–199 are this file's
 * (13800000199 is only typed by the dashboard journey). The school session is the demo plan's on
 * 篮球场1号 of 金水区实验学校运动场（演示） tomorrow evening (Thursday 2026-11-26 18:00–20:30, the day
 * after TEST_CLOCK), which e2e/schools.spec.ts does not register for (it opens 操场 today). The ticket
 * is reported at 二七区社区全民健身中心（演示）, where no other journey reports.
 */
const REGISTRANT = '13800000190';
const REPORTER = '13800000191';
const SCHOOL_VENUE = '金水区实验学校运动场（演示）';
const SCHOOL_AREA = '篮球场1号';
const TOMORROW = '2026-11-26';
const REPAIR_VENUE = '二七区社区全民健身中心（演示）';
const PHONE = { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true };

/** A valid GB 11643 number: a Jinshui district address code, born 1990-01-01, the resident's number as the sequence. */
function idNumberFor(sequence: string): string {
  const first17 = `410105${'19900101'}${sequence}`;
  return `${first17}${idNumberCheckChar(first17)}`;
}

async function tokenOf(request: APIRequestContext, phone: string): Promise<string> {
  const res = await request.post('/api/v1/auth/login', { data: { phone, password: DEMO_PASSWORD } });
  expect(res.status()).toBe(200);
  return `Bearer ${((await res.json()) as { accessToken: string }).accessToken}`;
}

/** Gives the demo resident a real name through the API, as they would on 实名信息. */
async function verify(request: APIRequestContext, phone: string): Promise<void> {
  const authorization = await tokenOf(request, phone);
  const current = await request.get('/api/v1/me/identity', { headers: { authorization } });
  const { consent } = (await current.json()) as { consent: { version: string } };
  const saved = await request.put('/api/v1/me/identity', {
    headers: { authorization },
    data: { name: '李四海', idNumber: idNumberFor(phone.slice(-3)), districtCode: '410105', consentVersion: consent.version },
  });
  expect(saved.status(), await saved.text()).toBe(200);
}

async function noWiderThanThePhone(page: Page): Promise<void> {
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
}

test('a registered resident sees 已报名 with the code after a reload, the reporter is not offered 我也遇到 nor told of 0 others, and 我的 shows 已实名', async ({
  browser,
  request,
}) => {
  test.setTimeout(120_000);

  // ——— the school session: register, reload, 已报名 with the code and a cancel button ———
  await verify(request, REGISTRANT);
  const sessions = await request.get(`/api/v1/school-sessions?city=410100&date=${TOMORROW}&pageSize=100`);
  const found = ((await sessions.json()) as { items: { id: string; venueName: string; resourceName: string; start: string }[] }).items.find(
    (s) => s.venueName === SCHOOL_VENUE && s.resourceName === SCHOOL_AREA,
  );
  expect(found, `the demo plan opens ${SCHOOL_AREA} of ${SCHOOL_VENUE} on ${TOMORROW}`).toBeTruthy();

  const resident = await browser.newPage(PHONE);
  await resident.clock.install({ time: new Date(TEST_CLOCK) });
  const problems = watchForPageErrors(resident);
  await signIn(resident, REGISTRANT);
  await resident.goto(`/schools/sessions/${found!.id}`);
  await expect(resident.getByRole('heading', { level: 1, name: '郑州市金水区示范中学（演示）' })).toBeVisible();
  await expect(resident.getByText('✓ 已实名：李**')).toBeVisible();
  await resident.getByRole('button', { name: '确认报名' }).click();
  const pledge = resident.getByRole('dialog', { name: '学校体育场地开放安全承诺书' });
  const registered = resident.waitForResponse((r) => /\/api\/v1\/school-sessions\/[\w-]+\/registrations$/.test(r.url()) && r.request().method() === 'POST');
  await pledge.getByRole('button', { name: '我已阅读并同意' }).click();
  expect((await registered).status()).toBe(201);
  await expect(resident.getByRole('heading', { level: 1, name: '报名成功' })).toBeVisible();
  const code = (await resident.getByTestId('school-entry-code').textContent())!.trim();
  expect(code).toMatch(/^[A-Z0-9]{8}$/);

  // The state is the server's: after a reload the page still knows.
  await resident.reload();
  await expect(resident.getByRole('heading', { level: 1, name: '已报名' })).toBeVisible();
  await expect(resident.getByTestId('school-entry-code')).toHaveText(code);
  await expect(resident.getByRole('img', { name: `入校二维码，入校码 ${code}` })).toHaveAttribute('src', /^data:image\/png/);
  await expect(resident.getByTestId('school-entry-window')).toHaveText('有效时间：2026-11-26 17:30 至 2026-11-26 20:30');
  await expect(resident.getByRole('button', { name: '取消报名' })).toBeVisible();
  await expect(resident.getByRole('button', { name: '确认报名' })).toHaveCount(0);
  await expectAccessible(resident, 'school session, registered');
  await noWiderThanThePhone(resident);
  await screenshot(resident, 'knows-me-school-registered-360');
  // The full-page picture draws the fixed tab bar over the end of the page; the actions, scrolled to, are clear of it.
  await resident.getByRole('button', { name: '取消报名' }).scrollIntoViewIfNeeded();
  await resident.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
  await resident.screenshot({ path: 'artifacts/screenshots/knows-me-school-registered-actions-360.png' });

  // ——— 我的: 已实名 from the server's answer ———
  await resident.getByRole('link', { name: '我的', exact: true }).click();
  await expect(resident.getByRole('heading', { level: 1, name: /居民/ })).toBeVisible();
  await expect(resident.getByTestId('me-identity')).toContainText('已实名');
  await expect(resident.getByTestId('me-identity')).toContainText('李**');
  await expectAccessible(resident, '我的, verified');
  await noWiderThanThePhone(resident);
  await screenshot(resident, 'knows-me-me-verified-360');

  // Cancelling from the session page gives the sign-up form back.
  await resident.goto(`/schools/sessions/${found!.id}`);
  await resident.getByRole('button', { name: '取消报名' }).click();
  const cancelled = resident.waitForResponse((r) => /\/api\/v1\/school-registrations\/[\w-]+\/cancel$/.test(r.url()));
  await resident.getByRole('dialog').getByRole('button', { name: '取消报名' }).click();
  expect((await cancelled).status()).toBe(200);
  await expect(resident.getByRole('status').filter({ hasText: '已取消报名' })).toBeVisible();
  await expect(resident.getByRole('button', { name: '确认报名' })).toBeVisible();
  expect(problems).toEqual([]);
  await resident.close();

  // ——— the reporter's own ticket: no 我也遇到, no “0 人” ———
  const venues = await request.get(`/api/v1/venues?q=${encodeURIComponent(REPAIR_VENUE)}&pageSize=5`);
  const venue = ((await venues.json()) as { items: { id: string; name: string }[] }).items.find((v) => v.name === REPAIR_VENUE);
  expect(venue, `${REPAIR_VENUE} is in the demo data`).toBeTruthy();
  const authorization = await tokenOf(request, REPORTER);
  const made = await request.post('/api/v1/tickets', { headers: { authorization }, data: { venueId: venue!.id, category: 'court_surface', fault: 'cracked' } });
  expect(made.status(), await made.text()).toBe(201);
  const ticket = (await made.json()) as { id: string; code: string };
  // The API refuses the reporter's own “me too” too.
  const own = await request.post(`/api/v1/tickets/${ticket.id}/me-too`, { headers: { authorization } });
  expect(own.status()).toBe(409);
  expect(((await own.json()) as { code: string }).code).toBe('OWN_TICKET_ME_TOO');

  const reporter = await browser.newPage(PHONE);
  const reporterProblems = watchForPageErrors(reporter);
  await signIn(reporter, REPORTER);
  await reporter.goto(`/repairs/${ticket.id}`);
  await expect(reporter.getByText(ticket.code).first()).toBeVisible();
  await expect(reporter.getByText('我报修的', { exact: true }).first()).toBeVisible();
  await expect(reporter.getByRole('button', { name: /我也遇到/ })).toHaveCount(0);
  await expect(reporter.getByTestId('me-too-count')).toHaveCount(0);
  await expect(reporter.getByText(/0 人/)).toHaveCount(0);
  await expectAccessible(reporter, 'the reporter’s own ticket');
  await noWiderThanThePhone(reporter);
  await screenshot(reporter, 'knows-me-own-ticket-360');
  expect(reporterProblems).toEqual([]);
  await reporter.close();
});
