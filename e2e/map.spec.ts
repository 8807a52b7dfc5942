import { expect, test, type Page } from '@playwright/test';
import type { VenueFeatureCollection, VenueSummary } from '@sports/contracts';
import { localDate } from '@sports/domain';
import { recordScripts, screenshot, signIn, TEST_CLOCK, TILE_ORIGIN, watchForPageErrors } from './support.ts';

test.use({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });

const isGeoJson = (url: string) => url.includes('/api/v1/map/venues.geojson');

/** Zooms into clusters until single venues show on the map, and returns the first one. */
async function firstVenuePin(page: Page) {
  const map = page.getByRole('region', { name: /^场馆地图/ });
  for (let attempt = 0; attempt < 5; attempt++) {
    const pins = map.locator('.venue-pin');
    if ((await pins.count()) > 0) return pins.first();
    const zoomed = page.waitForResponse((r) => isGeoJson(r.url()));
    await map.locator('.venue-cluster').first().click();
    await zoomed;
  }
  throw new Error('no single venue appeared on the map');
}

test('a resident finds basketball venues on the map, switches to the list, and opens a venue’s hours for this week', async ({ page }) => {
  await page.clock.install({ time: new Date(TEST_CLOCK) });
  const problems = watchForPageErrors(page);
  const scripts = recordScripts(page);
  const tiles: string[] = [];
  page.on('response', (response) => {
    if (response.url().startsWith(TILE_ORIGIN)) tiles.push(`${response.status()} ${response.url()}`);
  });

  await signIn(page, '13800000008');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(/，您好$/);
  expect(scripts.filter((s) => s.includes('VenueMap')), 'the home page loads no Leaflet').toEqual([]);

  const firstMarkers = page.waitForResponse((r) => isGeoJson(r.url()));
  await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '地图' }).click();
  await expect(page.getByRole('heading', { level: 1, name: '体育地图' })).toBeVisible();
  const answer = await firstMarkers;
  const bbox = new URL(answer.url()).searchParams.get('bbox');
  expect(bbox, 'markers are asked for the view, not the whole city').toMatch(/^113\.\d{3},34\.\d{3},113\.\d{3},34\.\d{3}$/);
  const everything = (await answer.json()) as VenueFeatureCollection;
  expect(everything.features.length).toBeGreaterThan(10);

  const map = page.getByRole('region', { name: /^场馆地图/ });
  await expect(map.locator('.venue-pin, .venue-cluster').first()).toBeVisible();
  await expect(map.locator('.leaflet-tile-loaded').first()).toBeVisible();
  expect(tiles.length, 'tiles come from the local tile server').toBeGreaterThan(0);
  expect(tiles.filter((tile) => !tile.startsWith('200 '))).toEqual([]);
  await expect(map.getByText('© 测试底图 Test tiles')).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: /地图范围内有 \d+ 个场馆/ })).toBeVisible();
  expect(scripts.some((s) => s.includes('VenueMap')), 'the map page loads Leaflet').toBe(true);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
  await screenshot(page, 'resident-map-360');

  // 篮球: the markers are asked for again with the filter, and the address keeps it.
  const filtered = page.waitForResponse((r) => isGeoJson(r.url()) && r.url().includes('sport=basketball'));
  await page.getByRole('combobox', { name: '运动项目' }).selectOption({ label: '篮球' });
  const basketball = (await (await filtered).json()) as VenueFeatureCollection;
  expect(basketball.features.length).toBeGreaterThan(0);
  expect(basketball.features.length).toBeLessThan(everything.features.length);
  for (const feature of basketball.features) expect(feature.properties.sports).toContain('basketball');
  await expect(page).toHaveURL(/sport=basketball/);

  // A venue's marker opens the bottom sheet.
  const pin = await firstVenuePin(page);
  await pin.click();
  const sheet = page.getByRole('dialog');
  await expect(sheet.getByRole('heading', { level: 2 })).toBeVisible();
  await expect(sheet.getByText('篮球')).toBeVisible();
  await expect(sheet.getByRole('link', { name: '查看场馆详情' })).toBeVisible();
  await screenshot(page, 'resident-map-sheet-360');
  await sheet.getByRole('button', { name: '关闭' }).click();
  await expect(sheet).toBeHidden();

  // The same from the keyboard: Enter on a marker opens the sheet, Escape closes it and returns focus.
  await pin.focus();
  await page.keyboard.press('Enter');
  await expect(sheet).toBeVisible();
  await expect(sheet).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(sheet).toBeHidden();
  await expect(pin).toBeFocused();

  // The list: the same filter, nearest to the map centre first, with distances.
  const listed = page.waitForResponse((r) => r.url().includes('/api/v1/venues?'));
  await page.getByRole('button', { name: '列表' }).click();
  const list = await listed;
  const asked = new URL(list.url()).searchParams;
  expect(asked.get('sport')).toBe('basketball');
  expect(asked.get('near')).toMatch(/^34\.\d{5},113\.\d{5}$/);
  const { items, total } = (await list.json()) as { items: VenueSummary[]; total: number };
  expect(total).toBeGreaterThan(0);
  const cards = page.locator('.venue-list > li');
  await expect(cards).toHaveCount(Math.min(total, 20));
  await expect(page.getByText(`共 ${total} 个场馆 · 按与地图中心的距离排序`)).toBeVisible();
  await expect(cards.first()).toContainText(/距地图中心 (\d+ m|\d+\.\d km|\d+ km)/);
  await expect(page.locator('.leaflet-container')).toHaveCount(0);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
  await screenshot(page, 'resident-map-list-360');

  // More, a page at a time, from the same origin.
  if (total > 20) {
    const more = page.waitForResponse((r) => r.url().includes('/api/v1/venues?') && r.url().includes('page=2'));
    await page.getByRole('button', { name: '加载更多' }).click();
    expect(new URL((await more).url()).searchParams.get('near')).toBe(asked.get('near'));
    await expect(cards).toHaveCount(Math.min(total, 40));
  }

  // The nearest venue's page, with this week's hours and today marked.
  const nearest = items[0]!;
  await cards.first().getByRole('link').click();
  await expect(page).toHaveURL(`/venues/${nearest.id}`);
  await expect(page.getByRole('heading', { level: 1, name: nearest.name })).toBeVisible();
  const hours = page.getByRole('region', { name: '本周开放时间' });
  await expect(hours.locator('li.week-hours__day')).toHaveCount(7);
  const today = hours.locator('[aria-current="date"]');
  await expect(today).toHaveCount(1);
  await expect(today).toHaveAttribute('data-date', localDate(new Date(TEST_CLOCK), 'Asia/Shanghai'));
  await expect(today).toHaveClass(/is-today/);
  await expect(today).toContainText('今天');
  await expect(today).toContainText(/\d\d:\d\d–\d\d:\d\d|今日闭馆/);
  const services = page.getByRole('list', { name: '服务' });
  await expect(services.getByRole('link', { name: '预约' })).toBeVisible();
  await expect(services.getByRole('link', { name: '报修' })).toBeVisible();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
  await screenshot(page, 'resident-venue-360');

  // 预约 opens the booking grid of this venue, and the way back leads to the same search.
  await services.getByRole('link', { name: '预约' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText('预约场地');
  await page.getByRole('link', { name: '返回场馆' }).click();
  await page.getByRole('link', { name: '返回地图' }).click();
  await expect(page).toHaveURL(/\/map\?(?=.*sport=basketball)(?=.*view=list)/);
  await expect(page.getByRole('combobox', { name: '运动项目' })).toHaveValue('basketball');

  expect(scripts.filter((s) => s.includes('element-plus')), 'the resident side loads no Element Plus').toEqual([]);
  expect(problems).toEqual([]);
});

