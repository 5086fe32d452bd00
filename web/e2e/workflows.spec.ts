import { expect, test, type Page } from '@playwright/test';
import { noSeriousViolations } from './helpers';
import { adminKey, SpectralServer } from './server';

let server: SpectralServer;

test.beforeAll(async () => {
  server = await SpectralServer.start();
});

test.afterAll(async () => {
  await server?.kill();
});

/**
 * Signs in as a person would. Unlike helpers' signInAs this does not wait for the live connection:
 * the overview it lands on may subscribe to nothing yet, and the client connects only for a
 * subscription; each test waits for the live data it needs instead.
 */
async function signIn(page: Page, key: string): Promise<void> {
  await page.goto(server.url + '/');
  await page.getByLabel('API key').fill(key);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/ui\/overview$/);
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
}
const unique = (prefix: string) => `${prefix}-${Date.now()}-${Math.floor(Math.random() * 1000)}`;
const newKey = async (scopes: string[]) => (await server.api<{ key: string }>('POST', '/api/v1/keys', { name: unique(scopes[0]!), scopes })).key;

/** The page fits a phone: nothing in the main area is wider than the window (wide tables scroll inside their box). */
async function fitsPhone(page: Page, name: string): Promise<void> {
  await page.setViewportSize({ width: 390, height: 844 });
  const overflow = await page.evaluate(() => document.querySelector('main')!.scrollWidth - window.innerWidth);
  expect(overflow, `${name} at 390 px`).toBeLessThanOrEqual(0);
  await page.setViewportSize({ width: 1280, height: 800 });
}

/** build 0.6 (compile 0.5, test 0.5), ship 0.4 */
const phases = [
  { key: 'build', label: 'Build', weight: 0.6 },
  { key: 'compile', label: 'Compile', weight: 0.5, parentPhaseKey: 'build' },
  { key: 'test', label: 'Test', weight: 0.5, parentPhaseKey: 'build' },
  { key: 'ship', label: 'Ship', weight: 0.4 },
];

