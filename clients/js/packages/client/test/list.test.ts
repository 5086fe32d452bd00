import { describe, expect, it } from 'vitest';
import { liveFixture } from './fixture.js';
import { until } from './mock-server.js';

const at = (second: number) => `2026-01-01T00:00:${String(second).padStart(2, '0')}.000Z`;
const row = (id: string, second: number) => ({ id, status: 'in-progress', updatedAt: at(second) });

const live = liveFixture();

const ids = (rows: readonly { id: string }[]) => rows.map((r) => r.id);

describe('live lists', () => {
  it('keeps rows newest updatedAt first, applies upsert and remove, trims to limit', async () => {
    live.server.upsert('tasks', row('a', 1));
    live.server.upsert('tasks', row('b', 3));
    live.server.upsert('tasks', row('c', 2));
    const list = live.client.tasks.list({ status: ['in-progress'] }, { limit: 3 });
    await until(() => list.rows.length === 3, 'snapshot');
    expect(ids(list.rows)).toEqual(['b', 'c', 'a']);
    const sent = live.server.allReceived.find((m) => m.type === 'subscribe')!;
    expect(sent).toMatchObject({ topic: 'tasks', limit: 3, filter: { status: ['in-progress'] } });

    live.server.upsert('tasks', row('a', 4)); // a changed: moves to the top
    await until(() => list.rows[0]?.id === 'a', 'a on top');
    expect(ids(list.rows)).toEqual(['a', 'b', 'c']);

    live.server.upsert('tasks', row('d', 5)); // a fourth row: the oldest falls off
    await until(() => list.rows[0]?.id === 'd', 'd on top');
    expect(ids(list.rows)).toEqual(['d', 'a', 'b']);

    live.server.remove('tasks', 'a');
    await until(() => list.rows.length === 2, 'a removed');
    expect(ids(list.rows)).toEqual(['d', 'b']);
    expect(list.cursor).toBe(String(live.server.lists.get('tasks')!.version));
  });

  it('resumes from its cursor after a reconnect, then reports up-to-date', async () => {
    live.server.upsert('runs', row('r1', 1));
    const list = live.client.runs.list({}, { limit: 10 });
    const kinds: string[] = [];
    for (const event of ['snapshot', 'change', 'reset', 'up-to-date'] as const) {
      list.on(event, (m) => kinds.push(m.type));
    }
    await until(() => list.rows.length === 1, 'snapshot');
    const cursor = list.cursor;

    live.server.dropAll();
    live.server.upsert('runs', row('r2', 2));
    live.server.remove('runs', 'r1');
    await until(() => kinds.includes('up-to-date'), 'up-to-date');
    const resume = live.server.connections[1]!.received.find((m) => m.type === 'subscribe')!;
    expect(resume).toMatchObject({ topic: 'runs', cursor });
    expect(kinds).toEqual(['snapshot', 'upsert', 'remove', 'up-to-date']);
    expect(ids(list.rows)).toEqual(['r2']);
    expect(list.catchingUp).toBe(false);
  });

  it('drops every row on must-refetch and reports the fresh snapshot as reset', async () => {
    live.server.upsert('workflows', row('w1', 1));
    live.server.upsert('workflows', row('w2', 2));
    const list = live.client.workflows.list();
    const resets: string[][] = [];
    list.on('reset', (m) => resets.push(ids(m.rows)));
    await until(() => list.rows.length === 2, 'snapshot');

    live.server.dropAll();
    live.server.remove('workflows', 'w1');
    live.server.upsert('workflows', row('w3', 3));
    live.server.forgetListHistory('workflows');
    await until(() => resets.length === 1, 'reset');
    expect(resets[0]).toEqual(['w3', 'w2']);
    expect(ids(list.rows)).toEqual(['w3', 'w2']);
    expect(list.cursor).toBe(String(live.server.lists.get('workflows')!.version));
  });

  it("watches a job's runs as a list and yields its messages to for await", async () => {
    live.server.upsert('job:nightly', row('run-1', 1));
    const runs = live.client.jobs.watch('nightly');
    const seen: string[] = [];
    const loop = (async () => {
      for await (const message of runs) {
        seen.push(`${message.type}:${ids(message.rows).join(',')}`);
        if (seen.length === 2) break;
      }
    })();
    await until(() => runs.rows.length === 1, 'snapshot');
    live.server.upsert('job:nightly', row('run-2', 2));
    await loop;
    expect(seen).toEqual(['snapshot:run-1', 'upsert:run-2,run-1']);
    // Breaking out of the only loop with no listener closes the subscription.
    expect(runs.state).toBe('closed');
  });
});
