import { act, cleanup, render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { liveFixture } from '../../client/test/fixture.js';
import { until } from '../../client/test/mock-server.js';
import { SpectralProvider, useCounter, useTask, useTaskEvents, useTaskList, useWorkflowEvents } from '../src/index.js';

const task = (progress: number, status = 'in-progress') => ({ id: 't1', status, progress, updatedAt: new Date().toISOString() });

const live = liveFixture(cleanup);

function Progress({ id }: { id: string }) {
  const { data, connection } = useTask(id, { throttleMs: 0 });
  return <p data-testid={`task-${id}`}>{data ? `${data.status} ${data.progress}%` : `none (${connection})`}</p>;
}

function Events({ id }: { id: string }) {
  const { data } = useTaskEvents(id, { throttleMs: 0 });
  return <p data-testid="events">{data?.map((e) => e.seq).join(',') ?? 'loading'}</p>;
}

function WorkflowEvents({ id }: { id: string }) {
  const { data } = useWorkflowEvents(id, { throttleMs: 0 });
  return <p data-testid="workflow-events">{data?.map((e) => `${e.seq}:${e.type}`).join(',') ?? 'loading'}</p>;
}

function Counter({ name, enabled }: { name: string; enabled?: boolean }) {
  const { data } = useCounter(name, { enabled, throttleMs: 0 });
  return <p data-testid="counter">{data === undefined ? 'off' : String(data?.value)}</p>;
}

function List() {
  const { data } = useTaskList({ status: ['in-progress'] }, { limit: 2, throttleMs: 0 });
  return <p data-testid="list">{data?.map((t) => t.id).join(',') ?? 'loading'}</p>;
}

const text = (id: string) => screen.getByTestId(id).textContent;
const waitText = (id: string, expected: string) => until(() => text(id) === expected, `${id} = ${expected} (is ${text(id)})`);

describe('React hooks', () => {
  it('useTask renders the snapshot and every change; components share one socket and one subscription', async () => {
    live.server.create('task:t1', task(10));
    render(
      <SpectralProvider client={live.client}>
        <Progress id="t1" />
        <Progress id="t1" />
        <Events id="t1" />
      </SpectralProvider>,
    );
    await waitText('events', '1');
    await until(() => screen.getAllByText('in-progress 10%').length === 2, 'both render the task');
    await act(async () => {
      live.server.change('task:t1', task(60), { type: 'progress', message: '60%' });
    });
    await until(() => screen.getAllByText('in-progress 60%').length === 2, 'progress 60');
    await waitText('events', '1,2');
    expect(live.server.connections).toHaveLength(1);
    const topics = live.server.allReceived.filter((m) => m.type === 'subscribe').map((m) => m.topic);
    expect(topics.sort()).toEqual(['task:t1', 'task:t1']); // one for useTask (shared), one for useTaskEvents
  });

  it('useWorkflowEvents replays the history from seq 0, then appends each change', async () => {
    live.server.create('workflow:w1', { id: 'w1', status: 'pending', overallProgress: 0 });
    render(
      <SpectralProvider client={live.client}>
        <WorkflowEvents id="w1" />
      </SpectralProvider>,
    );
    await waitText('workflow-events', '1:log');
    await act(async () => {
      live.server.change('workflow:w1', { id: 'w1', status: 'in-progress', overallProgress: 20 }, { type: 'phase-progress', message: 'a' });
    });
    await waitText('workflow-events', '1:log,2:phase-progress');
    const subscribe = live.server.allReceived.find((m) => m.type === 'subscribe' && m.topic === 'workflow:w1');
    expect(subscribe?.after).toBe(0);
  });

  it('useTaskList keeps the newest rows within the limit', async () => {
    live.server.upsert('tasks', { id: 'a', updatedAt: '2026-01-01T00:00:01.000Z' });
    live.server.upsert('tasks', { id: 'b', updatedAt: '2026-01-01T00:00:02.000Z' });
    render(
      <SpectralProvider client={live.client}>
        <List />
      </SpectralProvider>,
    );
    await waitText('list', 'b,a');
    await act(async () => {
      live.server.upsert('tasks', { id: 'c', updatedAt: '2026-01-01T00:00:03.000Z' });
    });
    await waitText('list', 'c,b');
  });

  it('enabled: false opens nothing until enabled, and unmounting closes the socket', async () => {
    live.server.create('counter:c', { name: 'c', value: 7 });
    const view = render(
      <SpectralProvider client={live.client}>
        <Counter name="c" enabled={false} />
      </SpectralProvider>,
    );
    expect(text('counter')).toBe('off');
    expect(live.server.upgrades).toHaveLength(0);
    view.rerender(
      <SpectralProvider client={live.client}>
        <Counter name="c" />
      </SpectralProvider>,
    );
    await waitText('counter', '7');
    view.unmount();
    await until(() => live.client.connection.state === 'idle' && live.server.open.length === 0, 'socket closed after the last hook');
  });

  it('a paused provider keeps showing what it showed; resuming shows the current state at once', async () => {
    live.server.create('task:t1', task(10));
    const Shown = ({ testId }: { testId: string }) => {
      const { data } = useTask('t1', { throttleMs: 0 });
      return <p data-testid={testId}>{data ? `${data.progress}%` : 'none'}</p>;
    };
    const tree = (paused: boolean) => (
      <>
        <SpectralProvider client={live.client} paused={paused}>
          <Shown testId="paused" />
        </SpectralProvider>
        <SpectralProvider client={live.client}>
          <Shown testId="live" />
        </SpectralProvider>
      </>
    );
    const view = render(tree(false));
    await waitText('paused', '10%');
    view.rerender(tree(true));
    await act(async () => {
      live.server.change('task:t1', task(70), { type: 'progress', message: '70%' });
    });
    // The change arrived (the unpaused view shows it) but the paused view holds still.
    await waitText('live', '70%');
    expect(text('paused')).toBe('10%');
    view.rerender(tree(false));
    await waitText('paused', '70%');
  });
});
