import { describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { createClient, type ChangeMessage, type Task, type TaskEvent } from '../src/index.js';
import { fastRetry as fast, liveFixture, testKey as key } from './fixture.js';
import { until } from './mock-server.js';

const task = (progress: number, status = 'in-progress') => ({ id: 't1', status, progress, updatedAt: new Date().toISOString() });
const live = liveFixture();

describe('one shared connection', () => {
  it('carries every subscription on one socket, opened lazily and closed after the last', async () => {
    expect(live.client.connection.state).toBe('idle');
    live.server.create('task:a', task(0));
    live.server.create('counter:c', { name: 'c', value: 0 });
    const a = live.client.tasks.watch('a');
    const c = live.client.counters.watch('c');
    const w = live.client.workflows.watch('w');
    await until(() => [a, c, w].every((s) => s.state === 'subscribed'), 'three subscriptions');
    expect(live.server.connections).toHaveLength(1);
    expect(live.server.upgrades[0]!.headers['x-api-key']).toBe(key);
    expect(live.server.upgrades[0]!.url.search).toBe('');
    expect(live.client.connection.state).toBe('open');

    a.close();
    await until(() => live.server.allReceived.some((m) => m.type === 'unsubscribe' && m.id === a.id), 'unsubscribe');
    c.close();
    w.close();
    await until(() => live.client.connection.state === 'idle', 'idle after the last subscription');
    await until(() => live.server.open.length === 0, 'socket closed');
  });

  it('puts an API key in the query when asked (browsers cannot set headers)', async () => {
    const browserish = createClient({ url: live.server.url, apiKey: key, WebSocket, apiKeyIn: 'query', retry: fast });
    const sub = browserish.tasks.watch('x');
    await until(() => sub.state === 'subscribed', 'subscribed');
    expect(live.server.upgrades[0]!.url.searchParams.get('apiKey')).toBe(key);
    browserish.close();
  });
});

describe('entity topics', () => {
  it('delivers the snapshot, then each change once, to callbacks and to for await', async () => {
    live.server.create('task:t1', task(0));
    const sub = live.client.tasks.watch('t1', { snapshot: true });
    const seen: string[] = [];
    sub.on('snapshot', (s) => seen.push(`snapshot@${s.seq}`));
    sub.on('change', (c) => seen.push(`change@${c.seq}`));
    const iterated: number[] = [];
    const loop = (async () => {
      for await (const message of sub) {
        iterated.push(message.seq);
        if (message.type === 'end') break;
      }
    })();
    await until(() => sub.entity != null, 'snapshot');
    expect(sub.entity).toMatchObject({ id: 't1', progress: 0 });
    live.server.change('task:t1', task(50), { type: 'progress', message: '50%' });
    live.server.change('task:t1', task(100, 'success'), { type: 'success', message: 'done' });
    live.server.end('task:t1', 'success');
    await loop;
    expect(seen).toEqual(['snapshot@1', 'change@2', 'change@3']);
    expect(iterated).toEqual([1, 2, 3, 3]);
    expect(sub.state).toBe('ended');
    expect((sub.entity as Task).status).toBe('success');
  });

  it('resumes after a dropped link with after + epoch and drops duplicates', async () => {
    live.server.create('task:t1', task(0));
    const sub = live.client.tasks.watch('t1');
    const changes: ChangeMessage<Task, TaskEvent>[] = [];
    const subscribed: boolean[] = [];
    sub.on('change', (c) => changes.push(c));
    sub.on('subscribed', (s) => subscribed.push(s.wasRecovering));
    await until(() => sub.state === 'subscribed', 'subscribed');
    live.server.change('task:t1', task(10), { type: 'progress', message: '10' });
    live.server.change('task:t1', task(20), { type: 'progress', message: '20' });
    await until(() => sub.seq === 3, 'seq 3');

    live.server.dropAll();
    // Missed while offline.
    live.server.change('task:t1', task(30), { type: 'progress', message: '30' });
    await until(() => sub.seq === 4 && live.client.connection.state === 'open', 'resumed');
    const resume = live.server.connections[1]!.received.find((m) => m.type === 'subscribe')!;
    expect(resume).toMatchObject({ topic: 'task:t1', after: 3, epoch: live.server.entities.get('task:t1')!.epoch });
    expect(subscribed).toEqual([false, true]);

    // A replay overlapping what the client holds (seq ≤ 4, same epoch) is dropped.
    const conn = live.server.open[0]!;
    const epoch = live.server.entities.get('task:t1')!.epoch;
    for (const seq of [2, 3, 4]) {
      conn.send({ type: 'change', id: sub.id, epoch, seq, event: { seq }, entity: task(seq) });
    }
    live.server.change('task:t1', task(40), { type: 'progress', message: '40' });
    await until(() => sub.seq === 5, 'seq 5');
    expect(changes.map((c) => c.seq)).toEqual([2, 3, 4, 5]);
  });

  it('opened from a kept position with a snapshot: the entity now, then every change it missed', async () => {
    live.server.create('task:t1', task(0));
    for (const p of [10, 20, 30]) live.server.change('task:t1', task(p), { type: 'progress', message: String(p) });
    const epoch = live.server.entities.get('task:t1')!.epoch!;
    const sub = live.client.tasks.watch('t1', { after: 2, epoch, snapshot: true });
    const seen: string[] = [];
    sub.on('snapshot', (s) => seen.push(`snapshot@${s.seq}`));
    sub.on('change', (c) => seen.push(`change@${c.seq}`));
    await until(() => seen.length === 3, 'snapshot and the replay');
    // The snapshot is at seq 4, but the replay after 2 follows it: nothing the app asked for is dropped.
    expect(seen).toEqual(['snapshot@4', 'change@3', 'change@4']);
    expect(sub.seq).toBe(4);
    live.server.change('task:t1', task(40), { type: 'progress', message: '40' });
    await until(() => sub.seq === 5, 'seq 5');
    expect(seen).toEqual(['snapshot@4', 'change@3', 'change@4', 'change@5']);
  });

  it('turns a resume into another epoch into a reset with the snapshot', async () => {
    live.server.create('task:t1', task(0));
    const sub = live.client.tasks.watch('t1');
    const resets: unknown[] = [];
    const changes: number[] = [];
    sub.on('reset', (r) => resets.push(r));
    sub.on('change', (c) => changes.push(c.seq));
    await until(() => sub.state === 'subscribed', 'subscribed');
    live.server.change('task:t1', task(10), { type: 'progress' });
    live.server.change('task:t1', task(20), { type: 'progress' });
    await until(() => sub.seq === 3, 'seq 3');
    const oldEpoch = sub.epoch;

    live.server.dropAll();
    live.server.recreateQuietly('task:t1', { ...task(0), id: 't1', status: 'pending' });
    await until(() => resets.length === 1, 'reset');
    expect(resets[0]).toMatchObject({ type: 'reset', seq: 1, entity: { status: 'pending' } });
    expect(sub.epoch).not.toBe(oldEpoch);
    expect(sub.seq).toBe(1);

    // The new incarnation's seq 2 is lower than the old 3 but belongs to the new epoch: kept.
    live.server.change('task:t1', task(5), { type: 'progress' });
    await until(() => sub.seq === 2, 'new epoch seq 2');
    expect(changes).toEqual([2, 3, 2]);
  });

  it('keeps a followed subscription after end and ends the others', async () => {
    live.server.create('task:t1', task(0));
    const followed = live.client.tasks.watch('t1', { follow: true });
    const plain = live.client.tasks.watch('t1');
    await until(() => followed.state === 'subscribed' && plain.state === 'subscribed', 'subscribed');
    live.server.end('task:t1', 'deleted');
    await until(() => plain.state === 'ended', 'plain ended');
    expect(followed.state).toBe('subscribed');
  });

  it('closes a forbidden subscription and keeps the others going', async () => {
    live.server.create('task:t1', task(0));
    const ok = live.client.tasks.watch('t1');
    const refused = live.client.tasks.watch('forbidden'); // the mock refuses `…:forbidden` topics
    const errors: string[] = [];
    refused.on('error', (e) => errors.push(e.code));
    await until(() => ok.state === 'subscribed' && refused.state === 'failed', 'one subscribed, one refused');
    expect(errors).toEqual(['forbidden']);
    expect(refused.error?.final).toBe(true);
    live.server.change('task:t1', task(1), { type: 'progress' });
    await until(() => ok.seq === 2, 'the other subscription goes on');
    await expect(async () => {
      for await (const _ of refused) {
        // never reached
      }
    }).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('subscribes again after an unavailable error', async () => {
    const sub = live.client.tasks.watch('t9');
    await until(() => sub.state === 'subscribed', 'subscribed');
    live.server.failSubscription(sub.id, 'unavailable');
    await until(() => live.server.allReceived.filter((m) => m.type === 'subscribe' && m.id === sub.id).length === 2, 'second subscribe');
    await until(() => sub.state === 'subscribed', 'subscribed again');
    expect(sub.error).toBeUndefined();
  });
});
