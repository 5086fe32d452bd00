import type { Job, Run } from '@spectralnotify/client';
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
const unique = (prefix: string) => `${prefix}-${Date.now()}-${Math.floor(Math.random() * 1e6)}`;
const shot = (page: Page, path: string) => page.screenshot({ path, fullPage: true, animations: 'disabled' });

/**
 * A manual job on a queue of its own (no in-process worker takes it) and one run of it, claimed
 * over the worker HTTP API: the test plays the worker.
 */
async function jobWithClaimedRun(maxRetries = 0): Promise<{ job: Job; run: Run; leaseToken: string; queue: string }> {
  const queue = unique('q');
  const job = await server.api<Job>('POST', '/api/v1/jobs', { id: unique('mailer'), type: 'email', queue, maxRetries, payload: { to: 'ops@example.com' } });
  const run = await server.api<Run>('POST', `/api/v1/jobs/${job.id}/trigger`);
  const claimed = await server.api<{ runs: Run[] }>('POST', '/api/v1/workers/claim', { workerId: 'e2e-worker', queues: [queue], types: ['email'] });
  expect(claimed.runs.map((r) => r.id)).toEqual([run.id]);
  return { job, run, leaseToken: claimed.runs[0]!.leaseToken!, queue };
}

test('create a job from JSON in the page, trigger it: its runs appear live on Jobs and on the job page', async ({ page }, info) => {
  await signIn(page, adminKey);
  await page.getByRole('link', { name: 'Jobs', exact: true }).click();
  await expect(page).toHaveURL(/\/ui\/jobs$/);
  const id = unique('digest');
  const queue = unique('q');
  // Another job keeps the table on the page when the one under test is deleted.
  const keeper = await server.api<Job>('POST', '/api/v1/jobs', { id: unique('keeper'), type: 'noop', schedule: { intervalSeconds: 86400 } });
  const editor = page.getByLabel(/Job definition/);

  // A body the server refuses: its problem details show, naming the field.
  await editor.fill(JSON.stringify({ id, queue, schedule: { cron: '30 9 * * 1-5', timezone: 'Europe/Berlin' } }));
  await page.getByRole('button', { name: 'Create job' }).click();
  await expect(page.getByRole('alert')).toContainText('HTTP 400');
  await expect(page.getByRole('alert')).toContainText('type');
  await editor.fill('{ not json');
  await page.getByRole('button', { name: 'Create job' }).click();
  await expect(page.getByRole('alert')).toContainText('Not valid JSON');

  await editor.fill(JSON.stringify({ id, type: 'email', queue, payload: { list: 'weekly' }, schedule: { cron: '30 9 * * 1-5', timezone: 'Europe/Berlin' } }));
  await page.getByRole('button', { name: 'Create job' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Created' })).toContainText(`Created ${id}`);
  const row = page.locator(`tr[data-job-id="${id}"]`);
  await expect(row).toContainText('weekdays at 09:30 (Europe/Berlin)');
  await expect(row.getByTestId('job-state')).toHaveText('active');
  await expect(row).toContainText('none yet');

  await row.getByRole('button', { name: `Trigger now: ${id}` }).click();
  const recent = row.getByRole('list', { name: `Recent runs of ${id}` });
  await expect(recent.getByRole('link')).toHaveCount(1);
  await expect(recent.getByRole('link')).toHaveText('pending');
  // A run from elsewhere shows up too, without a reload.
  await server.api('POST', `/api/v1/jobs/${id}/trigger`);
  await expect(recent.getByRole('link')).toHaveCount(2);

  // Pause and resume refresh the definition.
  await row.getByRole('button', { name: `Pause ${id}` }).click();
  await expect(row.getByTestId('job-state')).toHaveText('paused');
  await row.getByRole('button', { name: `Resume ${id}` }).click();
  await expect(row.getByTestId('job-state')).toHaveText('active');
  await shot(page, info.outputPath('jobs.png'));
  await noSeriousViolations(page, 'jobs');

  await row.getByRole('link', { name: id, exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/ui/jobs/${id}$`));
  await expect(page.getByTestId('job-schedule')).toContainText('weekdays at 09:30');
  await expect(page.getByRole('heading', { name: 'Next fire times (Europe/Berlin)' })).toBeVisible();
  const fires = page.getByRole('list', { name: 'Next fire times' }).getByRole('listitem');
  await expect(fires).toHaveCount(5);
  // Wall-clock time in the schedule's zone, whatever the reader's (December in Berlin is +01:00).
  await expect(fires.first()).toContainText(/\d{4}-\d{2}-\d{2} 09:30 \+0[12]:00/);
  const runs = page.getByRole('table', { name: 'Runs of this job' });
  await expect(runs.locator('tbody tr')).toHaveCount(2);
  const third = await server.api<Run>('POST', `/api/v1/jobs/${id}/trigger`);
  await expect(runs.locator('tbody tr')).toHaveCount(3);
  // Newest first.
  await expect(runs.locator('tbody tr').first()).toHaveAttribute('data-run-id', third.id);
  await server.api('POST', `/api/v1/tasks/${third.id}/cancel`, {});
  await expect(runs.locator(`tr[data-run-id="${third.id}"]`).getByTestId('run-status')).toHaveText('canceled');
  await shot(page, info.outputPath('job-detail.png'));
  await noSeriousViolations(page, 'job detail');

  // Delete hides the job from the list; the toggle shows it again with Restore.
  await page.getByRole('button', { name: `Delete ${id}` }).click();
  await expect(page.getByTestId('job-state')).toHaveText('deleted');
  await page.getByRole('link', { name: 'Jobs', exact: true }).click();
  await expect(page.locator(`tr[data-job-id="${keeper.id}"]`)).toContainText('every 1 day');
  await expect(row).toHaveCount(0);
  await page.getByLabel('Show deleted jobs').check();
  await expect(page).toHaveURL(/\/ui\/jobs\?deleted=1$/);
  await expect(row.getByTestId('job-state')).toHaveText('deleted');
  await row.getByRole('button', { name: `Restore ${id}` }).click();
  await expect(row.getByTestId('job-state')).toHaveText('active');
});

test('a run fails for good through the worker API, live on the Runs page, and is retried from there', async ({ page }, info) => {
  const { job, run, leaseToken, queue } = await jobWithClaimedRun();
  await signIn(page, adminKey);
  await page.getByRole('link', { name: 'Runs', exact: true }).click();
  await page.getByLabel('Queue').fill(queue);
  await expect(page).toHaveURL(new RegExp(`/ui/runs\\?queue=${queue}$`));
  const row = page.locator(`tr[data-run-id="${run.id}"]`);
  await expect(row.getByTestId('run-state')).toHaveText('running');
  await expect(row.getByRole('link', { name: job.id })).toBeVisible();
  await expect(row).toContainText('1 of 1');

  await server.api('POST', `/api/v1/tasks/${run.id}/progress`, { progress: 30, message: 'connecting' });
  await expect(row.getByRole('progressbar')).toHaveAttribute('aria-valuenow', '30');
  await server.api('POST', `/api/v1/runs/${run.id}/fail`, { leaseToken, error: 'SMTP refused the message', retryable: false });
  await expect(row.getByTestId('run-state')).toHaveText('done');
  await expect(row.getByTestId('run-status')).toHaveText('failed');
  await expect(row).toContainText('SMTP refused the message');
  await expect(row.getByRole('button', { name: 'Cancel' })).toHaveCount(0);

  await row.getByRole('button', { name: 'Retry' }).click();
  const retried = row.getByRole('status');
  await expect(retried).toContainText('Retried as');
  const retryId = (await retried.getByRole('link').textContent())!;
  const fresh = page.locator(`tr[data-run-id="${retryId}"]`);
  // The new run arrives through the live list, due now, with a fresh count (no attempt used yet).
  await expect(fresh.getByTestId('run-state')).toHaveText('pending');
  await expect(fresh).toContainText('0 of 1');
  await expect(row.getByTestId('run-status')).toHaveText('failed');
  await shot(page, info.outputPath('runs.png'));
  await noSeriousViolations(page, 'runs');

  // The filter lives in the URL: done runs only, and a reload keeps it.
  await page.getByLabel('State').selectOption('done');
  await expect(page).toHaveURL(new RegExp(`/ui/runs\\?state=done&queue=${queue}$`));
  await expect(fresh).toHaveCount(0);
  await page.reload();
  await expect(page.getByLabel('State')).toHaveValue('done');
  await expect(row.getByTestId('run-status')).toHaveText('failed');

  // The failed run's page: outcome, error, attempts, events; then the retry's page cancels it.
  await row.getByRole('link', { name: run.id, exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/ui/runs/${run.id}$`));
  await expect(page.getByTestId('run-status')).toHaveText('failed');
  await expect(page.getByTestId('run-error')).toContainText('SMTP refused the message');
  await expect(page.getByTestId('run-attempt')).toHaveText('1 of 1');
  await expect(page.getByRole('progressbar', { name: 'Run progress' })).toHaveAttribute('aria-valuenow', '30');
  await expect(page.getByRole('list', { name: 'Events' })).toContainText('connecting');
  await expect(page.getByRole('link', { name: 'Open its task' })).toHaveAttribute('href', `/ui/tasks/${run.id}`);
  await shot(page, info.outputPath('run-detail.png'));
  await noSeriousViolations(page, 'run detail');

  await page.goto(`${server.url}/ui/runs/${retryId}`);
  await expect(page.getByTestId('run-state')).toHaveText('pending');
  await expect(page.getByRole('link', { name: `Retry of ${run.id}` })).toBeVisible();
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByTestId('run-status')).toHaveText('canceled');
  await expect(page.getByTestId('run-state')).toHaveText('done');
  await expect(page.getByRole('button', { name: 'Retry' })).toBeVisible();
});

test('saving a job someone else changed meanwhile is refused with 412: the page shows the conflict and reloads the current version', async ({ page }) => {
  const job = await server.api<Job>('POST', '/api/v1/jobs', { id: unique('report'), type: 'report', queue: unique('q'), schedule: { intervalSeconds: 3600 } });
  await signIn(page, adminKey);
  await page.goto(`${server.url}/ui/jobs/${job.id}`);
  await expect(page.getByTestId('job-schedule')).toHaveText('every 1 hour');
  await expect(page.getByTestId('job-version')).toHaveText(String(job.version));
  const editor = page.getByLabel(/^Definition \(JSON/);
  const mine = JSON.parse(await editor.inputValue()) as Record<string, unknown>;
  await editor.fill(JSON.stringify({ ...mine, priority: 90 }, null, 2));

  // Someone else changes the job between loading and saving.
  const other = await fetch(`${server.url}/api/v1/jobs/${job.id}`, {
    method: 'PATCH',
    headers: { 'X-API-Key': adminKey, 'Content-Type': 'application/json', 'If-Match': `"${job.version}"` },
    body: JSON.stringify({ schedule: { intervalSeconds: 900 } }),
  });
  expect(other.status).toBe(200);

  await page.getByRole('button', { name: 'Save' }).click();
  const conflict = page.getByTestId('conflict');
  await expect(conflict).toContainText('Not saved: someone else changed this job');
  await expect(conflict).toContainText(`You edited version ${job.version}; it is now version ${job.version + 1}`);
  await expect(conflict.getByRole('group')).toContainText('"intervalSeconds": 900');
  expect((await server.api<Job>('GET', `/api/v1/jobs/${job.id}`)).priority).toBe(50);
  await noSeriousViolations(page, 'job detail with a conflict');

  await page.getByRole('button', { name: 'Load the current version' }).click();
  await expect(conflict).toHaveCount(0);
  await expect(page.getByTestId('job-schedule')).toHaveText('every 15 minutes');
  const current = JSON.parse(await editor.inputValue()) as Record<string, unknown>;
  expect(current.schedule).toEqual({ intervalSeconds: 900 });
  await editor.fill(JSON.stringify({ ...current, priority: 90 }, null, 2));
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved' })).toHaveText(`Saved as version ${job.version + 2}.`);
  await expect(page.getByTestId('job-version')).toHaveText(String(job.version + 2));
  const saved = await server.api<Job>('GET', `/api/v1/jobs/${job.id}`);
  expect([saved.priority, saved.schedule]).toEqual([90, { intervalSeconds: 900 }]);

  // A body the server refuses shows its problem details.
  await editor.fill(JSON.stringify({ priority: 500 }));
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('alert')).toContainText('priority: must be a whole number from 0 to 100');
});

test('a read key sees jobs and runs but no trigger, create, edit, retry or cancel; the pages fit a phone', async ({ page }) => {
  const failed = await jobWithClaimedRun();
  await server.api('POST', `/api/v1/runs/${failed.run.id}/fail`, { leaseToken: failed.leaseToken, error: 'boom', retryable: false });
  const pending = await server.api<Run>('POST', `/api/v1/jobs/${failed.job.id}/trigger`);
  const reader = await server.api<{ key: string }>('POST', '/api/v1/keys', { name: unique('reader'), scopes: ['read'] });
  await page.setViewportSize({ width: 390, height: 844 });
  await signIn(page, reader.key);

  await page.goto(`${server.url}/ui/jobs`);
  const row = page.locator(`tr[data-job-id="${failed.job.id}"]`);
  await expect(row.getByRole('list', { name: `Recent runs of ${failed.job.id}` }).getByRole('link')).toHaveCount(2);
  // The header's own "Pause live" is not the page's: look in the page only.
  const main = page.getByRole('main');
  await expect(main.getByRole('button', { name: 'Refresh' })).toBeVisible();
  await expect(main.getByRole('button', { name: /Trigger|Pause|Resume|Delete|Restore|Create/ })).toHaveCount(0);
  await noSeriousViolations(page, 'jobs (read key, phone)');
  const fits = () => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
  expect(await fits()).toBe(true);

  await page.goto(`${server.url}/ui/jobs/${failed.job.id}`);
  await expect(page.getByRole('table', { name: 'Runs of this job' }).locator('tbody tr')).toHaveCount(2);
  await expect(main.getByRole('button')).toHaveCount(0);
  expect(await fits()).toBe(true);

  await page.goto(`${server.url}/ui/runs?queue=${failed.queue}`);
  await expect(page.locator(`tr[data-run-id="${failed.run.id}"]`).getByTestId('run-status')).toHaveText('failed');
  await expect(page.locator(`tr[data-run-id="${pending.id}"]`).getByTestId('run-state')).toHaveText('pending');
  await expect(main.getByRole('button')).toHaveCount(0);
  await noSeriousViolations(page, 'runs (read key, phone)');
  expect(await fits()).toBe(true);

  await page.goto(`${server.url}/ui/runs/${failed.run.id}`);
  await expect(page.getByTestId('run-status')).toHaveText('failed');
  await expect(main.getByRole('button')).toHaveCount(0);
  expect(await fits()).toBe(true);
  // The server refuses it regardless: the page only leaves out what would be refused.
  const status = await page.evaluate(async (id) => (await fetch(`/api/v1/runs/${encodeURIComponent(id)}/retry`, { method: 'POST' })).status, failed.run.id);
  expect(status).toBe(403);
});

test('a write key triggers and retries but deleting, which needs admin, is not offered', async ({ page }) => {
  const failed = await jobWithClaimedRun();
  await server.api('POST', `/api/v1/runs/${failed.run.id}/fail`, { leaseToken: failed.leaseToken, error: 'boom', retryable: false });
  const writer = await server.api<{ key: string }>('POST', '/api/v1/keys', { name: unique('writer'), scopes: ['write'] });
  await signIn(page, writer.key);
  await page.goto(`${server.url}/ui/jobs/${failed.job.id}`);
  await expect(page.getByRole('button', { name: `Trigger now: ${failed.job.id}` })).toBeVisible();
  await expect(page.getByRole('button', { name: `Pause ${failed.job.id}` })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Save' })).toBeVisible();
  await expect(page.getByRole('button', { name: /^Delete/ })).toHaveCount(0);
  const row = page.getByRole('table', { name: 'Runs of this job' }).locator(`tr[data-run-id="${failed.run.id}"]`);
  await row.getByRole('button', { name: 'Retry' }).click();
  await expect(row.getByRole('status')).toContainText('Retried as');
  await expect(page.getByRole('table', { name: 'Runs of this job' }).locator('tbody tr')).toHaveCount(2);
});

test('jobs come 50 to a page (each holds a live subscription), with next and previous pages', async ({ page }) => {
  const prefix = unique('bulk');
  for (let i = 0; i < 51; i++) await server.api('POST', '/api/v1/jobs', { id: `${prefix}-${String(i).padStart(2, '0')}`, type: 'noop', queue: prefix });
  await signIn(page, adminKey);
  await page.goto(`${server.url}/ui/jobs`);
  const rows = page.getByRole('table', { name: 'Jobs' }).locator('tbody tr');
  await expect(rows).toHaveCount(50);
  // The 50 newest are all of this test, and every one's recent-runs subscription answered.
  await expect(rows.filter({ hasText: 'none yet' })).toHaveCount(50);
  await expect(page.getByRole('button', { name: 'Previous page' })).toBeDisabled();
  const ids = () => rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-job-id')!));
  const first = await ids();
  await page.getByRole('button', { name: 'Next page' }).click();
  await expect(page.getByRole('button', { name: 'Previous page' })).toBeEnabled();
  await expect(rows.first()).not.toHaveAttribute('data-job-id', first[0]!);
  const second = await ids();
  expect(second.filter((id) => first.includes(id))).toEqual([]);
  expect([...first, ...second].filter((id) => id.startsWith(prefix)).sort()).toEqual(Array.from({ length: 51 }, (_, i) => `${prefix}-${String(i).padStart(2, '0')}`));
  await page.getByRole('button', { name: 'Previous page' }).click();
  await expect(rows.first()).toHaveAttribute('data-job-id', first[0]!);
  await expect(rows).toHaveCount(50);
  await expect(page.getByTestId('connection')).toHaveText('live');
});
