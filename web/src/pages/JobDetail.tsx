import { SpectralError, type Job, type PatchJobRequest } from '@spectralnotify/client';
import { useJobRuns, useSpectralClient } from '@spectralnotify/react';
import { useCallback, useEffect, useState } from 'react';
import { can } from '../app/session';
import { useSession } from '../app/sessionContext';
import { JsonView } from '../components/JsonView';
import { StatusBadge } from '../components/StatusBadge';
import { Time } from '../components/Time';
import { useAction } from '../components/useAction';
import { ActionError } from './jobs/ActionError';
import { parseBody } from './jobs/actions';
import { editableOf } from './jobs/editable';
import { JobActions } from './jobs/JobActions';
import { problemText } from './jobs/problem';
import { RunsTable } from './jobs/RunsTable';
import { scheduleInWords, zoneTime } from './jobs/schedule';
import './Jobs.css';

type Loaded = { job: Job; times: string[]; timeZone: string | null };

/** The definition and its next firings over REST (read again after each change made here). */
function useJob(id: string) {
  const client = useSpectralClient();
  const [loaded, setLoaded] = useState<Loaded | null>();
  const [error, setError] = useState<string>();
  const load = useCallback(async () => {
    try {
      const [job, preview] = await Promise.all([client.jobs.get(id), client.jobs.preview(id, 5)]);
      setLoaded({ job, times: preview.times, timeZone: preview.timeZone });
      setError(undefined);
      return job;
    } catch (err) {
      if (err instanceof SpectralError && err.status === 404) setLoaded(null);
      else setError(problemText(err));
      return undefined;
    }
  }, [client, id]);
  useEffect(() => {
    void load();
  }, [load]);
  return { loaded, error, load };
}

/** One job: definition, next fire times, its runs live, actions and an If-Match guarded JSON editor. */
export function JobDetail({ id }: { id: string }) {
  const session = useSession();
  const { loaded, error, load } = useJob(id);
  const runs = useJobRuns(id, { limit: 50 });

  if (loaded === undefined) return error ? <p role="alert" className="error problem">{error}</p> : <p className="muted">Loading…</p>;
  if (loaded === null) return <p role="alert">No job '{id}'.</p>;
  const { job, times, timeZone } = loaded;
  return (
    <section className="job-detail">
      <h1>Job {job.id}</h1>
      <ActionError error={error} />
      <dl className="facts">
        <dt>State</dt>
        <dd>
          <StatusBadge status={job.deletedAt ? 'deleted' : job.state} testId="job-state" />
        </dd>
        <dt>Schedule</dt>
        <dd data-testid="job-schedule">{scheduleInWords(job.schedule)}</dd>
        <dt>Type / queue</dt>
        <dd>
          {job.type} on {job.queue}, priority {job.priority}
        </dd>
        <dt>Attempts</dt>
        <dd>
          up to {1 + job.maxRetries}
          {job.timeoutSeconds ? `, ${job.timeoutSeconds} s each` : ''}
        </dd>
        <dt>Version</dt>
        <dd data-testid="job-version">{job.version}</dd>
        <dt>Updated</dt>
        <dd>
          <Time value={job.updatedAt} />
        </dd>
        {job.deletedAt && (
          <>
            <dt>Deleted</dt>
            <dd>
              <Time value={job.deletedAt} />
            </dd>
          </>
        )}
      </dl>
      <JobActions job={job} onChanged={() => void load()} />
      <h2>Next fire times{timeZone ? ` (${timeZone})` : ''}</h2>
      {job.deletedAt || job.state === 'paused' ? (
        <p className="muted">None while the job is {job.deletedAt ? 'deleted' : 'paused'}.</p>
      ) : times.length === 0 ? (
        <p className="muted">None: {job.schedule ? 'the schedule has no firing left' : 'a manual job runs only when triggered'}.</p>
      ) : (
        <ol className="fire-times" aria-label="Next fire times">
          {times.map((t) => (
            <li key={t}>
              {/* The server's wall-clock time in the schedule's zone is what the cron means; the reader's own follows. */}
              <time dateTime={t}>{zoneTime(t)}</time> <span className="muted small">(<Time value={t} />)</span>
            </li>
          ))}
        </ol>
      )}
      <JsonView value={job} label="Definition" />
      {can(session, 'write') && !job.deletedAt && <EditJob job={job} reload={load} />}
      <h2>Runs</h2>
      {runs.error && (
        <p role="alert" className="error">
          {runs.error.message}
        </p>
      )}
      {runs.data === undefined ? (
        <p className="muted">Loading…</p>
      ) : runs.data.length === 0 ? (
        <p className="muted">No run yet.</p>
      ) : (
        <RunsTable rows={runs.data} label="Runs of this job" showJob={false} />
      )}
    </section>
  );
}

/**
 * The definition as JSON, saved with If-Match: the version it was loaded at. When someone changed
 * the job meanwhile, the server answers 412 and nothing is overwritten: the page shows the current
 * version and the person decides whether to load it (and redo the edit on top).
 */
function EditJob({ job, reload }: { job: Job; reload: () => Promise<Job | undefined> }) {
  const client = useSpectralClient();
  const action = useAction();
  const [base, setBase] = useState(job.version);
  const [loadedText, setLoadedText] = useState(() => JSON.stringify(editableOf(job), null, 2));
  const [text, setText] = useState(loadedText);
  const [conflict, setConflict] = useState<Job>();
  const [saved, setSaved] = useState<number>();

  const startFrom = (current: Job) => {
    const fresh = JSON.stringify(editableOf(current), null, 2);
    setBase(current.version);
    setLoadedText(fresh);
    setText(fresh);
    setConflict(undefined);
  };

  // A change made on this page (pause, resume) moves the version: an untouched editor follows it,
  // while an edit in progress keeps its base so saving it cannot silently overwrite the change.
  const untouched = text === loadedText;
  useEffect(() => {
    if (untouched && job.version !== base) startFrom(job);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [job]);

  const save = () =>
    action.run(async () => {
      setSaved(undefined);
      const body = parseBody<PatchJobRequest>(text);
      try {
        const updated = await client.jobs.update(job.id, body, { ifMatch: base });
        setSaved(updated.version);
        const current = await reload();
        startFrom(current ?? updated);
      } catch (err) {
        if (err instanceof SpectralError && err.status === 412) {
          setConflict(await client.jobs.get(job.id));
          return;
        }
        throw new Error(problemText(err));
      }
    });

  return (
    <form
      className="json-editor"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <h2>Edit</h2>
      <label htmlFor="job-edit-json">Definition (JSON of the fields to change; saved only if the job is still at version {base})</label>
      <textarea id="job-edit-json" value={text} onChange={(e) => setText(e.target.value)} spellCheck={false} rows={14} />
      <div className="actions">
        <button type="submit" disabled={action.busy}>
          Save
        </button>
      </div>
      {saved !== undefined && <p role="status">Saved as version {saved}.</p>}
      <ActionError error={action.error} />
      {conflict && (
        <div className="conflict" role="alert" data-testid="conflict">
          <p>
            <strong>Not saved: someone else changed this job.</strong> You edited version {base}; it is now version {conflict.version} (updated{' '}
            <Time value={conflict.updatedAt} />
            ). Load the current version and make your change again.
          </p>
          <JsonView value={editableOf(conflict)} label={`Current version ${conflict.version}`} open />
          <button
            type="button"
            onClick={() => {
              startFrom(conflict);
              void reload();
            }}
          >
            Load the current version
          </button>
        </div>
      )}
    </form>
  );
}
