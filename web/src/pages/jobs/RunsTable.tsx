import type { Run } from '@spectralnotify/client';
import { useTask } from '@spectralnotify/react';
import { Link } from 'wouter';
import { ProgressBar } from '../../components/ProgressBar';
import { StatusBadge } from '../../components/StatusBadge';
import { Time } from '../../components/Time';
import { RunActions } from './RunActions';

type RunRow = Run & { updatedAt?: string };

/** Runs as rows: queue state, the task's outcome, attempts, progress and error, links to the run, its job and its task. */
export function RunsTable({ rows, label, showJob = true }: { rows: readonly RunRow[]; label: string; showJob?: boolean }) {
  return (
    <div className="table-scroll" tabIndex={0}>
      <table className="list runs-table" aria-label={label}>
        <thead>
          <tr>
            <th scope="col">Run</th>
            {showJob && <th scope="col">Job</th>}
            <th scope="col">Type / queue</th>
            <th scope="col">State / outcome</th>
            <th scope="col">Attempt</th>
            <th scope="col">Progress</th>
            <th scope="col">Error</th>
            <th scope="col">Updated</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <RunTableRow key={r.id} run={r} showJob={showJob} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

/**
 * One row. A run row carries no progress or error (they belong to its task), so each row watches
 * its task: one subscription per shown row, which is why the lists are capped well below the
 * connection's subscription limit.
 */
function RunTableRow({ run, showJob }: { run: RunRow; showJob: boolean }) {
  const task = useTask(run.id).data;
  const status = task?.status ?? run.status ?? 'pending';
  return (
    <tr data-run-id={run.id}>
      <td>
        <Link href={`/runs/${encodeURIComponent(run.id)}`}>{run.id}</Link>
        <br />
        <Link className="small" href={`/tasks/${encodeURIComponent(run.id)}`} aria-label={`Task of run ${run.id}`}>
          task
        </Link>
      </td>
      {showJob && <td>{run.jobId ? <Link href={`/jobs/${encodeURIComponent(run.jobId)}`}>{run.jobId}</Link> : <span className="muted">one-off</span>}</td>}
      <td>
        {run.type}
        <br />
        <span className="muted small">{run.queue}</span>
      </td>
      <td>
        <StatusBadge status={run.state} testId="run-state" />
        <br />
        <StatusBadge status={status} testId="run-status" />
        {run.cancelRequested && run.state !== 'done' && <span className="muted small"> (cancel asked)</span>}
      </td>
      <td>
        {run.attempt} of {1 + run.maxRetries}
      </td>
      <td>
        <ProgressBar value={task?.progress ?? 0} label={`Progress of run ${run.id}`} status={status} />
      </td>
      <td className="error run-error">{task?.error ?? ''}</td>
      <td>
        <Time value={run.updatedAt ?? task?.updatedAt ?? run.createdAt} />
      </td>
      <td>
        <RunActions run={{ ...run, status }} />
      </td>
    </tr>
  );
}
