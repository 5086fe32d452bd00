import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { createClient, type ChangeMessage, type SpectralClient, type Task, type TaskEvent } from '../src/index.js';
import { MockLiveServer, until } from './mock-server.js';

const key = 'test-admin-key-000000000001';
const fast = { minDelayMs: 5, maxDelayMs: 20, random: () => 0.5 };
const task = (progress: number, status = 'in-progress') => ({ id: 't1', status, progress, updatedAt: new Date().toISOString() });

let server: MockLiveServer;
let client: SpectralClient;

beforeEach(async () => {
  server = await MockLiveServer.start();
  client = createClient({ url: server.url, apiKey: key, WebSocket, retry: fast });
});

afterEach(async () => {
  client.close();
  await server.stop();
});

describe('one shared connection', () => {
  it('carries every subscription on one socket, opened lazily and closed after the last', async () => {
    expect(client.connection.state).toBe('idle');
    server.create('task:a', task(0));
    server.create('counter:c', { name: 'c', value: 0 });
    const a = client.tasks.watch('a');
    const c = client.counters.watch('c');
    const w = client.workflows.watch('w');
    await until(() => [a, c, w].every((s) => s.state === 'subscribed'), 'three subscriptions');
    expect(server.connections).toHaveLength(1);
    expect(server.upgrades[0]!.headers['x-api-key']).toBe(key);
    expect(server.upgrades[0]!.url.search).toBe('');
    expect(client.connection.state).toBe('open');

    a.close();
    await until(() => server.allReceived.some((m) => m.type === 'unsubscribe' && m.id === a.id), 'unsubscribe');
    c.close();
    w.close();
    await until(() => client.connection.state === 'idle', 'idle after the last subscription');
    await until(() => server.open.length === 0, 'socket closed');
  });

  it('puts an API key in the query when asked (browsers cannot set headers)', async () => {
    const browserish = createClient({ url: server.url, apiKey: key, WebSocket, apiKeyIn: 'query', retry: fast });
    const sub = browserish.tasks.watch('x');
    await until(() => sub.state === 'subscribed', 'subscribed');
    expect(server.upgrades[0]!.url.searchParams.get('apiKey')).toBe(key);
    browserish.close();
  });
});

describe('entity topics', () => {
  it('delivers the snapshot, then each change once, to callbacks and to for await', async () => {
    server.create('task:t1', task(0));
    const sub = client.tasks.watch('t1', { snapshot: true });
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
    server.change('task:t1', task(50), { type: 'progress', message: '50%' });
    server.change('task:t1', task(100, 'success'), { type: 'success', message: 'done' });
    server.end('task:t1', 'success');
    await loop;
    expect(seen).toEqual(['snapshot@1', 'change@2', 'change@3']);
    expect(iterated).toEqual([1, 2, 3, 3]);
    expect(sub.state).toBe('ended');
    expect((sub.entity as Task).status).toBe('success');
  });

  it('resumes after a dropped link with after + epoch and drops duplicates', async () => {
    server.create('task:t1', task(0));
    const sub = client.tasks.watch('t1');
    const changes: ChangeMessage<Task, TaskEvent>[] = [];
    const subscribed: boolean[] = [];
    sub.on('change', (c) => changes.push(c));
    sub.on('subscribed', (s) => subscribed.push(s.wasRecovering));
    await until(() => sub.state === 'subscribed', 'subscribed');
    server.change('task:t1', task(10), { type: 'progress', message: '10' });
    server.change('task:t1', task(20), { type: 'progress', message: '20' });
    await until(() => sub.seq === 3, 'seq 3');

    server.dropAll();
    // Missed while offline.
    server.change('task:t1', task(30), { type: 'progress', message: '30' });
    await until(() => sub.seq === 4 && client.connection.state === 'open', 'resumed');
    const resume = server.connections[1]!.received.find((m) => m.type === 'subscribe')!;
    expect(resume).toMatchObject({ topic: 'task:t1', after: 3, epoch: server.entities.get('task:t1')!.epoch });
    expect(subscribed).toEqual([false, true]);

    // A replay overlapping what the client holds (seq ≤ 4, same epoch) is dropped.
    const conn = server.open[0]!;
    const epoch = server.entities.get('task:t1')!.epoch;
    for (const seq of [2, 3, 4]) {
      conn.send({ type: 'change', id: sub.id, epoch, seq, event: { seq }, entity: task(seq) });
    }
    server.change('task:t1', task(40), { type: 'progress', message: '40' });
    await until(() => sub.seq === 5, 'seq 5');
    expect(changes.map((c) => c.seq)).toEqual([2, 3, 4, 5]);
  });

  it('turns a resume into another epoch into a reset with the snapshot', async () => {
    server.create('task:t1', task(0));
    const sub = client.tasks.watch('t1');
    const resets: unknown[] = [];
    const changes: number[] = [];
    sub.on('reset', (r) => resets.push(r));
    sub.on('change', (c) => changes.push(c.seq));
    await until(() => sub.state === 'subscribed', 'subscribed');
    server.change('task:t1', task(10), { type: 'progress' });
    server.change('task:t1', task(20), { type: 'progress' });
    await until(() => sub.seq === 3, 'seq 3');
    const oldEpoch = sub.epoch;

    server.dropAll();
    server.recreateQuietly('task:t1', { ...task(0), id: 't1', status: 'pending' });
    await until(() => resets.length === 1, 'reset');
    expect(resets[0]).toMatchObject({ type: 'reset', seq: 1, entity: { status: 'pending' } });
    expect(sub.epoch).not.toBe(oldEpoch);
    expect(sub.seq).toBe(1);

    // The new incarnation's seq 2 is lower than the old 3 but belongs to the new epoch: kept.
    server.change('task:t1', task(5), { type: 'progress' });
    await until(() => sub.seq === 2, 'new epoch seq 2');
    expect(changes).toEqual([2, 3, 2]);
  });

  it('keeps a followed subscription after end and ends the others', async () => {
    server.create('task:t1', task(0));
    const followed = client.tasks.watch('t1', { follow: true });
    const plain = client.tasks.watch('t1');
    await until(() => followed.state === 'subscribed' && plain.state === 'subscribed', 'subscribed');
    server.end('task:t1', 'deleted');
    await until(() => plain.state === 'ended', 'plain ended');
    expect(followed.state).toBe('subscribed');
  });

  it('closes a forbidden subscription and keeps the others going', async () => {
    server.create('task:t1', task(0));
    const ok = client.tasks.watch('t1');
    const refused = client.tasks.watch('forbidden'); // the mock refuses `…:forbidden` topics
    const errors: string[] = [];
    refused.on('error', (e) => errors.push(e.code));
    await until(() => ok.state === 'subscribed' && refused.state === 'failed', 'one subscribed, one refused');
    expect(errors).toEqual(['forbidden']);
    expect(refused.error?.final).toBe(true);
    server.change('task:t1', task(1), { type: 'progress' });
    await until(() => ok.seq === 2, 'the other subscription goes on');
    await expect(async () => {
      for await (const _ of refused) {
        // never reached
      }
    }).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('subscribes again after an unavailable error', async () => {
    const sub = client.tasks.watch('t9');
    await until(() => sub.state === 'subscribed', 'subscribed');
    server.failSubscription(sub.id, 'unavailable');
    await until(() => server.allReceived.filter((m) => m.type === 'subscribe' && m.id === sub.id).length === 2, 'second subscribe');
    await until(() => sub.state === 'subscribed', 'subscribed again');
    expect(sub.error).toBeUndefined();
  });
});