test('a workflow created through the API shows its phase tree, which moves live as phases report progress', async ({ page }, info) => {
  const id = unique('release');
  await server.api('POST', '/api/v1/workflows', { id, phases, metadata: { version: '2.4.0' } });
  await server.api('POST', '/api/v1/tasks', { id: `${id}-compile`, title: 'Compile sources', workflowId: id, sequence: 0 });
  await signIn(page, adminKey);

  await page.getByRole('link', { name: 'Workflows', exact: true }).click();
  const row = page.locator(`tr[data-workflow-id="${id}"]`);
  await expect(row).toBeVisible();
  await expect(row.getByRole('progressbar')).toHaveAttribute('aria-valuenow', '0');
  // The list is live too: a phase update moves its row without reload.
  await server.api('POST', `/api/v1/workflows/${id}/phases/ship/progress`, { progress: 50 });
  await expect(row.getByRole('progressbar')).toHaveAttribute('aria-valuenow', '20');
  await expect(row).toContainText('in-progress');
  await page.screenshot({ path: info.outputPath('workflows.png'), fullPage: true, animations: 'disabled' });
  await noSeriousViolations(page, 'workflows');
  await fitsPhone(page, 'workflows');

  // The status filter lives in the URL.
  await page.getByRole('combobox', { name: /^Status/ }).selectOption('success');
  await expect(page).toHaveURL(/\/ui\/workflows\?status=success$/);
  await expect(row).toHaveCount(0);
  await page.getByRole('combobox', { name: /^Status/ }).selectOption('');
  await row.getByRole('link', { name: id }).click();
  await expect(page).toHaveURL(new RegExp(`/ui/workflows/${id}$`));

  const bar = (label: string) => page.getByRole('progressbar', { name: label, exact: true });
  await expect(page.getByRole('list', { name: 'Sub-phases of Build' })).toBeVisible();
  await expect(bar('Phase Compile')).toHaveAttribute('aria-valuenow', '0');
  await expect(bar('Phase Ship')).toHaveAttribute('aria-valuenow', '50');
  await expect(bar('Workflow progress')).toHaveAttribute('aria-valuenow', '20');
  await expect(page.locator('[data-phase-key="test"]')).toContainText('weight 50 % of Build = 30 % of the workflow');

  // Compile at 60 %: Build rolls up to 30 %, the workflow to 0.6 × 30 + 0.4 × 50 = 38.
  await server.api('POST', `/api/v1/workflows/${id}/phases/compile/progress`, { progress: 60 });
  await expect(bar('Phase Compile')).toHaveAttribute('aria-valuenow', '60');
  await expect(bar('Phase Build')).toHaveAttribute('aria-valuenow', '30');
  await expect(page.getByTestId('phase-progress-build')).toHaveText('30 %');
  await expect(bar('Workflow progress')).toHaveAttribute('aria-valuenow', '38');
  await expect(page.getByTestId('workflow-progress')).toHaveText('38 %');
  await server.api('POST', `/api/v1/workflows/${id}/phases/test/complete`);
  await expect(bar('Phase Build')).toHaveAttribute('aria-valuenow', '80');
  await expect(bar('Workflow progress')).toHaveAttribute('aria-valuenow', '68');
  await expect(page.getByRole('list', { name: 'Workflow events' })).toContainText('phase-progress');
  await expect(page.getByRole('table', { name: 'Tasks of the workflow' }).getByRole('link', { name: 'Compile sources' })).toHaveAttribute(
    'href',
    `/ui/tasks/${id}-compile`,
  );
  await page.screenshot({ path: info.outputPath('workflow-detail.png'), fullPage: true, animations: 'disabled' });
  await noSeriousViolations(page, 'workflow detail');
  await fitsPhone(page, 'workflow detail');

  await page.getByRole('button', { name: 'Complete' }).click();
  await expect(page.getByTestId('workflow-status')).toHaveText('success');
  await expect(page.getByRole('button', { name: 'Cancel' })).toHaveCount(0);

  // Delete asks first; "Keep" leaves it, "Delete workflow" deletes it and goes back to the list.
  await page.getByRole('button', { name: 'Delete', exact: true }).click();
  await page.getByRole('button', { name: 'Keep' }).click();
  await expect(page.getByTestId('workflow-status')).toHaveText('success');
  await page.getByRole('button', { name: 'Delete', exact: true }).click();
  await page.getByRole('button', { name: 'Delete workflow' }).click();
  await expect(page).toHaveURL(/\/ui\/workflows$/);
  await expect(page.locator(`tr[data-workflow-id="${id}"]`)).toHaveCount(0);
  const status = (await fetch(`${server.url}/api/v1/workflows/${id}`, { headers: { 'X-API-Key': adminKey } })).status;
  expect(status).toBe(404);
});

test('a workflow ended elsewhere updates the open page, and a missing one reads as a message', async ({ page }) => {
  const id = unique('elsewhere');
  await server.api('POST', '/api/v1/workflows', { id, phases: [{ key: 'only', label: 'Only', weight: 1 }] });
  await signIn(page, adminKey);
  await page.goto(`${server.url}/ui/workflows/${id}`);
  await expect(page.getByTestId('workflow-status')).toHaveText('pending');
  await expect(page.getByRole('button', { name: 'Cancel' })).toBeVisible();
  await server.api('POST', `/api/v1/workflows/${id}/cancel`, {});
  await expect(page.getByTestId('workflow-status')).toHaveText('canceled');
  await expect(page.getByRole('button', { name: 'Cancel' })).toHaveCount(0);
  await page.goto(`${server.url}/ui/workflows/${id}-missing`);
  await expect(page.getByRole('alert')).toContainText(`No workflow '${id}-missing'`);
});

