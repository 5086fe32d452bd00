import { useRun, useTask, useTaskEvents } from '@spectralnotify/react';
import { Link } from 'wouter';
import { EventTimeline } from '../components/EventTimeline';
import { JsonView } from '../components/JsonView';
import { ProgressBar } from '../components/ProgressBar';
import { StatusBadge } from '../components/StatusBadge';
import { Time } from '../components/Time';
import { RunActions } from './jobs/RunActions';
import './Jobs.css';

/** One run, live: its queue side (state, attempts, lease), its task side (progress, outcome, events), retry / cancel. */
export function RunDetail({ id }: { id: string }) {
  const run = useRun(id);
  const task = useTask(id).data;
  const events = useTaskEvents(id);
  const r = run.data;

  if (r === undefined) return run.error ? <p role="alert" className="error">{run.error.message}</p> : <p className="muted">Loading…</p>;
  if (r === null) return <p role="alert">No run '{id}'.</p>;
  const status = task?.status ?? r.status ?? 'pending';
  // A retry is a new run; its task's metadata names the run it repeats (docs/jobs.md).
  const retryOf = task?.metadata?.retryOf;
  return (
    <section className="run-detail">
      <h1>Run {r.id}</h1>
      <p>
        <Link href={`/tasks/${encodeURIComponent(r.id)}`}>Open its task</Link>
        {r.jobId && (
          <>
            {' · '}
            <Link href={`/jobs/${encodeURIComponent(r.jobId)}`}>Job {r.jobId}</Link>
          </>
        )}
        {typeof retryOf === 'string' && (
          <>
            {' · '}
            <Link href={`/runs/${encodeURIComponent(retryOf)}`}>Retry of {retryOf}</Link>
          </>
        )}
      </p>
      <dl className="facts">
        <dt>State</dt>
        <dd>
          <StatusBadge status={r.state} testId="run-state" />
          {r.cancelRequested && r.state !== 'done' && <span className="muted"> (cancel requested)</span>}
        </dd>
        <dt>Outcome</dt>
        <dd>
          <StatusBadge status={status} testId="run-status" />
        </dd>
        <dt>Progress</dt>
        <dd>
          <ProgressBar value={task?.progress ?? 0} label="Run progress" status={status} /> {Math.round(task?.progress ?? 0)} %
        </dd>
        <dt>Attempt</dt>
        <dd data-testid="run-attempt">
          {r.attempt} of {1 + r.maxRetries}
          {r.timeoutSeconds ? ` (${r.timeoutSeconds} s each)` : ''}
        </dd>
        <dt>Type / queue</dt>
        <dd>
          {r.type} on {r.queue}, priority {r.priority}
        </dd>
        <dt>Worker</dt>
        <dd>{r.workerId ?? <span className="muted">—</span>}</dd>
        <dt>Lease until</dt>
        <dd>
          <Time value={r.leaseExpiresAt} />
        </dd>
        <dt>Due</dt>
        <dd>
          <Time value={r.runAt ?? r.scheduledAt ?? r.createdAt} />
        </dd>
        {r.expiresAt && (
          <>
            <dt>Expires</dt>
            <dd>
              <Time value={r.expiresAt} />
            </dd>
          </>
        )}
        {r.waitingForDependencies > 0 && (
          <>
            <dt>Waiting for</dt>
            <dd>{r.waitingForDependencies} dependencies</dd>
          </>
        )}
        {task?.error && (
          <>
            <dt>Error</dt>
            <dd className="error" data-testid="run-error">
              {task.error}
            </dd>
          </>
        )}
      </dl>
      <RunActions run={{ ...r, status }} />
      <JsonView value={r.result} label="Result" />
      <JsonView value={r.payload} label="Payload" />
      <h2>Events</h2>
      <EventTimeline events={events.data ?? []} />
    </section>
  );
}
