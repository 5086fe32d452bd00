import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';
import { noSeriousViolations, signInAs } from './helpers';
import { adminKey, SpectralServer } from './server';

let server: SpectralServer;
const stamp = Date.now();
const ids = { task: `encode-${stamp}`, workflow: `release-${stamp}`, job: `nightly-import-${stamp}`, counter: `emails-sent-${stamp}`, run: '' };

// With DOCS_SCREENSHOTS=1 the 1280 px screenshots are also written where docs/dashboard.md shows them.
const docsDir = fileURLToPath(new URL('../../docs/images/dashboard/', import.meta.url));
const forDocs = process.env.DOCS_SCREENSHOTS === '1';

test.beforeAll(async () => {
  server = await SpectralServer.start();
  // A little of everything, so no page is shown empty.
  await server.api('POST', '/api/v1/tasks', { id: ids.task, title: 'Encode lecture-07.mp4', type: 'video', status: 'in-progress', metadata: { course: 'physics-101' } });
  for (const [p, m] of [[12, 'probing'], [37, 'pass 1'], [64, 'pass 2']] as const) {
    await server.api('POST', `/api/v1/tasks/${ids.task}/progress`, { progress: p, message: m });
  }
  await server.api('POST', '/api/v1/tasks', { id: `transcribe-${stamp}`, title: 'Transcribe lecture-06', type: 'audio' });
  await server.api('POST', '/api/v1/tasks', { id: `thumbs-${stamp}`, title: 'Thumbnails lecture-05', type: 'video', status: 'in-progress' });
  await server.api('POST', `/api/v1/tasks/thumbs-${stamp}/complete`, {});
  await server.api('POST', '/api/v1/workflows', {
    id: ids.workflow,
    phases: [
      { key: 'build', label: 'Build', weight: 0.6 },
      { key: 'compile', label: 'Compile', weight: 0.5, parentPhaseKey: 'build' },
      { key: 'test', label: 'Test', weight: 0.5, parentPhaseKey: 'build' },
      { key: 'ship', label: 'Ship', weight: 0.4 },
    ],
    metadata: { version: '2.4.0' },
  });
  await server.api('POST', `/api/v1/workflows/${ids.workflow}/phases/compile/complete`);
  await server.api('POST', `/api/v1/workflows/${ids.workflow}/phases/test/progress`, { progress: 40 });
  await server.api('POST', '/api/v1/jobs', { id: ids.job, type: 'import', queue: 'imports', schedule: { cron: '0 3 * * *', timezone: 'Europe/Paris' } });
  ids.run = (await server.api<{ id: string }>('POST', `/api/v1/jobs/${ids.job}/trigger`, {})).id;
  await server.api('POST', '/api/v1/counters', { name: ids.counter, value: 41 });
  await server.api('POST', `/api/v1/counters/${ids.counter}/increment`, { amount: 1 });
  if (forDocs) mkdirSync(docsDir, { recursive: true });
});

test.afterAll(async () => {
  await server?.kill();
});

const pages = () => [
  { name: 'overview', path: '/ui/overview' },
  { name: 'tasks', path: '/ui/tasks' },
  { name: 'task-detail', path: `/ui/tasks/${ids.task}` },
  { name: 'workflows', path: '/ui/workflows' },
  { name: 'workflow-detail', path: `/ui/workflows/${ids.workflow}` },
  { name: 'jobs', path: '/ui/jobs' },
  { name: 'job-detail', path: `/ui/jobs/${ids.job}` },
  { name: 'runs', path: '/ui/runs' },
  { name: 'run-detail', path: `/ui/runs/${encodeURIComponent(ids.run)}` },
  { name: 'counters', path: '/ui/counters' },
  { name: 'sessions', path: '/ui/sessions' },
  { name: 'keys', path: '/ui/keys' },
];

test('every page: opened directly by its own URL, axe finds nothing serious at 1280 px and at phone width, no sideways scroll on a phone; screenshots', async ({ page }, info) => {
  test.setTimeout(240_000);
  await signInAs(page, server, adminKey);
  for (const { name, path } of pages()) {
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(server.url + path);
    await expect(page.locator('main h1')).toBeVisible();
    await expect(page.getByText('Loading…')).toHaveCount(0);
    await expect(page.locator('main')).not.toContainText(/No (task|workflow|job|run) '/);
    await expect(page).toHaveURL(server.url + path);
    if (name === 'sessions') {
      // Something to show: another tab watching a task; its session names it about a second later.
      const other = await page.context().newPage();
      await other.goto(`${server.url}/ui/tasks/${ids.task}`);
      await expect(async () => {
        await page.getByRole('button', { name: 'Refresh' }).click();
        await expect(page.getByText(`task:${ids.task}`).first()).toBeVisible({ timeout: 1_000 });
      }).toPass({ timeout: 15_000 });
    }
    await noSeriousViolations(page, name);
    await page.screenshot({ path: info.outputPath(`${name}.png`), fullPage: true, animations: 'disabled' });
    if (forDocs) await page.screenshot({ path: `${docsDir}${name}.png`, animations: 'disabled' });

    await page.setViewportSize({ width: 390, height: 844 });
    await expect(page.locator('main h1')).toBeVisible();
    const overflow = await page.evaluate(() => {
      const width = document.documentElement.clientWidth;
      // Name the widest element past the edge, so a failure says what to fix.
      const culprit = [...document.querySelectorAll('body *')]
        .filter((e) => e.getBoundingClientRect().right > width + 1 && !e.parentElement?.closest('.table-scroll, .timeline-scroll'))
        .map((e) => `${e.tagName.toLowerCase()}.${e.className} (${Math.round(e.getBoundingClientRect().right)} px)`)[0];
      return { by: document.documentElement.scrollWidth - width, culprit };
    });
    expect(overflow.by, `${name}: no sideways scrolling at phone width (${overflow.culprit})`).toBeLessThanOrEqual(0);
    await noSeriousViolations(page, `${name} (phone)`);
    await page.screenshot({ path: info.outputPath(`${name}-phone.png`), fullPage: true, animations: 'disabled' });
  }
});
