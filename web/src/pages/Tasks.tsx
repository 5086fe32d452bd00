import type { Task } from '@spectralnotify/client';
import { useSpectralClient, useTaskList } from '@spectralnotify/react';
import { useMemo, useState, type FormEvent } from 'react';
import { Link, useLocation, useSearch } from 'wouter';
import { can } from '../app/session';
import { useSession } from '../app/sessionContext';
import { ProgressBar } from '../components/ProgressBar';
import { StatusBadge } from '../components/StatusBadge';
import { Time } from '../components/Time';
import { BulkDialog, BulkReport, type BulkKind, type BulkResult } from './tasks/BulkActions';
import {
  filterFromSearch, filterToSearch, fromLocalInput, parsePairs, statuses, toListFilter, toLocalInput, toRestQuery, type TaskFilter,
} from './tasks/taskFilter';
import './Tasks.css';

const pageSize = 50;

/** A page after the first: read once from GET /api/v1/tasks (a snapshot, refreshed on demand). */
interface Snapshot {
  cursor: string;
  rows: readonly Task[];
  next: string | null;
  readAt: string;
}

/**
 * Tasks: server-side search (id prefix or title, type, statuses, metadata, created-at range) with the
 * filter in the URL. Page 1 is a live list subscription; later pages continue in the same order
 * (newest change first) from REST cursor pages, as snapshots with a Refresh button.
 */
export function Tasks() {
  const search = useSearch();
  const filter = useMemo(() => filterFromSearch(search), [search]);
  // A new filter starts over at page 1 with nothing selected.
  return <TaskPages key={filterToSearch(filter)} filter={filter} />;
}

