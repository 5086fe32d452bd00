import { expect, test, type Page } from '@playwright/test';
import { noSeriousViolations, signInAs } from './helpers';
import { adminKey, SpectralServer } from './server';

let server: SpectralServer;

test.beforeAll(async () => {
  server = await SpectralServer.start();
});

test.afterAll(async () => {
  await server?.kill();
});

const count = async (page: Page, testId: string) => Number(await page.getByTestId(testId).textContent());
const rowIds = (page: Page) => page.locator('table[aria-label="Tasks"] tbody tr').evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.taskId!));

test('the Overview counts change live when a task is created and completed through the API', async ({ page }, info) => {
  await signInAs(page, server, adminKey);
  await expect(page).toHaveURL(/\/ui\/overview$/);
  await expect(page.getByTestId('count-total')).toBeVisible();
  const pending = await count(page, 'count-pending');
  const success = await count(page, 'count-success');
  const finished = await count(page, 'finished-success');

  const id = `ov-${Date.now()}`;
  await server.api('POST', '/api/v1/tasks', { id, title: 'Overview live' });
  await expect(page.getByTestId('count-pending')).toHaveText(String(pending + 1));
  await server.api('POST', `/api/v1/tasks/${id}/complete`, {});
  await expect(page.getByTestId('count-success')).toHaveText(String(success + 1));
  await expect(page.getByTestId('count-pending')).toHaveText(String(pending));
  await expect(page.getByTestId('finished-success')).toHaveText(String(finished + 1));

  // A failure and a queued run show in the failure rate and the queue table, still without reload.
  const failed = `ov-f-${Date.now()}`;
  await server.api('POST', '/api/v1/tasks', { id: failed, title: 'Overview failure' });
  await server.api('POST', `/api/v1/tasks/${failed}/fail`, { error: 'boom' });
  await server.api('POST', '/api/v1/runs', { runs: [{ type: 'mail', queue: 'mail-out' }] });
  await expect(page.getByRole('table', { name: 'Queues' }).getByRole('row', { name: /mail-out/ })).toBeVisible();
  await expect(page.getByTestId('failure-rate')).not.toHaveText('—');
  await expect(page.getByTestId('throughput-chart').locator('canvas')).toBeVisible();
  await expect(page.getByRole('table', { name: 'Live sessions per node' })).toBeVisible();
  await page.screenshot({ path: info.outputPath('overview.png'), fullPage: true, animations: 'disabled' });
  await noSeriousViolations(page, 'overview');

  // A phone's width: the page does not scroll sideways.
  await page.setViewportSize({ width: 390, height: 800 });
  await expect(page.getByTestId('count-total')).toBeVisible();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
});

