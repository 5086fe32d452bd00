import { expect, test } from '@playwright/test';
import { signInAs } from './helpers';
import { adminKey, SpectralServer } from './server';

let server: SpectralServer;

test.beforeAll(async () => {
  server = await SpectralServer.start();
});

test.afterAll(async () => {
  await server?.kill();
});

test('keyboard only: the navigation, the switches and sign-out are reached with Tab and work with Enter', async ({ page }) => {
  await signInAs(page, server, adminKey);
  await page.locator('body').focus();
  const reached = new Set<string>();
  // Walk the header by Tab: every control in it takes focus in order.
  for (let i = 0; i < 20 && !reached.has('Sign out'); i++) {
    await page.keyboard.press('Tab');
    reached.add(await page.evaluate(() => document.activeElement?.getAttribute('aria-label') || document.activeElement?.textContent?.trim() || ''));
    if (reached.has('Runs')) {
      await page.keyboard.press('Enter');
      await expect(page).toHaveURL(/\/ui\/runs$/);
      await expect(page.getByRole('link', { name: 'Runs' })).toHaveAttribute('aria-current', 'page');
      reached.delete('Runs');
      reached.add('Runs (opened)');
    }
  }
  for (const name of ['Overview', 'Tasks', 'Workflows', 'Jobs', 'Runs (opened)', 'Counters', 'Sessions', 'Keys', 'Pause live', 'Theme', 'Times', 'Sign out']) {
    expect([...reached], `Tab reaches ${name}`).toContain(name);
  }
  // Sign out by keyboard: back to the sign-in page, and the session is gone on the server too.
  await page.keyboard.press('Enter');
  await expect(page.getByLabel('API key')).toBeVisible();
  expect((await page.request.get(`${server.url}/ui/api/session`)).status()).toBe(401);
});