function TaskPages({ filter }: { filter: TaskFilter }) {
  const client = useSpectralClient();
  const session = useSession();
  const canWrite = can(session, 'write') || can(session, 'admin');
  const canDelete = can(session, 'admin');
  const live = useTaskList(toListFilter(filter), { limit: pageSize });
  const [snapshots, setSnapshots] = useState<Snapshot[]>([]);
  const [loading, setLoading] = useState(false);
  const [pageError, setPageError] = useState<string>();
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [bulk, setBulk] = useState<BulkKind | null>(null);
  const [results, setResults] = useState<BulkResult[]>();

  const current = snapshots[snapshots.length - 1];
  const rows = current ? current.rows : live.data;
  const hasNext = current ? current.next !== null : (live.data?.length ?? 0) >= pageSize;

  const load = async (read: () => Promise<Snapshot[] | undefined>) => {
    setLoading(true);
    setPageError(undefined);
    try {
      const next = await read();
      if (next) {
        setSnapshots(next);
        setSelected(new Set());
      }
    } catch (err) {
      setPageError(err instanceof Error ? err.message : String(err));
    } finally {
      setLoading(false);
    }
  };
  const snapshotAt = async (cursor: string): Promise<Snapshot> => {
    const page = await client.tasks.query(toRestQuery(filter, pageSize, cursor));
    return { cursor, rows: page.data, next: page.next, readAt: new Date().toISOString() };
  };
  const nextPage = () =>
    load(async () => {
      // From the live page, the REST list in the same order gives the cursor after its 50th row.
      const cursor = current ? current.next : (await client.tasks.query(toRestQuery(filter, pageSize))).next;
      if (!cursor) {
        setPageError('There is no next page any more: the list changed since this page was read.');
        return undefined;
      }
      return [...snapshots, await snapshotAt(cursor)];
    });
  const previousPage = () => {
    setSnapshots(snapshots.slice(0, -1));
    setSelected(new Set());
    setPageError(undefined);
  };
  const refresh = () => load(async () => (current ? [...snapshots.slice(0, -1), await snapshotAt(current.cursor)] : undefined));

  const toggle = (id: string, on: boolean) => {
    const next = new Set(selected);
    if (on) next.add(id);
    else next.delete(id);
    setSelected(next);
  };
  const allOnPage = !!rows?.length && rows.every((t) => selected.has(t.id));

  return (
    <section className="tasks-page">
      <h1>Tasks</h1>
      <FilterForm filter={filter} />
      {live.error && !current && (
        <p role="alert" className="error">
          {live.error.message}
        </p>
      )}
      {canWrite && (
        <div className="bulk-bar" aria-label="Selected tasks" role="group">
          <span>{selected.size} selected</span>
          <button type="button" disabled={selected.size === 0} onClick={() => setBulk('cancel')}>
            Cancel selected
          </button>
          {canDelete && (
            <button type="button" className="danger" disabled={selected.size === 0} onClick={() => setBulk('delete')}>
              Delete selected
            </button>
          )}
        </div>
      )}
      {results && <BulkReport results={results} />}
      {rows === undefined ? (
        <p className="muted">Loading…</p>
      ) : rows.length === 0 ? (
        <p className="muted">No task matches.</p>
      ) : (
        <div className="table-scroll" tabIndex={0}>
          <table className="list" aria-label="Tasks">
            <thead>
              <tr>
                {canWrite && (
                  <th scope="col">
                    <input
                      type="checkbox"
                      aria-label="Select every task on this page"
                      checked={allOnPage}
                      onChange={(e) => setSelected(e.target.checked ? new Set(rows.map((t) => t.id)) : new Set())}
                    />
                  </th>
                )}
                <th scope="col">Task</th>
                <th scope="col">Type</th>
                <th scope="col">Status</th>
                <th scope="col">Progress</th>
                <th scope="col">Created</th>
                <th scope="col">Updated</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((t) => (
                <tr key={t.id} data-task-id={t.id}>
                  {canWrite && (
                    <td>
                      <input type="checkbox" aria-label={`Select ${t.title ?? t.id}`} checked={selected.has(t.id)} onChange={(e) => toggle(t.id, e.target.checked)} />
                    </td>
                  )}
                  <td>
                    <Link href={`/tasks/${encodeURIComponent(t.id)}`}>{t.title ?? t.id}</Link>
                    {t.title && <div className="muted task-id">{t.id}</div>}
                  </td>
                  <td>{t.type ?? <span className="muted">—</span>}</td>
                  <td>
                    <StatusBadge status={t.status} />
                  </td>
                  <td>
                    <ProgressBar value={t.progress} label={`Progress of ${t.title ?? t.id}`} status={t.status} />
                  </td>
                  <td>
                    <Time value={t.createdAt} />
                  </td>
                  <td>
                    <Time value={t.updatedAt} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <nav className="pager" aria-label="Pages">
        <button type="button" onClick={previousPage} disabled={!current || loading}>
          Previous page
        </button>
        <span data-testid="page">
          Page {snapshots.length + 1}
          {current ? (
            <>
              {' '}
              · snapshot read <Time value={current.readAt} />
            </>
          ) : (
            ' · live'
          )}
        </span>
        {current && (
          <button type="button" onClick={refresh} disabled={loading}>
            Refresh
          </button>
        )}
        <button type="button" onClick={nextPage} disabled={!hasNext || loading}>
          Next page
        </button>
      </nav>
      {pageError && (
        <p role="alert" className="error">
          {pageError}
        </p>
      )}
      <BulkDialog
        kind={bulk}
        ids={[...selected]}
        onClose={(done) => {
          setBulk(null);
          if (!done) return;
          setResults(done);
          setSelected(new Set(done.filter((r) => !r.ok).map((r) => r.id)));
          if (current) void refresh();
        }}
      />
    </section>
  );
}

/** The search form: typing changes nothing until "Search"; then the filter goes into the URL. */
function FilterForm({ filter }: { filter: TaskFilter }) {
  const [, navigate] = useLocation();
  const [text, setText] = useState(filter.search);
  const [type, setType] = useState(filter.type);
  const [chosen, setChosen] = useState<ReadonlySet<string>>(new Set(filter.status));
  const [meta, setMeta] = useState(filter.metadata.map((m) => `${m.key}=${m.value}`).join(', '));
  const [after, setAfter] = useState(toLocalInput(filter.createdAfter));
  const [before, setBefore] = useState(toLocalInput(filter.createdBefore));
  const [error, setError] = useState<string>();

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const { pairs, bad } = parsePairs(meta);
    if (bad.length) {
      setError(`Metadata takes key=value pairs separated by commas; not understood: ${bad.join(', ')}`);
      return;
    }
    setError(undefined);
    const next: TaskFilter = {
      search: text.trim(),
      type: type.trim(),
      status: statuses.filter((s) => chosen.has(s)),
      metadata: pairs,
      createdAfter: fromLocalInput(after),
      createdBefore: fromLocalInput(before),
    };
    const q = filterToSearch(next);
    navigate(`/tasks${q ? `?${q}` : ''}`);
  };

  return (
    <form className="task-filters" onSubmit={submit} role="search" aria-label="Search tasks">
      <label>
        Search
        <input type="search" value={text} onChange={(e) => setText(e.target.value)} placeholder="id prefix or title" />
      </label>
      <label>
        Type
        <input value={type} onChange={(e) => setType(e.target.value)} placeholder="any" />
      </label>
      <label>
        Metadata
        <input value={meta} onChange={(e) => setMeta(e.target.value)} placeholder="team=red, env=prod" />
      </label>
      <label>
        Created after
        <input type="datetime-local" value={after} onChange={(e) => setAfter(e.target.value)} />
      </label>
      <label>
        Created before
        <input type="datetime-local" value={before} onChange={(e) => setBefore(e.target.value)} />
      </label>
      <fieldset>
        <legend>Status</legend>
        {statuses.map((s) => (
          <label key={s}>
            <input
              type="checkbox"
              checked={chosen.has(s)}
              onChange={(e) => {
                const next = new Set(chosen);
                if (e.target.checked) next.add(s);
                else next.delete(s);
                setChosen(next);
              }}
            />
            {s}
          </label>
        ))}
      </fieldset>
      <div className="task-filter-buttons">
        <button type="submit">Search</button>
        <button type="button" onClick={() => navigate('/tasks')}>
          Clear
        </button>
      </div>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
    </form>
  );
}
