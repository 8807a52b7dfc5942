import { readFile } from 'node:fs/promises';
import { expect, test } from '@playwright/test';
import { choose, DEMO_PASSWORD, expectAccessible, screenshot, signIn, TEST_CLOCK, watchForPageErrors } from './support.ts';

// axe is injected as a script; the server's CSP would refuse it.
test.use({ bypassCSP: true, viewport: { width: 1366, height: 860 } });

/**
 * The Zhengzhou bureau admin reads the bureau's figures. The period defaults to this month as the
 * journeys' clock has it (TEST_CLOCK, 2026-11-25): 2026-11-01 to 2026-11-25. Other journeys change
 * tickets and equipment at the same time, so figures are checked for their form, not their values.
 */
const BUREAU_ADMIN = '13900000001';
const PERIOD = 'from=2026-11-01&to=2026-11-25';

test('the bureau admin reads the KPIs against their targets, drills into 金水区, exports a table and opens the monthly report', async ({ page }) => {
  await page.clock.install({ time: new Date(TEST_CLOCK) });
  const problems = watchForPageErrors(page);
  const scripts: string[] = [];
  page.on('request', (request) => {
    if (request.resourceType() === 'script') scripts.push(new URL(request.url()).pathname);
  });

  await signIn(page, BUREAU_ADMIN);
  await expect(page.getByRole('heading', { level: 1, name: '概览' })).toBeVisible();
  expect(scripts.filter((path) => path.includes('echarts')), 'ECharts is not loaded before the dashboard').toEqual([]);

  const figures = page.waitForResponse((r) => r.url().includes('/api/v1/kpis?'));
  await page.getByRole('navigation', { name: '后台菜单' }).getByRole('link', { name: '数据看板' }).click();
  expect((await figures).status()).toBe(200);
  await expect(page.getByRole('heading', { level: 1, name: '数据看板' })).toBeVisible();
  await expect(page).toHaveURL(new RegExp(`/console/dashboard\\?city=410100&${PERIOD}$`));
  await expect(page.getByRole('button', { name: '本月' })).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByRole('heading', { level: 2, name: '郑州市 · 2026-11-01 至 2026-11-25' })).toBeVisible();

  // KPI cards: the value in its unit, the target and whether it is met, in words.
  const goodOrder = page.locator('[data-kpi="good_order_rate"]');
  await expect(goodOrder.getByRole('heading', { name: '设施完好率' })).toBeVisible();
  await expect(goodOrder).toContainText(/\d+\.\d%/);
  const target = goodOrder.getByRole('button', { name: /^目标 ≥ 95\.0%/ });
  await expect(target).toContainText('目标依据：');
  await expect(goodOrder.locator('.kpi-card__status')).toHaveText(/^\s*[✓✗–]?\s*(达标|未达标|暂无数据)\s*$/);
  await target.focus();
  await expect(page.getByRole('tooltip').filter({ hasText: '目标依据：设施完好率工作目标' })).toBeVisible();
  await expect(page.locator('[data-kpi="venues"]')).toContainText(/^场馆数\s*\d+\s*未设目标$/);
  await expect(page.locator('[data-kpi="opening_compliance"]')).toContainText('目标 ≥ 100.0%');

  // Charts: ECharts arrives with the dashboard; each chart has its summary and a table behind it.
  const charts = page.getByRole('figure');
  await expect(charts).toHaveCount(4);
  for (const chart of await charts.all()) await expect(chart.locator('canvas').first()).toBeVisible();
  expect(scripts.filter((path) => path.includes('echarts'))).toHaveLength(1);
  const heatmap = page.getByRole('figure', { name: '利用率（星期 × 时段）' });
  await expect(heatmap.locator('figcaption')).not.toBeEmpty();
  await expect(heatmap.getByRole('table', { name: '利用率（星期 × 时段）' })).toBeAttached();
  await heatmap.getByRole('button', { name: '以表格显示' }).click();
  await expect(heatmap.getByRole('table')).toBeVisible();
  await expect(heatmap.getByRole('rowheader', { name: '周三' })).toBeVisible();
  const goodOrderChart = page.getByRole('figure', { name: '各区县设施完好率' });
  await expect(goodOrderChart.getByRole('row', { name: /金水区/ })).toContainText('≥ 95.0%');
  // The map: venues (grouped where they crowd) marked with their utilisation.
  await expect(page.locator('.leaflet-container').locator('.util-pin, .util-cluster').first()).toBeVisible();
  await expectAccessible(page, 'dashboard, city');
  await screenshot(page, 'console-dashboard');

  // Drill down: the district, then one of its venues.
  const districtFigures = page.waitForResponse((r) => r.url().includes('/api/v1/kpis?') && r.url().includes('district=410105'));
  await page.getByRole('region', { name: '郑州市各区县指标' }).getByRole('button', { name: /^金水区/ }).click();
  expect((await districtFigures).status()).toBe(200);
  await expect(page).toHaveURL(new RegExp(`city=410100&${PERIOD}&district=410105$`));
  await expect(page.getByRole('heading', { level: 2, name: '金水区 · 2026-11-01 至 2026-11-25' })).toBeVisible();
  const venues = page.getByRole('region', { name: '金水区场馆指标' });
  const firstVenue = venues.getByRole('row').nth(1).getByRole('button');
  const venueName = ((await firstVenue.textContent()) ?? '').replace('，查看指标', '').trim();
  await firstVenue.click();
  const panel = page.getByRole('region', { name: `${venueName} 的指标` });
  await expect(panel).toBeFocused();
  await expect(panel.getByRole('link', { name: '打开场馆页面' })).toHaveAttribute('href', /^\/console\/venues\/[\w-]+$/);
  await expect(panel.getByRole('definition').first()).toBeVisible();
  // On the map the venue is brought out of its group and marked.
  await expect(page.locator('.leaflet-container .util-pin.is-selected')).toBeVisible();
  await expect(page.locator('.leaflet-container .util-pin.is-selected')).toContainText(venueName);

  // The table exports as Excel-ready CSV: a byte-order mark, then the Chinese header row.
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: '导出 CSV：金水区场馆指标' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toBe('金水区场馆指标-2026-11-01-2026-11-25.csv');
  const bytes = await readFile(await file.path());
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const lines = bytes.subarray(3).toString('utf8').split('\r\n');
  expect(lines[0]).toMatch(/^场馆,场馆类型,区县,可用场地数,场地利用率,/);
  expect(lines.some((line) => line.startsWith(`${venueName},`))).toBe(true);
  expect(lines.at(-1)).toBe('');
  await expectAccessible(page, 'dashboard, district with a venue open');

  // Back: the city again.
  await page.goBack();
  await page.goBack();
  await expect(page.getByRole('heading', { level: 2, name: '郑州市 · 2026-11-01 至 2026-11-25' })).toBeVisible();
  await page.goForward();
  await expect(page.getByRole('heading', { level: 2, name: '金水区 · 2026-11-01 至 2026-11-25' })).toBeVisible();

  // The monthly report of what is shown, printable on A4 without the console around it.
  await page.getByRole('link', { name: '月度报告' }).click();
  await expect(page).toHaveURL('/console/dashboard/report?city=410100&district=410105&month=2026-11');
  await expect(page.getByRole('heading', { level: 1, name: '金水区体育设施月度报告（2026年11月）' })).toBeVisible();
  await expect(page.getByText('统计期间：2026-11-01 至 2026-11-25')).toBeVisible();
  await expect(page.getByRole('heading', { level: 2, name: '指标与目标' })).toBeVisible();
  await expect(page.getByRole('region', { name: '指标与目标' }).getByRole('row', { name: /设施完好率/ })).toContainText('≥ 95.0%');
  await expect(page.getByRole('heading', { level: 2, name: '金水区场馆指标' })).toBeVisible();
  await page.evaluate(() => {
    (window as unknown as { printed: number }).printed = 0;
    window.print = () => {
      (window as unknown as { printed: number }).printed += 1;
    };
  });
  await page.getByRole('button', { name: '打印' }).click();
  expect(await page.evaluate(() => (window as unknown as { printed: number }).printed)).toBe(1);
  // The pointer leaves the button (a hovered primary button is the theme's lighter blue).
  await page.mouse.move(0, 0);
  await expectAccessible(page, 'monthly report');
  await page.emulateMedia({ media: 'print' });
  await expect(page.getByRole('navigation', { name: '后台菜单' })).toBeHidden();
  await expect(page.getByRole('button', { name: '打印' })).toBeHidden();
  await expect(page.getByRole('heading', { level: 1, name: '金水区体育设施月度报告（2026年11月）' })).toBeVisible();
  await page.pdf({ path: test.info().outputPath('monthly-report.pdf'), format: 'A4', preferCSSPageSize: true });
  await page.emulateMedia({ media: 'screen' });
  expect(problems).toEqual([]);
});

