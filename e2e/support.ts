import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, type Locator, type Page } from '@playwright/test';

export const DEMO_PASSWORD = 'demo12345';

/** The instant the journeys' server clock starts at (playwright.config.ts); browsers that book use it too. */
export const TEST_CLOCK = '2026-11-25T18:45:00+08:00';

/** Where playwright.config.ts runs the stand-in tile server: the app's port plus one. */
export const TILE_ORIGIN = `http://127.0.0.1:${Number(process.env.E2E_PORT ?? 3390) + 1}`;

const AXE_PATH = fileURLToPath(new URL('../node_modules/axe-core/axe.min.js', import.meta.url));
const SCREENSHOT_DIR = fileURLToPath(new URL('../artifacts/screenshots/', import.meta.url));

/** Signs in through the login page, the way a person does, and waits until the app has moved on. */
export async function signIn(page: Page, phone: string, password = DEMO_PASSWORD): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('手机号').fill(phone);
  await page.getByLabel('密码', { exact: true }).fill(password);
  const answer = page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/login'));
  await page.getByRole('button', { name: '登录', exact: true }).click();
  expect((await answer).status()).toBe(200);
  await page.waitForURL((url) => url.pathname !== '/login');
}

/** Saves a full-page screenshot once loading overlays have faded out. */
export async function screenshot(page: Page, name: string): Promise<void> {
  await expect(page.locator('.el-loading-mask')).toHaveCount(0);
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: `${SCREENSHOT_DIR}${name}.png`, fullPage: true });
}

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; html: string; failureSummary?: string }[];
}

/** Runs axe-core on the page as it is and fails on serious or critical violations, listing them. */
export async function expectAccessible(page: Page, label: string): Promise<void> {
  // Colours are judged as they end up, not halfway through a dialog's fade or a tag's zoom: wait for
  // every transition and animation that ends (spinners go on for ever and are not waited for).
  await page.evaluate(() =>
    Promise.all(
      document
        .getAnimations()
        .filter((animation) => Number.isFinite(Number(animation.effect?.getComputedTiming().endTime ?? Number.POSITIVE_INFINITY)))
        .map((animation) => animation.finished.catch(() => undefined)),
    ),
  );
  await page.addScriptTag({ path: AXE_PATH });
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: () => Promise<{ violations: AxeViolation[] }> } }).axe;
    const result = await axe.run();
    return result.violations.map(({ id, impact, help, nodes }) => ({
      id,
      impact,
      help,
      nodes: nodes.map(({ target, html, failureSummary }) => ({ target, html: html.slice(0, 200), failureSummary })),
    }));
  });
  const blocking = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  for (const v of violations) {
    console.log(`[axe ${label}] ${v.impact} ${v.id}: ${v.help}\n  ${v.nodes.map((n) => `${n.target.join(' ')}  ${n.html}`).join('\n  ')}`);
  }
  expect(blocking, `serious or critical accessibility violations on ${label}`).toEqual([]);
}

/**
 * Picks an option of an Element Plus select from the keyboard (their placeholder takes the pointer),
 * as a keyboard user does: focus, Enter, then the option. A select still loading its options, or one
 * whose Enter a closing dropdown took, is opened again until the option can be picked.
 */
export async function choose(
  page: Page,
  combobox: string,
  option: string | RegExp,
  { scope, exact = false }: { scope?: Locator; exact?: boolean } = {},
): Promise<void> {
  const select = (scope ?? page).getByRole('combobox', { name: combobox, exact: true });
  const choice = page.getByRole('option', { name: option, exact });
  await expect(async () => {
    if (!(await choice.isVisible())) {
      await select.focus();
      await page.keyboard.press('Enter');
    }
    await choice.click({ timeout: 3_000 });
  }).toPass({ timeout: 30_000 });
}

/** Collects what the page asks the server for, to prove which bundles a side loads. */
export function recordScripts(page: Page): string[] {
  const scripts: string[] = [];
  page.on('request', (request) => {
    if (request.resourceType() === 'script') scripts.push(new URL(request.url()).pathname);
  });
  return scripts;
}

/** Fails the test on any Content-Security-Policy violation or uncaught error in the page. */
export function watchForPageErrors(page: Page): string[] {
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy/i.test(message.text())) problems.push(message.text());
  });
  return problems;
}
