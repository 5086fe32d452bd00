import { useSpectralClient, useTask, useTaskEvents } from '@spectralnotify/react';
import { useState } from 'react';
import { can } from '../app/session';
import { useSession } from '../app/sessionContext';
import { ProgressBar } from '../components/ProgressBar';
import { Time } from '../components/Time';

const terminal = new Set(['success', 'failed', 'canceled']);

/** One task, live: progress, status, timestamps, its event timeline and the actions the key may take. */
export function TaskDetail({ id }: { id: string }) {
  const session = useSession();
  const client = useSpectralClient();
  const task = useTask(id);
  const events = useTaskEvents(id);
  const [actionError, setActionError] = useState<string>();
  const t = task.data;

  const act = async (action: () => Promise<unknown>) => {
    setActionError(undefined);
    try {
      await action();
    } catch (err) {
      setActionError(err instanceof Error ? err.message : String(err));
    }
  };

  if (t === undefined) return <p className="muted">Loading…</p>;
  if (t === null) return <p role="alert">No task '{id}'.</p>;
  const running = !terminal.has(t.status);
  return (
    <section>
      <h1>{t.title ?? t.id}</h1>
      <dl className="facts">
        <dt>Status</dt>
        <dd>
          <span className={`status status-${t.status}`} data-testid="task-status">
            {t.status}
          </span>
        </dd>
        <dt>Progress</dt>
        <dd>
          <ProgressBar value={t.progress} label="Task progress" status={t.status} /> {Math.round(t.progress)} %
        </dd>
        <dt>Created</dt>
        <dd>
          <Time value={t.createdAt} />
        </dd>
        <dt>Updated</dt>
        <dd>
          <Time value={t.updatedAt} />
        </dd>
        {t.error && (
          <>
            <dt>Error</dt>
            <dd className="error">{t.error}</dd>
          </>
        )}
      </dl>
      {can(session, 'write') && running && (
        <div className="actions">
          <button onClick={() => act(() => client.tasks.complete(id))}>Complete</button>
          <button onClick={() => act(() => client.tasks.fail(id, 'Failed from the dashboard'))}>Fail</button>
          <button onClick={() => act(() => client.tasks.cancel(id, { reason: 'Canceled from the dashboard' }))}>Cancel</button>
        </div>
      )}
      {actionError && <p role="alert" className="error">{actionError}</p>}
      <h2>Events</h2>
      <ol className="timeline" aria-label="Events">
        {(events.data ?? []).map((e) => (
          <li key={e.seq} className={`event event-${e.type}`}>
            <span className="seq">#{e.seq}</span> <span className="type">{e.type}</span> {e.message} <Time value={e.timestamp} />
          </li>
        ))}
      </ol>
      <h2>Metadata</h2>
      <pre className="json">{JSON.stringify(t.metadata, null, 2)}</pre>
    </section>
  );
}
