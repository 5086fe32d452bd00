import type { TaskStatus } from '@spectralnotify/client';
import { useWorkflowList } from '@spectralnotify/react';
import { Link, useLocation, useSearch } from 'wouter';
import { ErrorAlert } from '../components/ErrorAlert';
import { ProgressBar } from '../components/ProgressBar';
import { StatusBadge } from '../components/StatusBadge';
import { Time } from '../components/Time';
import './Workflows.css';

const statuses: TaskStatus[] = ['pending', 'in-progress', 'success', 'failed', 'canceled'];

/** Workflows, live: one list subscription; the status filter lives in the URL so a link keeps it. */
export function Workflows() {
  const search = new URLSearchParams(useSearch());
  const [, navigate] = useLocation();
  const status = search.getAll('status').filter((s): s is TaskStatus => statuses.includes(s as TaskStatus));
  const { data, error } = useWorkflowList(status.length ? { status } : {}, { limit: 100 });

  return (
    <section>
      <h1>Workflows</h1>
      <form className="filters" onSubmit={(e) => e.preventDefault()}>
        <label>
          Status
          <select value={status[0] ?? ''} onChange={(e) => navigate(`/workflows${e.target.value ? `?status=${e.target.value}` : ''}`)}>
            <option value="">any</option>
            {statuses.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
      </form>
      <ErrorAlert message={error?.message} />
      {data === undefined ? (
        !error && <p className="muted">Loading…</p>
      ) : data.length === 0 ? (
        <p className="muted">No workflow matches.</p>
      ) : (
        <div className="table-scroll" tabIndex={0}>
          <table className="list" aria-label="Workflows">
            <thead>
              <tr>
                <th scope="col">Workflow</th>
                <th scope="col">Status</th>
                <th scope="col">Progress</th>
                <th scope="col">Phases done</th>
                <th scope="col">Active phase</th>
                <th scope="col">Updated</th>
              </tr>
            </thead>
            <tbody>
              {data.map((w) => (
                <tr key={w.id} data-workflow-id={w.id}>
                  <td>
                    <Link href={`/workflows/${encodeURIComponent(w.id)}`}>{w.id}</Link>
                  </td>
                  <td>
                    <StatusBadge status={w.status} />
                  </td>
                  <td className="nowrap">
                    <ProgressBar value={w.overallProgress} label={`Progress of ${w.id}`} status={w.status} /> {w.overallProgress} %
                  </td>
                  <td>
                    {w.completedPhaseCount} / {w.expectedPhaseCount}
                  </td>
                  <td>{w.activePhaseKey ?? <span className="muted">—</span>}</td>
                  <td>
                    <Time value={w.updatedAt} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
