import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { createClient, type SpectralClient } from '../src/index.js';
import { MockLiveServer, until } from './mock-server.js';

const fast = { minDelayMs: 5, maxDelayMs: 20, random: () => 0.5 };
const at = (second: number) => `2026-01-01T00:00:${String(second).padStart(2, '0')}.000Z`;
const row = (id: string, second: number) => ({ id, status: 'in-progress', updatedAt: at(second) });

let server: MockLiveServer;
let client: SpectralClient;

beforeEach(async () => {
  server = await MockLiveServer.start();
  client = createClient({ url: server.url, apiKey: 'test-admin-key-000000000001', WebSocket, retry: fast });
});

afterEach(async () => {
  client.close();
  await server.stop();
});

const ids = (rows: readonly { id: string }[]) => rows.map((r) => r.id);

describe('live lists', () => {
  it('keeps rows newest updatedAt first, applies upsert and remove, trims to limit', async () => {
    server.upsert('tasks', row('a', 1));
    server.upsert('tasks', row('b', 3));
    server.upsert('tasks', row('c', 2));
    const list = client.tasks.list({ status: ['in-progress'] }, { limit: 3 });
    await until(() => list.rows.length === 3, 'snapshot');
    expect(ids(list.rows)).toEqual(['b', 'c', 'a']);
    const sent = server.allReceived.find((m) => m.type === 'subscribe')!;
    expect(sent).toMatchObject({ topic: 'tasks', limit: 3, filter: { status: ['in-progress'] } });

    server.upsert('tasks', row('a', 4)); // a changed: moves to the top
    await until(() => list.rows[0]?.id === 'a', 'a on top');
    expect(ids(list.rows)).toEqual(['a', 'b', 'c']);

    server.upsert('tasks', row('d', 5)); // a fourth row: the oldest falls off
    await until(() => list.rows[0]?.id === 'd', 'd on top');
    expect(ids(list.rows)).toEqual(['d', 'a', 'b']);

    server.remove('tasks', 'a');
    await until(() => list.rows.length === 2, 'a removed');
    expect(ids(list.rows)).toEqual(['d', 'b']);
    expect(list.cursor).toBe(String(server.lists.get('tasks')!.version));
  });

  it('resumes from its cursor after a reconnect, then reports up-to-date', async () => {
    server.upsert('runs', row('r1', 1));
    const list = client.runs.list({}, { limit: 10 });
    const kinds: string[] = [];
    for (const event of ['snapshot', 'change', 'reset', 'up-to-date'] as const) {
      list.on(event, (m) => kinds.push(m.type));
    }
    await until(() => list.rows.length === 1, 'snapshot');
    const cursor = list.cursor;

    server.dropAll();
    server.upsert('runs', row('r2', 2));
    server.remove('runs', 'r1');
    await until(() => kinds.includes('up-to-date'), 'up-to-date');
    const resume = server.connections[1]!.received.find((m) => m.type === 'subscribe')!;
    expect(resume).toMatchObject({ topic: 'runs', cursor });
    expect(kinds).toEqual(['snapshot', 'upsert', 'remove', 'up-to-date']);
    expect(ids(list.rows)).toEqual(['r2']);
    expect(list.catchingUp).toBe(false);
  });

  it('drops every row on must-refetch and reports the fresh snapshot as reset', async () => {
    server.upsert('workflows', row('w1', 1));
    server.upsert('workflows', row('w2', 2));
    const list = client.workflows.list();
    const resets: string[][] = [];
    list.on('reset', (m) => resets.push(ids(m.rows)));
    await until(() => list.rows.length === 2, 'snapshot');

    server.dropAll();
    server.remove('workflows', 'w1');
    server.upsert('workflows', row('w3', 3));
    server.forgetListHistory('workflows');
    await until(() => resets.length === 1, 'reset');
    expect(resets[0]).toEqual(['w3', 'w2']);
    expect(ids(list.rows)).toEqual(['w3', 'w2']);
    expect(list.cursor).toBe(String(server.lists.get('workflows')!.version));
  });

  it("watches a job's runs as a list and yields its messages to for await", async () => {
    server.upsert('job:nightly', row('run-1', 1));
    const runs = client.jobs.watch('nightly');
    const seen: string[] = [];
    const loop = (async () => {
      for await (const message of runs) {
        seen.push(`${message.type}:${ids(message.rows).join(',')}`);
        if (seen.length === 2) break;
      }
    })();
    await until(() => runs.rows.length === 1, 'snapshot');
    server.upsert('job:nightly', row('run-2', 2));
    await loop;
    expect(seen).toEqual(['snapshot:run-1', 'upsert:run-2,run-1']);
    // Breaking out of the only loop with no listener closes the subscription.
    expect(runs.state).toBe('closed');
  });
});
