import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';
import type { SpectralServer } from './server';

/** Opens the server's root as a person would, signs in with `key` and waits for the signed-in app. */
export async function signInAs(page: Page, server: SpectralServer, key: string): Promise<void> {
  await page.goto(server.url + '/');
  await expect(page).toHaveURL(/\/ui\/$/);
  await page.getByLabel('API key').fill(key);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
}

/** axe-core on the page as it is: no serious or critical violation. */
export async function noSeriousViolations(page: Page, name: string): Promise<void> {
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious.map((v) => `${v.id}: ${v.help}`), `axe on ${name}`).toEqual([]);
}