test('Tasks: search by title and by metadata finds exactly the right tasks, the URL keeps the filter, bulk cancel with confirmation', async ({ page }, info) => {
  const stamp = Date.now().toString(36);
  const make = (suffix: string, title: string, team: string) =>
    server.api('POST', '/api/v1/tasks', { id: `s-${stamp}-${suffix}`, title, metadata: { team, run: stamp } });
  await make('a', `Report ${stamp} alpha`, 'red');
  await make('b', `REPORT ${stamp} beta`, 'blue');
  await make('c', `Other ${stamp}`, 'red');
  await signInAs(page, server, adminKey);
  await page.getByRole('link', { name: 'Tasks', exact: true }).click();

  const form = page.getByRole('search', { name: 'Search tasks' });
  await form.getByLabel('Search').fill(`report ${stamp}`);
  await form.getByRole('button', { name: 'Search' }).click();
  await expect(page).toHaveURL(new RegExp(`[?&]q=report(\\+|%20)${stamp}`));
  await expect.poll(() => rowIds(page).then((ids) => ids.sort())).toEqual([`s-${stamp}-a`, `s-${stamp}-b`]);

  // A new matching task arrives on the live first page; a non-matching one does not.
  await server.api('POST', '/api/v1/tasks', { id: `s-${stamp}-x`, title: 'not this one' });
  await make('d', `weekly report ${stamp}`, 'green');
  await expect(page.locator(`tr[data-task-id="s-${stamp}-d"]`)).toBeVisible();
  await expect(page.locator(`tr[data-task-id="s-${stamp}-x"]`)).toHaveCount(0);

  await form.getByLabel('Search').fill('');
  await form.getByLabel('Metadata').fill(`team=red, run=${stamp}`);
  await form.getByRole('button', { name: 'Search' }).click();
  await expect(page).toHaveURL(/meta=team%3Dred/);
  await expect.poll(() => rowIds(page).then((ids) => ids.sort())).toEqual([`s-${stamp}-a`, `s-${stamp}-c`]);
  await page.reload();
  await expect(page.getByRole('search', { name: 'Search tasks' }).getByLabel('Metadata')).toHaveValue(`team=red, run=${stamp}`);
  await expect.poll(() => rowIds(page).then((ids) => ids.sort())).toEqual([`s-${stamp}-a`, `s-${stamp}-c`]);

  // Several statuses and the metadata together.
  await form.getByRole('checkbox', { name: 'pending' }).check();
  await form.getByRole('checkbox', { name: 'failed' }).check();
  await form.getByRole('button', { name: 'Search' }).click();
  await expect(page).toHaveURL(/status=pending&status=failed/);
  await page.screenshot({ path: info.outputPath('tasks-search.png'), fullPage: true, animations: 'disabled' });
  await noSeriousViolations(page, 'tasks search');

  // Bulk cancel of two selected tasks, confirmed in a dialog; each outcome is reported.
  await page.getByRole('checkbox', { name: `Select Report ${stamp} alpha` }).check();
  await page.getByRole('checkbox', { name: `Select Other ${stamp}` }).check();
  await page.getByRole('button', { name: 'Cancel selected' }).click();
  const dialog = page.getByRole('dialog', { name: 'Cancel 2 tasks?' });
  await expect(dialog).toBeVisible();
  await noSeriousViolations(page, 'bulk dialog');
  await dialog.getByRole('button', { name: 'Cancel 2' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('bulk-report')).toContainText('2 of 2 done');
  // Canceled tasks leave a pending/failed filter live.
  await expect.poll(() => rowIds(page)).toEqual([]);
  for (const id of [`s-${stamp}-a`, `s-${stamp}-c`]) {
    expect((await server.api<{ status: string }>('GET', `/api/v1/tasks/${id}`)).status).toBe('canceled');
  }
  expect((await server.api<{ status: string }>('GET', `/api/v1/tasks/s-${stamp}-b`)).status).toBe('pending');
});

test('500 tasks page on the server: the live first page, then cursor pages in the same order, every task once', async ({ page }) => {
  const type = `page-${Date.now().toString(36)}`;
  for (let batch = 0; batch < 2; batch++) {
    const operations = Array.from({ length: 250 }, (_, i) => ({ op: 'create', id: `${type}-${String(batch * 250 + i).padStart(3, '0')}`, type }));
    await server.api('POST', '/api/v1/tasks/batch', { operations });
  }
  await signInAs(page, server, adminKey);
  await page.goto(`${server.url}/ui/tasks?type=${type}`);
  const seen = new Set<string>();
  for (let n = 1; n <= 10; n++) {
    await expect(page.getByTestId('page')).toContainText(`Page ${n}`);
    await expect.poll(async () => (await rowIds(page)).length).toBe(50);
    for (const id of await rowIds(page)) seen.add(id);
    if (n < 10) await page.getByRole('button', { name: 'Next page' }).click();
  }
  expect(seen.size).toBe(500);
  await expect(page.getByRole('button', { name: 'Next page' })).toBeDisabled();
  await page.getByRole('button', { name: 'Previous page' }).click();
  await expect(page.getByTestId('page')).toContainText('Page 9');
});

test('a read key sees the Overview and the Tasks search but no selection or bulk action', async ({ page }) => {
  const created = await server.api<{ key: string }>('POST', '/api/v1/keys', { name: `reader-${Date.now()}`, scopes: ['read'] });
  await server.api('POST', '/api/v1/tasks', { id: `ro-${Date.now()}`, title: 'Read only row' });
  await signInAs(page, server, created.key);
  await expect(page.getByTestId('count-total')).toBeVisible();
  await noSeriousViolations(page, 'overview (read key)');
  await page.getByRole('link', { name: 'Tasks', exact: true }).click();
  await expect(page.locator('table[aria-label="Tasks"] tbody tr').first()).toBeVisible();
  await expect(page.getByRole('checkbox', { name: /^Select/ })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Cancel selected' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Delete selected' })).toHaveCount(0);
  await noSeriousViolations(page, 'tasks (read key)');
});
