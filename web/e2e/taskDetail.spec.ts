import { expect, test } from '@playwright/test';
import { noSeriousViolations, signInAs } from './helpers';
import { adminKey, SpectralServer } from './server';

let server: SpectralServer;

test.beforeAll(async () => {
  server = await SpectralServer.start();
});

test.afterAll(async () => {
  await server?.kill();
});

/** 10,000 events in batches of 250 (the batch limit), progress moving so an ETA can be told. */
async function manyEvents(id: string, count: number) {
  for (let start = 0; start < count; start += 250) {
    const operations = Array.from({ length: Math.min(250, count - start) }, (_, i) => {
      const n = start + i;
      return n % 100 === 99
        ? { op: 'progress', id, progress: Math.min(90, (n + 1) / 120), message: `step ${n}` }
        : { op: 'event', id, type: n % 50 === 7 ? 'error' : 'log', message: `line ${n}` };
    });
    await server.api('POST', '/api/v1/tasks/batch', { operations });
  }
}

test('task detail: a 10,000-event timeline stays virtualized, filters by level and follows; ETA, tools, curl, delete', async ({ page }, info) => {
  const id = `big-${Date.now()}`;
  await server.api('POST', '/api/v1/tasks', { id, title: 'Import 10k rows', type: 'import', status: 'in-progress', metadata: { source: 's3://bucket/rows.csv' } });
  await manyEvents(id, 10_000);
  const tool = await server.api<{ id: string }>('POST', `/api/v1/tasks/${id}/tools`, { toolName: 'fetch-rows', arguments: { limit: 100 } });
  await server.api('POST', `/api/v1/tasks/${id}/tools/${tool.id}/complete`, { output: { rows: 100 } });

  await signInAs(page, server, adminKey);
  await page.goto(`${server.url}/ui/tasks/${id}`);
  await expect(page.getByTestId('event-count')).toHaveText(/^1000\d events$/, { timeout: 30_000 });
  // Only the rows in view exist: the page does not hold 10,000 list items.
  const rendered = await page.getByRole('list', { name: 'Events' }).getByRole('listitem').count();
  expect(rendered).toBeGreaterThan(0);
  expect(rendered).toBeLessThan(200);
  // Following: the newest event is in view.
  await expect(page.getByRole('list', { name: 'Events' })).toContainText('line 9998');
  await expect(page.getByTestId('eta')).toContainText('left');

  // A new event arrives live and, while following, comes into view.
  await server.api('POST', `/api/v1/tasks/${id}/events`, { type: 'log', message: 'the very last line' });
  await expect(page.getByRole('list', { name: 'Events' })).toContainText('the very last line');

  await page.getByLabel('Level').selectOption('error');
  await expect(page.getByTestId('event-count')).toHaveText(/^200 of 1000\d events$/);
  await expect(page.getByRole('list', { name: 'Events' })).not.toContainText('line 9998');

  await expect(page.getByRole('table', { name: 'Tool executions' })).toContainText('fetch-rows');
  await expect(page.getByRole('group').filter({ hasText: 'Metadata' })).toContainText('s3://bucket/rows.csv');
  await page.screenshot({ path: info.outputPath('task-detail-10k.png'), fullPage: true, animations: 'disabled' });
  await noSeriousViolations(page, 'task detail with 10k events');

  // Copy as curl names the key's variable, never the key.
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.getByRole('button', { name: 'Copy as curl' }).click();
  const copied = await page.evaluate(() => navigator.clipboard.readText()).catch(() => page.getByTestId('copy-text').innerText());
  expect(copied).toContain(`/api/v1/tasks/${id}`);
  expect(copied).toContain('$SPECTRAL_API_KEY');
  expect(copied).not.toContain(adminKey);

  // Delete asks first; keeping it does nothing; confirming deletes and returns to the list.
  await page.getByRole('button', { name: 'Delete', exact: true }).click();
  await page.getByRole('button', { name: 'Keep' }).click();
  await expect(page.getByTestId('task-status')).toHaveText('in-progress');
  await page.getByRole('button', { name: 'Delete', exact: true }).click();
  await page.getByRole('button', { name: 'Delete task' }).click();
  await expect(page).toHaveURL(/\/ui\/tasks$/);
  const gone = await fetch(`${server.url}/api/v1/tasks/${id}`, { headers: { 'X-API-Key': adminKey } });
  expect(gone.status).toBe(404);
});

test('a run task links to its run and job', async ({ page }) => {
  const job = `job-${Date.now()}`;
  await server.api('POST', '/api/v1/jobs', { id: job, type: 'noop' });
  const run = await server.api<{ id: string }>('POST', `/api/v1/jobs/${job}/trigger`, {});
  await signInAs(page, server, adminKey);
  await page.goto(`${server.url}/ui/tasks/${encodeURIComponent(run.id)}`);
  await expect(page.getByRole('link', { name: job })).toHaveAttribute('href', `/ui/jobs/${job}`);
  await expect(page.getByRole('link', { name: /^run / })).toHaveAttribute('href', `/ui/runs/${encodeURIComponent(run.id)}`);
});

test('switches: theme, UTC times, pausing live updates; the phone width keeps every control', async ({ page }, info) => {
  const id = `prefs-${Date.now()}`;
  await server.api('POST', '/api/v1/tasks', { id, title: 'Render frames', status: 'in-progress' });
  await signInAs(page, server, adminKey);
  await page.goto(`${server.url}/ui/tasks/${id}`);
  const bar = page.getByRole('progressbar', { name: 'Task progress' });

  await page.getByLabel('Theme').selectOption('dark');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe('rgb(20, 23, 27)');
  await page.getByLabel('Times').selectOption('utc');
  await expect(page.locator('dl.facts time').first()).toHaveText(/ UTC$/);
  await noSeriousViolations(page, 'task detail, dark');
  await page.reload();
  // The choices are the reader's, kept in this browser.
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await expect(page.locator('dl.facts time').first()).toHaveText(/ UTC$/);

  await page.getByRole('button', { name: 'Pause live' }).click();
  await server.api('POST', `/api/v1/tasks/${id}/progress`, { progress: 55 });
  // Paused: the page holds still while the change is known to have been delivered elsewhere.
  const other = await page.context().newPage();
  await other.goto(`${server.url}/ui/tasks/${id}`);
  await expect(other.getByRole('progressbar', { name: 'Task progress' })).toHaveAttribute('aria-valuenow', '55');
  await other.close();
  await expect(bar).toHaveAttribute('aria-valuenow', '0');
  await page.getByRole('button', { name: 'Resume live' }).click();
  await expect(bar).toHaveAttribute('aria-valuenow', '55');

  await page.setViewportSize({ width: 390, height: 844 });
  await expect(page.getByRole('button', { name: 'Complete' })).toBeInViewport();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow, 'no sideways scrolling at phone width').toBeLessThanOrEqual(0);
  await page.screenshot({ path: info.outputPath('task-detail-phone.png'), fullPage: true, animations: 'disabled' });
  await noSeriousViolations(page, 'task detail at phone width');
});
