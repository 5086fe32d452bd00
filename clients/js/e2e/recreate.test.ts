import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChangeMessage, Task, TaskEvent, TaskSubscription } from '@spectralnotify/client';
import { engines } from './support/engines.js';
import { useServer } from './support/harness.js';
import { CuttableProxy } from './support/proxy.js';
import { eventually } from './support/wait.js';

/** Everything one watch reports, in order. */
function record(sub: TaskSubscription) {
  const log = {
    resumes: [] as boolean[],
    resets: [] as { epoch: string | null; seq: number; entity: Task | null }[],
    changes: [] as ChangeMessage<Task, TaskEvent>[],
    ends: [] as string[],
  };
  sub.on('subscribed', (info) => info.wasRecovering && log.resumes.push(info.recovered));
  sub.on('reset', (reset) => log.resets.push(reset));
  sub.on('change', (change) => log.changes.push(change));
  sub.on('end', (end) => log.ends.push(end.reason));
  return log;
}

describe.each(engines)('a deleted and re-created task ($name)', (engine) => {
  const env = useServer(engine);
  let proxy: CuttableProxy;
  const newId = () => `again-${randomBytes(4).toString('hex')}`;

  beforeAll(async () => {
    if (!engine.skip) proxy = await CuttableProxy.start(env.server.port);
  });
  afterAll(async () => {
    await proxy?.close();
  });

  /** A watch through the proxy of a task with seqs 1..4, caught up; the proxy then cut. */
  async function watchedThenOffline(id: string, follow = false) {
    await env.admin.tasks.create({ id, title: 'first' });
    for (const p of [10, 20, 30]) await env.admin.tasks.progress(id, p);
    const watcher = env.client({ url: proxy.url });
    const sub = watcher.tasks.watch(id, { follow });
    const log = record(sub);
    await eventually(() => sub.state === 'subscribed', 'subscribed');
    await env.admin.tasks.progress(id, 40);
    await eventually(() => sub.seq === 5, 'seq 5 delivered');
    return { watcher, sub, log, firstEpoch: sub.epoch };
  }

  async function offline(watcher: { connection: { state: string } }) {
    proxy.cut();
    await eventually(() => watcher.connection.state === 'reconnecting', 'the client noticed the cut');
  }

  it.skipIf(engine.skip)('re-created while the client was offline: reset to the new incarnation, then its seqs', async () => {
    const id = newId();
    const { watcher, sub, log, firstEpoch } = await watchedThenOffline(id);
    await offline(watcher);
    await env.admin.tasks.delete(id);
    await env.admin.tasks.create({ id, title: 'second' });
    await env.admin.tasks.progress(id, 5);
    proxy.restore();

    await eventually(() => log.resets.length === 1, 'reset');
    const [reset] = log.resets;
    expect(log.resumes).toEqual([false]);
    expect(reset!.epoch).not.toBe(firstEpoch);
    expect(reset!.seq).toBe(2);
    expect(reset!.entity).toMatchObject({ id, title: 'second', progress: 5, lastSeq: 2 });
    await env.admin.tasks.progress(id, 6);
    await env.admin.tasks.addEvent(id, { type: 'log', message: 'third seq' });
    await eventually(() => sub.seq === 4, 'seqs 3 and 4 of the new incarnation');
    expect(log.changes.map((c) => `${c.epoch === firstEpoch ? 'old' : 'new'}:${c.seq}`)).toEqual(['old:5', 'new:3', 'new:4']);
    expect(sub.epoch).toBe(reset!.epoch);
    expect(sub.entity).toMatchObject({ title: 'second', progress: 6, lastSeq: 4 });
  });

  it.skipIf(engine.skip)('deleted while offline, created after: reset to nothing, then seqs from 1', async () => {
    const id = newId();
    const { watcher, sub, log, firstEpoch } = await watchedThenOffline(id);
    await offline(watcher);
    await env.admin.tasks.delete(id);
    proxy.restore();

    await eventually(() => log.resets.length === 1, 'reset');
    expect(log.resumes).toEqual([false]);
    expect(log.resets[0]).toMatchObject({ epoch: null, seq: 0, entity: null });
    expect(sub.state).toBe('subscribed');
    await env.admin.tasks.create({ id, title: 'reborn' });
    await env.admin.tasks.progress(id, 50);
    await eventually(() => sub.seq === 2, 'seqs 1 and 2 of the new incarnation');
    const fresh = log.changes.filter((c) => c.epoch !== firstEpoch);
    expect(fresh.map((c) => c.seq)).toEqual([1, 2]);
    expect(new Set(fresh.map((c) => c.epoch)).size).toBe(1);
    expect(sub.entity).toMatchObject({ id, title: 'reborn', progress: 50 });
  });

  it.skipIf(engine.skip)('with follow, online: end "deleted", then the new incarnation from seq 1', async () => {
    const id = newId();
    const { sub, log, firstEpoch } = await watchedThenOffline(id, true);
    proxy.restore(); // this one stays online
    await env.admin.tasks.delete(id);
    await eventually(() => log.ends.length === 1, 'end');
    expect(log.ends).toEqual(['deleted']);
    await env.admin.tasks.create({ id, title: 'followed' });
    await env.admin.tasks.progress(id, 1);
    await eventually(() => sub.seq === 2 && sub.epoch !== firstEpoch, 'seqs 1 and 2 of the new incarnation');
    expect(log.changes.map((c) => `${c.epoch === firstEpoch ? 'old' : 'new'}:${c.seq}`)).toEqual(['old:5', 'new:1', 'new:2']);
    expect(log.resets).toEqual([]);
    expect(sub.state).toBe('subscribed');
  });
});
