import { writeFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { signInAs } from '../e2e/helpers';
import { adminKey, SpectralServer } from '../e2e/server';

const total = Number(process.env.TASKS ?? 100_000);
const rounds = Number(process.env.ROUNDS ?? 3);

/** Creates `total` tasks through the batch API, 250 per call, 4 calls at a time. */
async function seed(server: SpectralServer) {
  const calls = Math.ceil(total / 250);
  let next = 0;
  const worker = async () => {
    for (let c = next++; c < calls; c = next++) {
      const operations = Array.from({ length: Math.min(250, total - c * 250) }, (_, i) => {
        const n = c * 250 + i;
        return { op: 'create', id: `bulk-${n}`, title: `Bulk task ${n}`, type: n % 3 === 0 ? 'video' : 'audio', metadata: { shard: String(n % 10) } };
      });
      await server.api('POST', '/api/v1/tasks/batch', { operations });
    }
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

test(`dashboard with ${total} tasks: first paint, first rows, next page`, async ({ page }, info) => {
  const server = await SpectralServer.start();
  try {
    const seeded = Date.now();
    await seed(server);
    const seedMs = Date.now() - seeded;
    await signInAs(page, server, adminKey);
    const fcp: number[] = [];
    const rows: number[] = [];
    const nextPage: number[] = [];
    const searches: Record<string, number[]> = { 'title contains': [], 'metadata k=v': [] };
    for (let r = 0; r < rounds; r++) {
      const started = Date.now();
      await page.goto(`${server.url}/ui/tasks`);
      await expect(page.locator('tr[data-task-id]').first()).toBeVisible();
      rows.push(Date.now() - started);
      fcp.push(await page.evaluate(() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN));
      const next = page.getByRole('button', { name: /next/i }).or(page.getByRole('link', { name: /next/i })).first();
      if (await next.count()) {
        const first = await page.locator('tr[data-task-id]').first().getAttribute('data-task-id');
        const t = Date.now();
        await next.click();
        await expect(page.locator('tr[data-task-id]').first()).not.toHaveAttribute('data-task-id', first!);
        nextPage.push(Date.now() - t);
      }
    }
    // Server-side search over all of them: a title substring (a scan) and a metadata pair.
    for (let r = 0; r < rounds; r++) {
      for (const [name, query] of [['title contains', 'q=task%2099999'], ['metadata k=v', 'meta=shard%3D%227%22&type=video']] as const) {
        const started = Date.now();
        await page.goto(`${server.url}/ui/tasks?${query}`);
        await expect(page.locator('tr[data-task-id]').first()).toBeVisible();
        searches[name]!.push(Date.now() - started);
      }
    }
    const summary = {
      tasks: total,
      seedSeconds: seedMs / 1000,
      firstContentfulPaintMs: fcp.map(Math.round),
      firstRowsMs: rows,
      nextPageMs: nextPage,
      searchMs: searches,
      medians: { fcp: Math.round(median(fcp)), firstRows: median(rows), nextPage: nextPage.length ? median(nextPage) : null, ...Object.fromEntries(Object.entries(searches).map(([k, v]) => [k, median(v)])) },
    };
    console.log(JSON.stringify(summary, null, 2));
    writeFileSync(info.outputPath('scale.json'), JSON.stringify(summary, null, 2));
  } catch (err) {
    console.log(server.log.slice(-5000));
    throw err;
  } finally {
    await server.kill();
  }
});
