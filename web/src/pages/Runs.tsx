import { useRunList } from '@spectralnotify/react';
import { useLocation, useSearch } from 'wouter';
import { runFilterFromSearch, runFilterToSearch, runStates, runStatuses, type RunFilter } from './jobs/runFilter';
import { RunsTable } from './jobs/RunsTable';
import './Jobs.css';

/**
 * Each row watches its task for progress and error (RunsTable), so the list stays at 50 rows: with
 * the list itself that is well under the connection's 100 subscriptions.
 */
const limit = 50;

/** Runs, live: one `runs` list subscription with the filter kept in the URL. */
export function Runs() {
  const filter = runFilterFromSearch(useSearch());
  const [, navigate] = useLocation();
  const { data, error } = useRunList(filter, { limit });
  const setFilter = (change: Partial<RunFilter>) => navigate(`/runs${runFilterToSearch({ ...filter, ...change })}`);

  return (
    <section className="runs-page">
      <h1>Runs</h1>
      <form className="filters" onSubmit={(e) => e.preventDefault()}>
        <Choice label="State" options={runStates} value={filter.state?.[0]} onChange={(v) => setFilter({ state: v ? [v] : undefined })} />
        <Choice label="Outcome" options={runStatuses} value={filter.status?.[0]} onChange={(v) => setFilter({ status: v ? [v] : undefined })} />
        <label>
          Queue
          <input value={filter.queue ?? ''} onChange={(e) => setFilter({ queue: e.target.value || undefined })} placeholder="any" />
        </label>
        <label>
          Job
          <input value={filter.jobId ?? ''} onChange={(e) => setFilter({ jobId: e.target.value || undefined })} placeholder="any" />
        </label>
      </form>
      {error && (
        <p role="alert" className="error">
          {error.message}
        </p>
      )}
      {data === undefined ? (
        !error && <p className="muted">Loading…</p>
      ) : data.length === 0 ? (
        <p className="muted">No run matches.</p>
      ) : (
        <>
          <RunsTable rows={data} label="Runs" />
          {data.length >= limit && <p className="muted small">The {limit} most recently updated runs; narrow the filter to see others.</p>}
        </>
      )}
    </section>
  );
}

/** One of a fixed set of values, or "any". */
function Choice<T extends string>({ label, options, value, onChange }: { label: string; options: readonly T[]; value: T | undefined; onChange: (value: T | undefined) => void }) {
  return (
    <label>
      {label}
      <select value={value ?? ''} onChange={(e) => onChange((e.target.value || undefined) as T | undefined)}>
        <option value="">any</option>
        {options.map((s) => (
          <option key={s} value={s}>
            {s}
          </option>
        ))}
      </select>
    </label>
  );
}