test.describe('locate me', () => {
  test.use({ geolocation: { latitude: 34.7205, longitude: 113.6589 }, permissions: ['geolocation'] });

  test('sorts the list by the resident’s own position', async ({ page }) => {
    const problems = watchForPageErrors(page);
    await page.goto('/map?view=list');
    await expect(page.getByText(/按与地图中心的距离排序/)).toBeVisible();
    const located = page.waitForResponse((r) => r.url().includes('/api/v1/venues?') && r.url().includes('near=34.72050%2C113.65890'));
    await page.getByRole('button', { name: '定位我' }).click();
    expect((await located).status()).toBe(200);
    await expect(page.getByText(/按与您的距离排序/)).toBeVisible();
    await expect(page.locator('.venue-list > li').first()).toContainText(/距您 /);
    expect(problems).toEqual([]);
  });
});

test('says plainly when the resident does not allow their location', async ({ page }) => {
  await page.goto('/map');
  await expect(page.getByRole('heading', { level: 1, name: '体育地图' })).toBeVisible();
  await page.getByRole('button', { name: '定位我' }).click();
  await expect(page.getByRole('alert')).toContainText('您没有允许本网站使用位置信息');
});

test('a venue that does not exist says so, with the way back to the map', async ({ page }) => {
  await page.goto('/venues/00000000-0000-4000-8000-000000000000');
  await expect(page.getByRole('heading', { level: 1, name: '场馆不存在' })).toBeVisible();
  await expect(page.getByRole('main').getByRole('link', { name: '返回地图' }).first()).toBeVisible();
});
