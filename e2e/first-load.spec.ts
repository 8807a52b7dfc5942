import { expect, test, type Page, type Response } from '@playwright/test';
import { signIn } from './support.ts';

/** Every answer of 400 or more the page gets, as `status method url`. */
function failingAnswers(page: Page): string[] {
  const failing: string[] = [];
  page.on('response', (response: Response) => {
    if (response.status() >= 400) failing.push(`${response.status()} ${response.request().method()} ${response.url()}`);
  });
  return failing;
}

test.describe('the first page load', () => {
  test('of the home, signed out, makes no request that fails (no refresh call without a session)', async ({ page }) => {
    const failing = failingAnswers(page);
    const refreshes: string[] = [];
    page.on('request', (request) => {
      if (request.url().includes('/api/v1/auth/refresh')) refreshes.push(request.url());
    });
    await page.goto('/');
    await expect(page.getByRole('main').or(page.locator('#app')).first()).toBeVisible();
    await page.waitForLoadState('networkidle');
    expect(failing).toEqual([]);
    expect(refreshes).toEqual([]);

    // And the same on a reload and on the login page.
    await page.reload();
    await page.waitForLoadState('networkidle');
    await page.goto('/login');
    await page.waitForLoadState('networkidle');
    expect(failing).toEqual([]);
    expect(refreshes).toEqual([]);
  });

  test('after a sign-in, a reload still restores the session from the refresh cookie', async ({ page }) => {
    await signIn(page, '13800000011');
    expect(await page.evaluate(() => localStorage.getItem('sp.signedIn'))).toBe('1');
    const failing = failingAnswers(page);
    const refreshed = page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/refresh'));
    await page.goto('/me');
    expect((await refreshed).status()).toBe(200);
    await expect(page).toHaveURL(/\/me$/);
    await page.waitForLoadState('networkidle');
    expect(failing).toEqual([]);
  });
});
