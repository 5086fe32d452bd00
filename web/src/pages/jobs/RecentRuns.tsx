import { useJobRuns } from '@spectralnotify/react';
import { Link } from 'wouter';

/** A job's last few runs, live (the `job:<id>` topic): each links to its run and says its outcome. */
export function RecentRuns({ jobId }: { jobId: string }) {
  const runs = useJobRuns(jobId, { limit: 5 });
  if (runs.error) return <span className="error small">{runs.error.message}</span>;
  if (runs.data === undefined) return <span className="muted small">…</span>;
  if (runs.data.length === 0) return <span className="muted small">none yet</span>;
  return (
    <ul className="recent-runs" aria-label={`Recent runs of ${jobId}`}>
      {runs.data.map((r) => {
        const outcome = r.state === 'done' ? (r.status ?? 'done') : r.state;
        return (
          <li key={r.id} data-run-id={r.id}>
            <Link href={`/runs/${encodeURIComponent(r.id)}`} className={`status status-${outcome}`} title={r.id} aria-label={`${outcome}: run ${r.id}`}>
              {outcome}
            </Link>
          </li>
        );
      })}
    </ul>
  );
}
