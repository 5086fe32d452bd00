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

const signIn = (page: Page, key: string) => signInAs(page, server, key);

test('sign in; a task created through the API appears without reload and its progress bar moves live', async ({ page }, info) => {
  await signIn(page, adminKey);
  await expect(page).toHaveURL(/\/ui\/overview$/);
  await page.getByRole('link', { name: 'Tasks', exact: true }).click();
  await expect(page).toHaveURL(/\/ui\/tasks$/);
  // The key never lands anywhere a script or a URL keeps it.
  expect(await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }) + document.cookie)).not.toContain(adminKey);

  const id = `ui-${Date.now()}`;
  await server.api('POST', '/api/v1/tasks', { id, title: 'Transcode intro.mp4', type: 'video' });
  const row = page.locator(`tr[data-task-id="${id}"]`);
  await expect(row).toBeVisible();
  const bar = row.getByRole('progressbar');
  await expect(bar).toHaveAttribute('aria-valuenow', '0');
  await server.api('POST', `/api/v1/tasks/${id}/progress`, { progress: 42, message: 'pass 1' });
  await expect(bar).toHaveAttribute('aria-valuenow', '42');
  await page.screenshot({ path: info.outputPath('tasks.png'), fullPage: true, animations: 'disabled' });
  await noSeriousViolations(page, 'tasks');

  await row.getByRole('link').click();
  await expect(page).toHaveURL(new RegExp(`/ui/tasks/${id}$`));
  await expect(page.getByRole('progressbar', { name: 'Task progress' })).toHaveAttribute('aria-valuenow', '42');
  await server.api('POST', `/api/v1/tasks/${id}/events`, { type: 'log', message: 'thumbnails written' });
  await expect(page.getByRole('list', { name: 'Events' })).toContainText('thumbnails written');
  await page.getByRole('button', { name: 'Complete' }).click();
  await expect(page.getByTestId('task-status')).toHaveText('success');
  await page.screenshot({ path: info.outputPath('task-detail.png'), fullPage: true, animations: 'disabled' });
  await noSeriousViolations(page, 'task detail');

  // The page's own URL survives a reload.
  await page.reload();
  await expect(page.getByTestId('task-status')).toHaveText('success');
});

test('a read key sees no mutating control and a forged request from its session is refused', async ({ page }) => {
  const created = await server.api<{ key: string }>('POST', '/api/v1/keys', { name: `reader-${Date.now()}`, scopes: ['read'] });
  const id = `ro-${Date.now()}`;
  await server.api('POST', '/api/v1/tasks', { id, title: 'Read only' });
  await signIn(page, created.key);
  await page.goto(`${server.url}/ui/tasks/${id}`);
  await expect(page.getByTestId('task-status')).toHaveText('pending');
  await expect(page.getByRole('button', { name: 'Cancel' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Complete' })).toHaveCount(0);
  // The same request the page would send, forged in the page with its session cookie: refused.
  const status = await page.evaluate(
    async (taskId) => (await fetch(`/api/v1/tasks/${encodeURIComponent(taskId)}/cancel`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' })).status,
    id,
  );
  expect(status).toBe(403);
});

test('the server is killed and restarted: the page says so and recovers by itself', async ({ page }) => {
  await signIn(page, adminKey);
  const id = `restart-${Date.now()}`;
  await server.api('POST', '/api/v1/tasks', { id, title: 'Survives a restart' });
  await page.goto(`${server.url}/ui/tasks/${id}`);
  await expect(page.getByTestId('task-status')).toHaveText('pending');
  await server.kill();
  await expect(page.getByTestId('connection')).toHaveText(/reconnecting/);
  await server.launch();
  await expect(page.getByTestId('connection')).toHaveText('live', { timeout: 45_000 });
  await server.api('POST', `/api/v1/tasks/${id}/progress`, { progress: 77 });
  await expect(page.getByRole('progressbar', { name: 'Task progress' })).toHaveAttribute('aria-valuenow', '77');
});
