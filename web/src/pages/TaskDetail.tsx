import type { Run } from '@spectralnotify/client';
import { useSpectralClient, useTask, useTaskEvents } from '@spectralnotify/react';
import { useEffect, useMemo, useState } from 'react';
import { Link, useLocation } from 'wouter';
import { can } from '../app/session';
import { useSession } from '../app/sessionContext';
import { ConfirmButton } from '../components/ConfirmButton';
import { CopyButton } from '../components/CopyButton';
import { curlFor } from '../components/curl';
import { describeRemaining, estimateRemainingMs, progressSamples } from '../components/eta';
import { EventTimeline } from '../components/EventTimeline';
import { JsonView } from '../components/JsonView';
import { ProgressBar } from '../components/ProgressBar';
import { StatusBadge } from '../components/StatusBadge';
import { Time } from '../components/Time';
import { ToolExecutions } from '../components/ToolExecutions';
import { useAction } from '../components/useAction';

const terminal = new Set(['success', 'failed', 'canceled']);

/** One task, live: progress with ETA, status, timestamps, events, tools, links and the actions the key may take. */
export function TaskDetail({ id }: { id: string }) {
  const session = useSession();
  const client = useSpectralClient();
  const [, navigate] = useLocation();
  const task = useTask(id);
  const events = useTaskEvents(id);
  const action = useAction();
  const run = useRunOf(id);
  const t = task.data;
  const history = events.data ?? [];
  const lastSeq = t?.lastSeq ?? 0;
  const remaining = useMemo(() => estimateRemainingMs(progressSamples(history), Date.now()), [history]);

  if (t === undefined) return <p className="muted">Loading…</p>;
  if (t === null) return <p role="alert">No task '{id}'.</p>;
  const running = !terminal.has(t.status);
  return (
    <section>
      <h1>{t.title ?? t.id}</h1>
      {t.description && <p>{t.description}</p>}
      <dl className="facts">
        <dt>Status</dt>
        <dd>
          <StatusBadge status={t.status} testId="task-status" />
        </dd>
        <dt>Progress</dt>
        <dd>
          <ProgressBar value={t.progress} label="Task progress" status={t.status} /> {Math.round(t.progress)} %
          {running && remaining !== undefined && (
            <span className="muted" data-testid="eta">
              {' '}
              · {describeRemaining(remaining)}
            </span>
          )}
        </dd>
        <dt>Id</dt>
        <dd>
          <code>{t.id}</code>
        </dd>
        {t.type && (
          <>
            <dt>Type</dt>
            <dd>{t.type}</dd>
          </>
        )}
        <dt>Created</dt>
        <dd>
          <Time value={t.createdAt} />
        </dd>
        <dt>Started</dt>
        <dd>
          <Time value={t.startedAt} />
        </dd>
        <dt>Updated</dt>
        <dd>
          <Time value={t.updatedAt} />
        </dd>
        {!running && (
          <>
            <dt>Ended</dt>
            <dd>
              <Time value={t.completedAt ?? t.failedAt ?? t.canceledAt} />
            </dd>
          </>
        )}
        {t.error && (
          <>
            <dt>Error</dt>
            <dd className="error">{t.error}</dd>
          </>
        )}
        {t.workflowId && (
          <>
            <dt>Workflow</dt>
            <dd>
              <Link href={`/workflows/${encodeURIComponent(t.workflowId)}`}>{t.workflowId}</Link>
            </dd>
          </>
        )}
        {run && (
          <>
            <dt>Run</dt>
            <dd>
              <Link href={`/runs/${encodeURIComponent(run.id)}`}>run {run.state}</Link> of job{' '}
              {run.jobId ? <Link href={`/jobs/${encodeURIComponent(run.jobId)}`}>{run.jobId}</Link> : <span className="muted">(none: enqueued directly)</span>}
            </dd>
          </>
        )}
      </dl>
      <div className="actions">
        {can(session, 'write') && running && (
          <>
            <button disabled={action.busy} onClick={() => action.run(() => client.tasks.complete(id))}>
              Complete
            </button>
            <button disabled={action.busy} onClick={() => action.run(() => client.tasks.fail(id, 'Failed from the dashboard'))}>
              Fail
            </button>
            <button disabled={action.busy} onClick={() => action.run(() => client.tasks.cancel(id, { reason: 'Canceled from the dashboard' }))}>
              Cancel
            </button>
          </>
        )}
        {can(session, 'write') && (
          <ConfirmButton
            label="Delete"
            question={<>Delete task {t.id} and its whole history? This cannot be undone.</>}
            confirmLabel="Delete task"
            disabled={action.busy}
            onConfirm={() => action.run(() => client.tasks.delete(id)).then((ok) => ok && navigate('/tasks'))}
          />
        )}
        <CopyButton label="Copy as curl" text={curlFor(window.location.origin, `/api/v1/tasks/${encodeURIComponent(id)}`)} />
      </div>
      {action.error && (
        <p role="alert" className="error">
          {action.error}
        </p>
      )}
      <h2>Events</h2>
      <EventTimeline events={history} />
      <h2>Tool executions</h2>
      <ToolExecutions taskId={id} lastSeq={lastSeq} />
      <h2>Metadata and configuration</h2>
      <JsonView value={t.metadata} label="Metadata" />
      <JsonView value={t.config} label="Configuration" />
    </section>
  );
}

/** The run this task belongs to (a run's id is its task's id), or undefined for a plain task. */
function useRunOf(id: string): Run | undefined {
  const client = useSpectralClient();
  const [run, setRun] = useState<Run>();
  useEffect(() => {
    let live = true;
    setRun(undefined);
    // A 404 means the task is not a run: nothing to link.
    client.runs.get(id).then((r) => live && setRun(r), () => undefined);
    return () => {
      live = false;
    };
  }, [client, id]);
  return run;
}
