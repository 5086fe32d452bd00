import { createClient, type Job, type Run } from '@spectralnotify/client';
import { SpectralProvider } from '@spectralnotify/react';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import type { ReactNode } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { SessionContext } from '../src/app/sessionContext';
import { JobActions } from '../src/pages/jobs/JobActions';
import { RunActions } from '../src/pages/jobs/RunActions';

afterEach(cleanup);

/** The REST calls the component sends, answered by `answer`: nothing opens a live connection here. */
function harness(scopes: string[], answer: (url: string, init?: RequestInit) => Response = () => new Response('{}')) {
  const calls: string[] = [];
  const client = createClient({
    url: 'http://spectral.test',
    cookie: true,
    fetch: async (url, init) => {
      calls.push(`${init?.method ?? 'GET'} ${url.replace('http://spectral.test', '')}`);
      return answer(url, init);
    },
  });
  const wrap = (ui: ReactNode) => (
    <SessionContext.Provider value={{ keyName: 'k', scopes, expiresAt: '' }}>
      <SpectralProvider client={client}>{ui}</SpectralProvider>
    </SessionContext.Provider>
  );
  return { calls, wrap };
}

const job: Job = {
  id: 'nightly', type: 'report', payload: {}, queue: 'default', priority: 50, maxRetries: 3, timeoutSeconds: null, schedule: null, misfire: 'fireOnce',
  uniqueKey: null, state: 'active', createdBy: null, createdAt: '', updatedAt: '', deletedAt: null, version: 1, nextFireAt: null,
};
const run: Run = {
  id: 'run-1', jobId: 'nightly', type: 'report', queue: 'default', priority: 50, payload: {}, attempt: 1, maxRetries: 0, timeoutSeconds: null, runAt: null,
  scheduledAt: null, state: 'done', status: 'failed', workerId: null, leaseExpiresAt: null, cancelRequested: false, result: null, uniqueKey: null, createdAt: '',
  expiresAt: null, waitingForDependencies: 0,
};

describe('JobActions', () => {
  // Scopes as the session reports them: each key's scope with the ones it includes.
  it('offers a read key nothing, a write key trigger and pause, an admin delete too', () => {
    const names = () => screen.queryAllByRole('button').map((b) => b.textContent);
    render(harness(['read']).wrap(<JobActions job={job} onChanged={() => {}} />));
    expect(names()).toEqual([]);
    cleanup();
    render(harness(['write', 'read']).wrap(<JobActions job={job} onChanged={() => {}} />));
    expect(names()).toEqual(['Trigger now', 'Pause']);
    cleanup();
    render(harness(['admin', 'write', 'read']).wrap(<JobActions job={job} onChanged={() => {}} />));
    expect(names()).toEqual(['Trigger now', 'Pause', 'Delete']);
    cleanup();
    render(harness(['admin', 'write', 'read']).wrap(<JobActions job={{ ...job, state: 'paused', deletedAt: '2026-01-01T00:00:00Z' }} onChanged={() => {}} />));
    expect(names()).toEqual(['Restore']);
  });
});

describe('RunActions', () => {
  it('retries a failed run through POST /runs/{id}/retry and links the new run', async () => {
    const { calls, wrap } = harness(['write'], () => new Response(JSON.stringify({ ...run, id: 'run-2', state: 'pending', status: 'pending' }), { status: 201 }));
    render(wrap(<RunActions run={run} />));
    expect(screen.queryByRole('button', { name: 'Cancel' })).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect((await screen.findByRole('status')).textContent).toBe('Retried as run-2');
    expect(calls).toEqual(['POST /api/v1/runs/run-1/retry']);
  });

  it('shows the server refusal as an alert with its problem details', async () => {
    const refusal = { title: 'Run cannot be retried', detail: "The run is 'pending'.", status: 409 };
    const { wrap } = harness(['write'], () => new Response(JSON.stringify(refusal), { status: 409, headers: { 'Content-Type': 'application/problem+json' } }));
    render(wrap(<RunActions run={run} />));
    fireEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect((await screen.findByRole('alert')).textContent).toBe("Run cannot be retried: The run is 'pending'. (HTTP 409)");
  });

  it('cancels an unfinished run through its task', async () => {
    const { calls, wrap } = harness(['write']);
    render(wrap(<RunActions run={{ ...run, state: 'running', status: 'in-progress' }} />));
    expect(screen.queryByRole('button', { name: 'Retry' })).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    await expect.poll(() => calls).toEqual(['POST /api/v1/tasks/run-1/cancel']);
  });
});
