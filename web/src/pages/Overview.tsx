import type { ServerStats } from '@spectralnotify/client';
import { Link, useLocation, useSearch } from 'wouter';
import { Time } from '../components/Time';
import './Overview.css';
import { formatAge, formatRate, formatWindow, windowFrom, windows } from './overview/stats';
import { StatsTable } from './overview/StatsTable';
import { ThroughputChart } from './overview/ThroughputChart';
import { useLiveStats } from './overview/useLiveStats';

const statusCounts: { key: keyof ServerStats['tasks']; status: string; label: string }[] = [
  { key: 'pending', status: 'pending', label: 'Pending' },
  { key: 'inProgress', status: 'in-progress', label: 'In progress' },
  { key: 'success', status: 'success', label: 'Succeeded' },
  { key: 'failed', status: 'failed', label: 'Failed' },
  { key: 'canceled', status: 'canceled', label: 'Canceled' },
];

/**
 * Overview: tasks by status, finished tasks over time, queues, workers and live sessions. Read once,
 * then re-read when the live lists report a change (see useLiveStats): no polling.
 */
export function Overview() {
  const windowMinutes = windowFrom(useSearch());
  const [, navigate] = useLocation();
  const { stats, error, refresh } = useLiveStats(windowMinutes);

  return (
    <section className="overview">
      <div className="overview-head">
        <h1>Overview</h1>
        <label>
          Window
          <select value={windowMinutes} onChange={(e) => navigate(`/overview?window=${e.target.value}`)}>
            {windows.map((w) => (
              <option key={w} value={w}>
                {formatWindow(w)}
              </option>
            ))}
          </select>
        </label>
        <button type="button" onClick={refresh}>
          Refresh
        </button>
        {stats && (
          <span className="muted">
            Read <Time value={stats.at} />
          </span>
        )}
      </div>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {!stats ? (
        !error && <p className="muted">Loading…</p>
      ) : (
        <>
          <h2>Tasks by status</h2>
          <ul className="counts" aria-label="Tasks by status">
            {statusCounts.map((c) => (
              <li key={c.key} className={`count status-${c.status}`}>
                <Link href={`/tasks?status=${c.status}`}>
                  <span className="count-value" data-testid={`count-${c.status}`}>
                    {stats.tasks[c.key]}
                  </span>
                  <span className="count-label">{c.label}</span>
                </Link>
              </li>
            ))}
            <li className="count">
              <Link href="/tasks">
                <span className="count-value" data-testid="count-total">
                  {stats.tasks.total}
                </span>
                <span className="count-label">All tasks</span>
              </Link>
            </li>
          </ul>

          <h2>Finished over the {formatWindow(stats.throughput.windowMinutes)}</h2>
          <p>
            <span data-testid="finished-success">{stats.throughput.success}</span> succeeded,{' '}
            <span data-testid="finished-failed">{stats.throughput.failed}</span> failed,{' '}
            {stats.throughput.canceled} canceled; failure rate <strong data-testid="failure-rate">{formatRate(stats.throughput.failureRate)}</strong>
            <span className="muted"> (failed ÷ succeeded + failed; cancels are not failures)</span>
          </p>
          <ThroughputChart series={stats.throughput} />

          <h2>Queues</h2>
          <StatsTable
            label="Queues"
            columns={['Queue', 'Available', 'Waiting', 'Leased', 'Oldest available for']}
            empty="No run is waiting or running."
            rows={stats.queues.map((q) => ({
              key: q.queue,
              cells: [<Link href={`/runs?queue=${encodeURIComponent(q.queue)}`}>{q.queue}</Link>, q.available, q.waiting, q.leased, formatAge(q.oldestAgeSeconds)],
            }))}
          />

          <div className="overview-columns">
            <div>
              <h2>Workers</h2>
              <StatsTable
                label="Workers"
                columns={['Worker', 'Runs held', 'Queues']}
                empty="No worker holds a lease now."
                rows={stats.workers.map((w) => ({ key: w.workerId, cells: [w.workerId, w.runs, w.queues.join(', ')] }))}
              />
            </div>
            <div>
              <h2>Live sessions per node</h2>
              <StatsTable
                label="Live sessions per node"
                columns={['Node', 'Live sessions']}
                empty="No live session."
                rows={stats.nodes.map((n) => ({ key: n.nodeId, cells: [n.nodeId, n.liveSessions] }))}
              />
            </div>
          </div>
        </>
      )}
    </section>
  );
}
