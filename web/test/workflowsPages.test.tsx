import type { Phase, Session } from '@spectralnotify/client';
import { act, cleanup, render, renderHook, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { useLoad } from '../src/components/useLoad';
import { PhaseTree } from '../src/pages/PhaseTree';
import { bySessionNode, watches } from '../src/pages/sessionRows';
import { sparklinePath } from '../src/pages/Sparkline';
import { splitScopes } from '../src/pages/tokenScopes';

afterEach(cleanup);

const phase = (key: string, weight: number, progress: number, order: number, parentPhaseKey: string | null = null): Phase => ({
  key,
  label: key.toUpperCase(),
  weight,
  status: 'in-progress',
  progress,
  order,
  parentPhaseKey,
  depth: parentPhaseKey ? 1 : 0,
  startedAt: null,
  updatedAt: null,
  completedAt: null,
});

describe('PhaseTree', () => {
  it('nests sub-phases, shows each weight and share, and a parent bar rolled up from its children', () => {
    render(<PhaseTree phases={[phase('build', 0.6, 0, 0), phase('compile', 0.5, 100, 1, 'build'), phase('test', 0.5, 20, 2, 'build'), phase('ship', 0.4, 0, 3)]} />);
    const top = screen.getByRole('list', { name: 'Phases' });
    expect(screen.getByRole('list', { name: 'Sub-phases of BUILD' })).toBeTruthy();
    expect(top.querySelectorAll(':scope > li').length).toBe(2);
    expect(screen.getByRole('progressbar', { name: 'Phase BUILD' }).getAttribute('aria-valuenow')).toBe('60');
    expect(screen.getByRole('progressbar', { name: 'Phase TEST' }).getAttribute('aria-valuenow')).toBe('20');
    const test = top.querySelector('[data-phase-key="test"]')!;
    expect(test.textContent).toContain('weight 50 % of BUILD = 30 % of the workflow');
    expect(test.textContent).toContain('adds 6 of 100 points');
    expect(screen.getByTestId('phase-progress-build').textContent).toBe('60 %');
  });

  it('says so when there is no phase', () => {
    render(<PhaseTree phases={[]} />);
    expect(screen.getByText('This workflow has no phases.')).toBeTruthy();
  });
});

describe('sessions', () => {
  const session = (id: string, nodeId: string, createdAt: string, entityType = 'live', entityId = '*'): Session =>
    ({ id, clientId: null, user: 'admin', connectionType: 'websocket', nodeId, createdAt, entityType, entityId }) as Session;

  it('groups by node, nodes by name and the newest connection first', () => {
    const groups = bySessionNode([session('a', 'n2', '2026-01-01T00:00:00Z'), session('b', 'n1', '2026-01-01T00:00:00Z'), session('c', 'n2', '2026-01-02T00:00:00Z')]);
    expect(groups.map(([node, rows]) => [node, rows.map((r) => r.id)])).toEqual([
      ['n1', ['b']],
      ['n2', ['c', 'a']],
    ]);
  });

  it('names what a connection watches', () => {
    expect(watches(session('a', 'n', '', 'live', '*'))).toBe('live (protocol v2): subscribing…');
    expect(watches(session('a', 'n', '', 'live', 'none'))).toBe('live (protocol v2): nothing now');
    expect(watches(session('a', 'n', '', 'live', 'task:t-1, tasks {"status":["failed"]}'))).toBe('live: task:t-1, tasks {"status":["failed"]}');
    expect(watches(session('a', 'n', '', 'task', 't-1'))).toBe('task t-1');
  });
});

describe('small pieces', () => {
  it('splits token scopes on spaces, commas and lines, once each', () => {
    expect(splitScopes(' read:tasks:a, read:tasks:a\nread:counters:*  ')).toEqual(['read:tasks:a', 'read:counters:*']);
  });

  it('draws a sparkline from the lowest value at the bottom to the highest at the top', () => {
    expect(sparklinePath([0, 10], 100, 20)).toBe('0.0,18.0 100.0,2.0');
    expect(sparklinePath([5, 5], 100, 20)).toBe('0.0,18.0 100.0,18.0');
    expect(sparklinePath([])).toBe('');
  });
});

describe('useLoad', () => {
  it('keeps the latest read: an older answer arriving late does not overwrite it, and an error reads as its message', async () => {
    const answers: ((value: string) => void)[] = [];
    const read = () => new Promise<string>((resolve) => answers.push(resolve));
    const { result } = renderHook(() => useLoad(read));
    await waitFor(() => expect(answers).toHaveLength(1));
    act(() => result.current.reload());
    await act(async () => answers[1]!('second'));
    await act(async () => answers[0]!('first, late'));
    expect(result.current.data).toBe('second');

    const refused = () => Promise.reject(new Error('HTTP 403: admin only'));
    const failing = renderHook(() => useLoad(refused));
    await waitFor(() => expect(failing.result.current.error).toBe('HTTP 403: admin only'));
  });
});
