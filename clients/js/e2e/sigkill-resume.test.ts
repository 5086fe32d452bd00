import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Task, TaskSubscription } from '@spectralnotify/client';
import { engines } from './support/engines.js';
import { useServer } from './support/harness.js';
import { eventually, range } from './support/wait.js';
import { Writer } from './support/writer.js';

const taskCount = 50;

describe.each(engines)('server killed with SIGKILL mid-stream ($name)', (engine) => {
  const env = useServer(engine);

  it.skipIf(engine.skip)('every watch resumes with each seq exactly once; the live list equals REST', async () => {
    const type = `kill-${randomBytes(4).toString('hex')}`;
    const ids = range(1, taskCount).map((i) => `${type}-${i}`);
    await env.admin.tasks.batch(ids.map((id) => ({ op: 'create', id, type, title: id })));

    // One client: 50 watches and a list, all on its one socket.
    const watcher = env.client();
    const watches = new Map<string, { sub: TaskSubscription; start: number | undefined; seqs: number[]; resumes: boolean[] }>();
    let resets = 0;
    for (const id of ids) {
      const sub = watcher.tasks.watch(id);
      const watch = { sub, start: undefined as number | undefined, seqs: [] as number[], resumes: [] as boolean[] };
      sub.on('subscribed', (info) => {
        if (info.wasRecovering) watch.resumes.push(info.recovered);
        else watch.start = sub.seq;
      });
      sub.on('change', (change) => watch.seqs.push(change.seq));
      sub.on('reset', () => resets++);
      watches.set(id, watch);
    }
    const list = watcher.tasks.list({ type }, { limit: 100 });
    // A list holding fewer rows than match: rows leave it as others are updated ('limit').
    const top = watcher.tasks.list({ type }, { limit: 10 });
    const listResumes: string[] = [];
    list.on('up-to-date', () => listResumes.push('up-to-date'));
    list.on('reset', () => listResumes.push('reset'));
    let connectionDrops = 0;
    watcher.connection.on('state', ({ state }) => {
      if (state === 'reconnecting') connectionDrops++;
    });
    const all = [...watches.values()];
    const received = () => all.reduce((sum, w) => sum + w.seqs.length, 0);
    await eventually(
      () => all.every((w) => w.sub.state === 'subscribed') && list.rows.length === taskCount && top.rows.length === 10,
      'every watch subscribed and the lists\' snapshots',
    );
    expect(watcher.connection.state).toBe('open');
    expect(list.rows.map((r) => r.id).sort()).toEqual([...ids].sort());

    const writer = new Writer(env.admin, ids);
    let delivered = 0;
    writer.start();
    try {
      await eventually(() => received() >= 150, '150 changes delivered before the kill');
      await env.server.kill();
      delivered = received();
      const atKill = writer.succeeded;
      await env.server.start();
      await eventually(() => writer.succeeded >= atKill + 150, '150 more writes after the restart', { timeoutMs: 60_000 });
    } finally {
      await writer.stop();
    }
    // Half of the tasks finish: their watches end, and the list sees a status change.
    for (const id of ids.filter((_, i) => i % 2 === 0)) {
      await env.admin.tasks.complete(id);
    }

    const truth = new Map<string, Task>();
    for (const id of ids) truth.set(id, await env.admin.tasks.get(id));
    const behind = () =>
      ids.filter((id) => watches.get(id)!.sub.seq !== truth.get(id)!.lastSeq).map((id) => `${id}: watched ${watches.get(id)!.sub.seq}, stored ${truth.get(id)!.lastSeq}`);
    await eventually(() => behind().length === 0, 'every watch at its task\'s stored lastSeq', { describe: () => behind().join('\n') });

    console.info(
      `${engine.name}: killed after ${delivered} changes delivered` +
        `; ${writer.succeeded} writes, ${writer.retried} attempts retried across the outage; list resumed with ${listResumes.join(', ') || 'nothing'}`,
    );
    expect(connectionDrops).toBeGreaterThanOrEqual(1);
    expect(writer.retried).toBeGreaterThanOrEqual(1);
    expect(resets).toBe(0);
    for (const id of ids) {
      const watch = watches.get(id)!;
      expect(watch.start, `${id}: start`).toBeGreaterThanOrEqual(1);
      expect(watch.seqs, `${id}: every seq once, in order`).toEqual(range(watch.start! + 1, truth.get(id)!.lastSeq));
      expect(watch.resumes.length, `${id}: resumed after the restart`).toBeGreaterThanOrEqual(1);
      expect(watch.resumes.every((recovered) => recovered), `${id}: resumed with recovered: true`).toBe(true);
      expect(watch.sub.state, `${id}: state`).toBe(truth.get(id)!.status === 'success' ? 'ended' : 'subscribed');
    }

    // The list, resumed from its cursor, holds exactly what a fresh REST query returns.
    const rowsOf = (tasks: readonly Task[]) =>
      Object.fromEntries(tasks.map((t) => [t.id, { lastSeq: t.lastSeq, status: t.status, progress: t.progress }]));
    let rest = rowsOf((await env.admin.tasks.query({ type, limit: 100 })).data);
    await eventually(
      async () => {
        rest = rowsOf((await env.admin.tasks.query({ type, limit: 100 })).data);
        return JSON.stringify(sortKeys(rowsOf(list.rows))) === JSON.stringify(sortKeys(rest)) && !list.catchingUp;
      },
      'the live list to equal GET /api/v1/tasks',
      { describe: () => `list ${JSON.stringify(sortKeys(rowsOf(list.rows)))}\nrest ${JSON.stringify(sortKeys(rest))}` },
    );
    expect(Object.keys(rest)).toHaveLength(taskCount);
    expect(rowsOf(list.rows)).toEqual(rest);
    const updated = list.rows.map((r) => r.updatedAt);
    expect(updated, 'rows newest updatedAt first').toEqual([...updated].sort().reverse());

    // The 10-row list holds the 10 most recently updated tasks, by the stored updatedAt.
    const newest = async () =>
      (await env.admin.tasks.query({ type, limit: 100 })).data
        .sort((a, b) => (a.updatedAt === b.updatedAt ? (a.id < b.id ? -1 : 1) : a.updatedAt < b.updatedAt ? 1 : -1))
        .slice(0, 10)
        .map((t) => `${t.id}@${t.lastSeq}`);
    let expected = await newest();
    const held = () => top.rows.map((t) => `${t.id}@${t.lastSeq}`);
    await eventually(async () => JSON.stringify(held()) === JSON.stringify((expected = await newest())), 'the 10-row list to hold the 10 newest', {
      describe: () => `list ${held().join(' ')}\nrest ${expected.join(' ')}`,
    });
  });
});

function sortKeys<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : 1)));
}
