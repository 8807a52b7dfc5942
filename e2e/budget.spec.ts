import { gzipSync } from 'node:zlib';
import { expect, test, type Page } from '@playwright/test';

const BUDGET_BYTES = 150_000;

test.use({ viewport: { width: 360, height: 740 }, isMobile: true });

/** Every script a first visit downloads until `ready` holds, gzipped, by path; logged for the record. */
async function firstLoad(page: Page, path: string, label: string, ready: () => Promise<void>): Promise<Map<string, number>> {
  const scripts = new Map<string, number>();
  page.on('response', async (response) => {
    if (response.request().resourceType() !== 'script') return;
    const body = await response.body();
    scripts.set(new URL(response.url()).pathname, gzipSync(body, { level: 9 }).length);
  });
  await page.goto(path, { waitUntil: 'networkidle' });
  await ready();
  const total = [...scripts.values()].reduce((sum, size) => sum + size, 0);
  const listing = [...scripts].map(([file, size]) => `${(size / 1000).toFixed(1).padStart(6)} kB  ${file}`).join('\n');
  console.log(`${label}, first load: ${(total / 1000).toFixed(1)} kB gzip JS in ${scripts.size} files\n${listing}`);
  return scripts;
}

const sum = (scripts: Map<string, number>) => [...scripts.values()].reduce((total, size) => total + size, 0);

test('the resident home loads at most 150 kB of gzipped JavaScript on a first visit', async ({ page }) => {
  const scripts = await firstLoad(page, '/', 'resident home', async () => {
    await expect(page.getByRole('navigation', { name: '主导航' })).toBeVisible();
  });
  expect([...scripts.keys()].filter((path) => path.includes('element-plus'))).toEqual([]);
  expect([...scripts.keys()].filter((path) => path.includes('VenueMap')), 'Leaflet is only loaded by the map').toEqual([]);
  expect(sum(scripts)).toBeLessThanOrEqual(BUDGET_BYTES);
});

test('the map page is where Leaflet is loaded (its first load is logged for the record)', async ({ page }) => {
  const scripts = await firstLoad(page, '/map', 'map page', async () => {
    await expect(page.locator('.leaflet-container .venue-pin, .leaflet-container .venue-cluster').first()).toBeVisible();
  });
  expect([...scripts.keys()].filter((path) => path.includes('VenueMap'))).toHaveLength(1);
  expect([...scripts.keys()].filter((path) => path.includes('element-plus'))).toEqual([]);
});