test('a counter changed through the API moves on the Counters page live, and the page changes it too', async ({ page }, info) => {
  const name = unique('visits');
  await server.api('POST', '/api/v1/counters', { name, value: 5 });
  await signIn(page, adminKey);
  await page.getByRole('link', { name: 'Counters', exact: true }).click();
  const card = page.locator(`[data-counter="${name}"]`);
  const value = page.getByTestId(`counter-value-${name}`);
  await expect(value).toHaveText('5');
  await server.api('POST', `/api/v1/counters/${name}/increment`, { amount: 3 });
  await expect(value).toHaveText('8');
  await expect(card.getByRole('img')).toHaveAttribute('aria-label', /5, 8$/);

  await card.getByLabel(`Amount or value for ${name}`).fill('2');
  await card.getByRole('button', { name: 'Increment', exact: true }).click();
  await expect(value).toHaveText('10');
  await card.getByRole('button', { name: 'Decrement', exact: true }).click();
  await expect(value).toHaveText('8');
  await card.getByLabel(`Amount or value for ${name}`).fill('42');
  await card.getByRole('button', { name: 'Set', exact: true }).click();
  await expect(value).toHaveText('42');
  await card.getByRole('button', { name: 'Reset', exact: true }).click();
  await card.getByRole('button', { name: 'Reset to 0' }).click();
  await expect(value).toHaveText('0');
  // The sparkline keeps every value it saw: the history read on open, then each live change.
  await expect(card.getByRole('img')).toHaveAttribute('aria-label', /: 5, 8, 10, 8, 42, 0$/);
  const stored = await server.api<{ value: number }>('GET', `/api/v1/counters/${name}`);
  expect(stored.value).toBe(0);

  // A refused name comes back as a readable message.
  await page.getByLabel('New counter').fill(name);
  await page.getByRole('button', { name: 'Create', exact: true }).click();
  await expect(page.getByRole('form', { name: 'Create a counter' }).getByRole('alert')).not.toBeEmpty();

  await page.screenshot({ path: info.outputPath('counters.png'), fullPage: true, animations: 'disabled' });
  await noSeriousViolations(page, 'counters');
  await fitsPhone(page, 'counters');
});

test('sessions: the admin sees the connections per node, read by REST on Refresh', async ({ page }, info) => {
  await signIn(page, adminKey);
  await page.getByRole('link', { name: 'Sessions', exact: true }).click();
  await expect(page.getByText('Not live: this list is read when the page opens')).toBeVisible();
  const rows = page.locator('tr[data-session-id]');
  const ids = () => rows.evaluateAll((rs) => rs.map((r) => (r as HTMLElement).dataset.sessionId!));
  await expect(page.getByRole('button', { name: 'Refresh' })).toBeEnabled();
  const before = new Set(await ids());
  // A second signed-in tab on a live page opens a live connection; Refresh reads it.
  const other = await page.context().newPage();
  await other.goto(`${server.url}/ui/workflows`);
  await expect(other.getByTestId('connection')).toHaveText('live');
  await page.getByRole('button', { name: 'Refresh' }).click();
  await expect.poll(async () => (await ids()).filter((id) => !before.has(id)).length, { timeout: 15_000 }).toBe(1);
  // What the connection watches is written about a second after it subscribes: Refresh until it shows.
  const added = rows.filter({ hasText: 'live: workflows' }).first();
  await expect(async () => {
    await page.getByRole('button', { name: 'Refresh' }).click();
    await expect(added).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 15_000 });
  await expect(added).toContainText('admin');
  await expect(added).toContainText('websocket');
  await other.close();
  await page.screenshot({ path: info.outputPath('sessions.png'), fullPage: true, animations: 'disabled' });
  await noSeriousViolations(page, 'sessions');
  await fitsPhone(page, 'sessions');
});

