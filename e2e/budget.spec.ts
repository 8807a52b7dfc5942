import { gzipSync } from 'node:zlib';
import { expect, test } from '@playwright/test';

const BUDGET_BYTES = 150_000;

test.use({ viewport: { width: 360, height: 740 }, isMobile: true });

test('the resident home loads at most 150 kB of gzipped JavaScript on a first visit', async ({ page }) => {
  const scripts = new Map<string, number>();
  page.on('response', async (response) => {
    if (response.request().resourceType() !== 'script') return;
    const body = await response.body();
    scripts.set(new URL(response.url()).pathname, gzipSync(body, { level: 9 }).length);
  });

  await page.goto('/', { waitUntil: 'networkidle' });
  await expect(page.getByRole('navigation', { name: '主导航' })).toBeVisible();

  const total = [...scripts.values()].reduce((sum, size) => sum + size, 0);
  const listing = [...scripts].map(([path, size]) => `${(size / 1000).toFixed(1).padStart(6)} kB  ${path}`).join('\n');
  console.log(`resident home, first load: ${(total / 1000).toFixed(1)} kB gzip JS in ${scripts.size} files\n${listing}`);

  expect([...scripts.keys()].filter((path) => path.includes('element-plus'))).toEqual([]);
  expect(total).toBeLessThanOrEqual(BUDGET_BYTES);
});