test('the audit log shows who changed what, filtered by action, and says when nothing matches', async ({ page, request }) => {
  const problems = watchForPageErrors(page);

  // Something to find: the bureau saves the city's booking rules unchanged (an audited action).
  const login = await request.post('/api/v1/auth/login', { data: { phone: BUREAU_ADMIN, password: DEMO_PASSWORD } });
  const { accessToken } = (await login.json()) as { accessToken: string };
  const rules = await (await request.get('/api/v1/cities/410100/booking-rules')).json();
  const saved = await request.put('/api/v1/cities/410100/booking-rules', { data: rules, headers: { Authorization: `Bearer ${accessToken}` } });
  expect(saved.status()).toBe(200);

  await signIn(page, BUREAU_ADMIN);
  const firstPage = page.waitForResponse((r) => r.url().includes('/api/v1/audit?'));
  await page.getByRole('navigation', { name: '后台菜单' }).getByRole('link', { name: '操作日志' }).click();
  expect((await firstPage).status()).toBe(200);
  await expect(page.getByRole('heading', { level: 1, name: '操作日志' })).toBeVisible();

  await choose(page, '操作类型', '城市预约规则（city.）', { exact: true });
  const filtered = page.waitForResponse((r) => r.url().includes('/api/v1/audit?') && r.url().includes('action=city.'));
  await page.getByRole('button', { name: '查询' }).click();
  expect((await filtered).status()).toBe(200);
  const rows = page.locator('.audit-table tbody tr');
  await expect(rows.first()).toContainText('修改城市预约规则');
  for (const row of await rows.all()) await expect(row).toContainText('city.booking_rules');
  const entry = rows.first();
  await expect(entry).toContainText('郑州市体育局管理员（139****0001）');
  await expect(entry).toContainText('郑州市体育局');
  await expect(entry.getByRole('term').filter({ hasText: '规则 › 未到期预约上限' })).toBeVisible();
  await expect(entry.getByRole('definition').first()).not.toBeEmpty();
  // The pointer leaves the button (a hovered primary button is the theme's lighter blue).
  await page.mouse.move(0, 0);
  await expectAccessible(page, 'audit log, filtered');
  await screenshot(page, 'console-audit');

  // A malformed phone number is caught before asking; a resident's number finds nothing.
  const phone = page.getByRole('textbox', { name: '操作人手机号' });
  await phone.fill('1390');
  await page.getByRole('button', { name: '查询' }).click();
  await expect(page.getByText('请输入 11 位手机号')).toBeVisible();
  await phone.fill('13800000199');
  const none = page.waitForResponse((r) => r.url().includes('actorPhone=13800000199'));
  await page.getByRole('button', { name: '查询' }).click();
  expect((await none).status()).toBe(200);
  await expect(page.getByText('没有符合条件的操作记录')).toBeVisible();
  await page.mouse.move(0, 0);
  await expectAccessible(page, 'audit log, empty');
  expect(problems).toEqual([]);
});
