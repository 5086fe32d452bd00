import type { TaskStatus } from '@spectralnotify/client';
import { useTaskList } from '@spectralnotify/react';
import { Link, useSearch, useLocation } from 'wouter';
import { ProgressBar } from '../components/ProgressBar';
import { Time } from '../components/Time';

const statuses: TaskStatus[] = ['pending', 'in-progress', 'success', 'failed', 'canceled'];

/** Tasks, live: the visible page is one live list subscription; the filter lives in the URL. */
export function Tasks() {
  const search = new URLSearchParams(useSearch());
  const [, navigate] = useLocation();
  const status = search.getAll('status').filter((s): s is TaskStatus => statuses.includes(s as TaskStatus));
  const type = search.get('type') ?? '';
  const filter = { ...(status.length ? { status } : {}), ...(type ? { type } : {}) };
  const { data, error } = useTaskList(filter, { limit: 100 });

  const setFilter = (next: { status?: string; type?: string }) => {
    const q = new URLSearchParams();
    const s = next.status ?? status[0] ?? '';
    const t = next.type ?? type;
    if (s) q.set('status', s);
    if (t) q.set('type', t);
    navigate(`/tasks${q.size ? `?${q}` : ''}`);
  };

  return (
    <section>
      <h1>Tasks</h1>
      <form className="filters" onSubmit={(e) => e.preventDefault()}>
        <label>
          Status
          <select value={status[0] ?? ''} onChange={(e) => setFilter({ status: e.target.value })}>
            <option value="">any</option>
            {statuses.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        <label>
          Type
          <input value={type} onChange={(e) => setFilter({ type: e.target.value })} placeholder="any" />
        </label>
      </form>
      {error && <p role="alert" className="error">{error.message}</p>}
      {data === undefined ? (
        <p className="muted">Loading…</p>
      ) : data.length === 0 ? (
        <p className="muted">No task matches.</p>
      ) : (
        <table className="list" aria-label="Tasks">
          <thead>
            <tr>
              <th scope="col">Task</th>
              <th scope="col">Type</th>
              <th scope="col">Status</th>
              <th scope="col">Progress</th>
              <th scope="col">Updated</th>
            </tr>
          </thead>
          <tbody>
            {data.map((t) => (
              <tr key={t.id} data-task-id={t.id}>
                <td>
                  <Link href={`/tasks/${encodeURIComponent(t.id)}`}>{t.title ?? t.id}</Link>
                </td>
                <td>{t.type ?? <span className="muted">—</span>}</td>
                <td>
                  <span className={`status status-${t.status}`}>{t.status}</span>
                </td>
                <td>
                  <ProgressBar value={t.progress} label={`Progress of ${t.title ?? t.id}`} status={t.status} />
                </td>
                <td>
                  <Time value={t.updatedAt} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