test('keys: an admin creates a key (its secret shown once), revokes it, and a call with it gets 401', async ({ page }, info) => {
  await signIn(page, adminKey);
  await page.getByRole('link', { name: 'Keys', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Keys and tokens' })).toBeVisible();

  const name = unique('deploy-bot');
  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByRole('combobox', { name: /^Scope/ }).selectOption('write');
  await page.getByRole('button', { name: 'Create key' }).click();
  const secretField = page.getByLabel(`Secret of key ${name}`, { exact: true });
  await expect(secretField).toHaveValue(/^sn_/);
  await expect(page.getByText('this is shown only once')).toBeVisible();
  const secret = await secretField.inputValue();
  const row = page.locator(`tr[data-key-name="${name}"]`);
  await expect(row).toContainText('write');
  const call = async () => (await fetch(`${server.url}/api/v1/tasks?limit=1`, { headers: { 'X-API-Key': secret } })).status;
  expect(await call()).toBe(200);

  await page.getByRole('button', { name: 'Done' }).click();
  await expect(page.getByTestId('secret')).toHaveCount(0);
  await page.reload();
  await expect(row).toBeVisible();
  expect(await page.content()).not.toContain(secret);

  await row.getByRole('button', { name: 'Revoke', exact: true }).click();
  await row.getByRole('button', { name: 'Revoke key' }).click();
  await expect(row.getByTestId('key-state')).toContainText('revoked');
  expect(await call()).toBe(401);

  // A browser token, shown once; a refused scope reads as a message.
  await page.getByLabel('Token scopes', { exact: true }).fill('read:nothing:x');
  await page.getByRole('button', { name: 'Mint token' }).click();
  await expect(page.getByRole('alert')).not.toBeEmpty();
  await page.getByLabel('Token scopes', { exact: true }).fill('read:tasks:* read:counters:visits');
  await page.getByRole('button', { name: 'Mint token' }).click();
  const token = await page.getByLabel('Token', { exact: true }).inputValue();
  expect(token.split('.')).toHaveLength(3);
  const withToken = await fetch(`${server.url}/api/v1/tasks?limit=1`, { headers: { Authorization: `Bearer ${token}` } });
  expect(withToken.status).toBe(200);

  await page.getByRole('button', { name: 'Rotate signing key' }).click();
  await page.getByRole('button', { name: 'Rotate', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Now signing with key' })).toBeVisible();
  // Tokens signed before the rotation stay valid.
  expect((await fetch(`${server.url}/api/v1/tasks?limit=1`, { headers: { Authorization: `Bearer ${token}` } })).status).toBe(200);

  await page.screenshot({ path: info.outputPath('keys.png'), fullPage: true, animations: 'disabled' });
  await noSeriousViolations(page, 'keys');
  await fitsPhone(page, 'keys');
});

test('a write key sees no Keys link, /ui/keys is not offered to it, and it may act on workflows but not delete them', async ({ page }) => {
  const id = unique('writer-flow');
  await server.api('POST', '/api/v1/workflows', { id, phases: [{ key: 'only', label: 'Only', weight: 1 }] });
  await signIn(page, await newKey(['write']));
  await expect(page.getByRole('link', { name: 'Workflows', exact: true })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Keys', exact: true })).toHaveCount(0);
  await page.goto(`${server.url}/ui/keys`);
  await expect(page).toHaveURL(/\/ui\/overview$/);
  await expect(page.getByRole('heading', { name: 'Keys and tokens' })).toHaveCount(0);

  await page.goto(`${server.url}/ui/workflows/${id}`);
  await expect(page.getByTestId('workflow-status')).toHaveText('pending');
  await expect(page.getByRole('button', { name: 'Delete' })).toHaveCount(0);
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByTestId('workflow-status')).toHaveText('canceled');

  await page.goto(`${server.url}/ui/sessions`);
  await expect(page.getByText('only admin keys can see them')).toBeVisible();
});

test('a read key sees no counter or workflow control that changes anything', async ({ page }) => {
  const id = unique('read-flow');
  const name = unique('read-counter');
  await server.api('POST', '/api/v1/workflows', { id, phases: [{ key: 'only', label: 'Only', weight: 1 }] });
  await server.api('POST', '/api/v1/counters', { name, value: 1 });
  await signIn(page, await newKey(['read']));

  await page.goto(`${server.url}/ui/workflows/${id}`);
  await expect(page.getByTestId('workflow-status')).toHaveText('pending');
  await expect(page.getByRole('progressbar', { name: 'Phase Only' })).toBeVisible();
  await expect(page.getByRole('main').getByRole('button')).toHaveCount(0);

  await page.goto(`${server.url}/ui/counters`);
  await expect(page.getByTestId(`counter-value-${name}`)).toHaveText('1');
  await server.api('POST', `/api/v1/counters/${name}/increment`, {});
  await expect(page.getByTestId(`counter-value-${name}`)).toHaveText('2');
  // Only "Reload list" (a read) is offered; no input changes a counter.
  await expect(page.getByRole('main').getByRole('button')).toHaveText(['Reload list']);
  await expect(page.getByRole('main').getByRole('textbox')).toHaveCount(0);
  await expect(page.getByRole('main').getByRole('spinbutton')).toHaveCount(0);
  await noSeriousViolations(page, 'counters (read key)');
});
