import type { CreateJobRequest, Job } from '@spectralnotify/client';
import { useSpectralClient } from '@spectralnotify/react';
import { useCallback, useEffect, useState } from 'react';
import { Link, useLocation, useSearch } from 'wouter';
import { can } from '../app/session';
import { useSession } from '../app/sessionContext';
import { StatusBadge } from '../components/StatusBadge';
import { Time } from '../components/Time';
import { useAction } from '../components/useAction';
import { ActionError } from './jobs/ActionError';
import { explained, parseBody } from './jobs/actions';
import { JobActions } from './jobs/JobActions';
import { problemText } from './jobs/problem';
import { RecentRuns } from './jobs/RecentRuns';
import { scheduleInWords } from './jobs/schedule';
import './Jobs.css';

/**
 * Each shown job holds a live subscription for its recent runs, and a connection holds at most 100:
 * the definitions come 50 to a page.
 */
const pageSize = 50;

/**
 * Job definitions arrive over REST (no live topic carries them): loaded a page at a time, read again
 * after each action and on Refresh. `pages` is the cursors of the pages before the one shown.
 */
function useJobs(includeDeleted: boolean) {
  const client = useSpectralClient();
  const [jobs, setJobs] = useState<Job[]>();
  const [next, setNext] = useState<string | null>(null);
  const [pages, setPages] = useState<(string | undefined)[]>([]);
  const [cursor, setCursor] = useState<string>();
  const [error, setError] = useState<string>();
  const [generation, setGeneration] = useState(0);
  // Another listing starts at its first page; reset while rendering so no query goes out with the old cursor.
  const [listing, setListing] = useState(includeDeleted);
  if (listing !== includeDeleted) {
    setListing(includeDeleted);
    setPages([]);
    setCursor(undefined);
  }
  useEffect(() => {
    let current = true;
    client.jobs.query({ includeDeleted, limit: pageSize, ...(cursor ? { cursor } : {}) }).then(
      (page) => {
        if (!current) return;
        setJobs(page.data);
        setNext(page.next);
        setError(undefined);
      },
      (err: unknown) => current && setError(problemText(err)),
    );
    return () => {
      current = false;
    };
  }, [client, includeDeleted, cursor, generation]);
  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  const forward = next
    ? () => {
        setPages((p) => [...p, cursor]);
        setCursor(next);
      }
    : undefined;
  const back = pages.length
    ? () => {
        setCursor(pages[pages.length - 1]);
        setPages((p) => p.slice(0, -1));
      }
    : undefined;
  return { jobs, error, reload, forward, back };
}

/** Jobs: each definition with its schedule in words, next firing, queue, state and its last runs live. */
export function Jobs() {
  const session = useSession();
  const search = new URLSearchParams(useSearch());
  const [, navigate] = useLocation();
  const includeDeleted = search.get('deleted') === '1';
  const { jobs, error, reload, forward, back } = useJobs(includeDeleted);

  return (
    <section className="jobs-page">
      <h1>Jobs</h1>
      <p className="muted">Definitions are read when the page opens and after each action here (Refresh reads them again); their runs are live.</p>
      <form className="filters" onSubmit={(e) => e.preventDefault()}>
        <label>
          <input type="checkbox" checked={includeDeleted} onChange={(e) => navigate(`/jobs${e.target.checked ? '?deleted=1' : ''}`)} />
          Show deleted jobs
        </label>
        <button type="button" onClick={reload}>
          Refresh
        </button>
      </form>
      <ActionError error={error} />
      {jobs === undefined ? (
        !error && <p className="muted">Loading…</p>
      ) : jobs.length === 0 ? (
        <p className="muted">No job yet.</p>
      ) : (
        <div className="table-scroll" tabIndex={0}>
          <table className="list" aria-label="Jobs">
            <thead>
              <tr>
                <th scope="col">Job</th>
                <th scope="col">Type / queue</th>
                <th scope="col">Schedule</th>
                <th scope="col">State</th>
                <th scope="col">Next fire</th>
                <th scope="col">Recent runs</th>
                {can(session, 'write') && <th scope="col">Actions</th>}
              </tr>
            </thead>
            <tbody>
              {jobs.map((j) => (
                <tr key={j.id} data-job-id={j.id}>
                  <td>
                    <Link href={`/jobs/${encodeURIComponent(j.id)}`}>{j.id}</Link>
                  </td>
                  <td>
                    {j.type}
                    <br />
                    <span className="muted small">
                      {j.queue} · priority {j.priority}
                    </span>
                  </td>
                  <td>{scheduleInWords(j.schedule)}</td>
                  <td>
                    <StatusBadge status={j.deletedAt ? 'deleted' : j.state} testId="job-state" />
                  </td>
                  <td>{j.deletedAt || j.state === 'paused' ? <span className="muted">—</span> : <Time value={j.nextFireAt} />}</td>
                  <td>
                    <RecentRuns jobId={j.id} />
                  </td>
                  {can(session, 'write') && (
                    <td>
                      <JobActions job={j} onChanged={reload} />
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {(back || forward) && (
        <div className="actions">
          <button type="button" disabled={!back} onClick={back}>
            Previous page
          </button>
          <button type="button" disabled={!forward} onClick={forward}>
            Next page
          </button>
        </div>
      )}
      {can(session, 'write') && <CreateJob onCreated={reload} />}
    </section>
  );
}

const example: CreateJobRequest = {
  id: 'nightly-report',
  type: 'report',
  queue: 'default',
  payload: { format: 'pdf' },
  maxRetries: 3,
  schedule: { cron: '0 2 * * *', timezone: 'Europe/Berlin' },
};

/** A job created from the JSON body of POST /api/v1/jobs; the server's problem details show as they came. */
function CreateJob({ onCreated }: { onCreated: () => void }) {
  const client = useSpectralClient();
  const action = useAction();
  const [text, setText] = useState(() => JSON.stringify(example, null, 2));
  const [created, setCreated] = useState<Job>();
  const submit = () =>
    action.run(async () => {
      setCreated(undefined);
      const body = parseBody<CreateJobRequest>(text);
      const job = await explained(() => client.jobs.create(body));
      setCreated(job);
      onCreated();
    });
  return (
    <form
      className="json-editor"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <h2>Create a job</h2>
      <label htmlFor="job-create-json">Job definition (JSON body of POST /api/v1/jobs)</label>
      <textarea id="job-create-json" value={text} onChange={(e) => setText(e.target.value)} spellCheck={false} rows={12} />
      <div className="actions">
        <button type="submit" disabled={action.busy}>
          Create job
        </button>
      </div>
      {created && (
        <p role="status">
          Created <Link href={`/jobs/${encodeURIComponent(created.id)}`}>{created.id}</Link>
          {created.run ? ` and its first run ${created.run.id}` : ''}.
        </p>
      )}
      <ActionError error={action.error} />
    </form>
  );
}
