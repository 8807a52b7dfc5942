import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { defineConfig } from '@playwright/test';

/**
 * Browser journeys against the real server (embedded database, seeded demo data) serving the built
 * web app. Build first: `pnpm build && npx playwright test`. Chromium is Debian's, never downloaded.
 */
const PORT = Number(process.env.E2E_PORT ?? 3390);
const BASE_URL = `http://127.0.0.1:${PORT}`;
/** Keep in step with TEST_CLOCK in e2e/support.ts. */
const TEST_CLOCK = '2026-11-25T18:45:00+08:00';
/** The map's tiles come from a local stand-in (e2e/tile-server.mjs), never from the internet. */
const TILE_PORT = PORT + 1;
const TILE_ORIGIN = `http://127.0.0.1:${TILE_PORT}`;

/** The built web app; WEB_DIST points elsewhere when several builds are tried side by side. */
const WEB_DIST = path.resolve(process.env.WEB_DIST ?? 'apps/web/dist');
if (!existsSync(path.join(WEB_DIST, 'index.html'))) {
  throw new Error(`${WEB_DIST} is missing: run \`pnpm build\` before \`npx playwright test\`.`);
}

// A fresh database per run. Workers load this file too; they inherit the main process's folder via the env.
const dataDir = (process.env.E2E_DATA_DIR ??= mkdtempSync(path.join(tmpdir(), 'sports-e2e-')));

export default defineConfig({
  testDir: 'e2e',
  globalTeardown: './e2e/global-teardown.ts',
  fullyParallel: true,
  workers: 2,
  forbidOnly: Boolean(process.env.CI),
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [['list'], ['json', { outputFile: 'test-results/e2e.json' }]],
  use: {
    baseURL: BASE_URL,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  webServer: [
    {
      command: 'node --import tsx apps/api/src/server.ts',
      url: `${BASE_URL}/readyz`,
      reuseExistingServer: false,
      timeout: 120_000,
      stdout: 'ignore',
      stderr: 'pipe',
      env: {
        DATA_DIR: dataDir,
        WEB_DIST,
        PORT: String(PORT),
        HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
        MAP_TILE_URL: `${TILE_ORIGIN}/{z}/{x}/{y}.png`,
        MAP_TILE_CRS: 'wgs84',
        MAP_TILE_ATTRIBUTION: '© 测试底图 Test tiles',
        // The server's clock starts here (a Wednesday evening in Zhengzhou) so bookings are repeatable;
        // booking journeys set the browser's clock to the same instant (TEST_CLOCK in e2e/support.ts).
        TEST_CLOCK,
      },
    },
    {
      command: `node e2e/tile-server.mjs ${TILE_PORT}`,
      url: `${TILE_ORIGIN}/0/0/0.png`,
      reuseExistingServer: false,
      timeout: 10_000,
      stdout: 'ignore',
      stderr: 'pipe',
    },
  ],
});
