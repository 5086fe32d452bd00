import type { Run } from '@spectralnotify/client';
import { useSpectralClient } from '@spectralnotify/react';
import { useState } from 'react';
import { Link } from 'wouter';
import { can } from '../../app/session';
import { useSession } from '../../app/sessionContext';
import { useAction } from '../../components/useAction';
import { ActionError } from './ActionError';
import { explained } from './actions';

/** A run may be retried only once it ended failed or canceled (the server answers 409 otherwise). */
export const retryable = (run: Pick<Run, 'state' | 'status'>) => run.state === 'done' && (run.status === 'failed' || run.status === 'canceled');
/** A run still queued or running may be canceled, once: a running one stops when its worker hears of it. */
export const cancelable = (run: Pick<Run, 'state' | 'cancelRequested'>) => run.state !== 'done' && !run.cancelRequested;

/**
 * Cancel (through the run's task, as docs/jobs.md says) and retry (a new run, due now) for write
 * keys; a read key sees nothing here.
 */
export function RunActions({ run }: { run: Run }) {
  const session = useSession();
  const client = useSpectralClient();
  const action = useAction();
  const [retriedAs, setRetriedAs] = useState<string>();
  if (!can(session, 'write')) return null;
  return (
    <div className="run-actions">
      {cancelable(run) && (
        <button type="button" disabled={action.busy} onClick={() => action.run(() => explained(() => client.tasks.cancel(run.id, { reason: 'Canceled from the dashboard' })))}>
          Cancel
        </button>
      )}
      {retryable(run) && (
        <button
          type="button"
          disabled={action.busy}
          onClick={() =>
            action.run(async () => {
              const next = await explained(() => client.runs.retry(run.id));
              setRetriedAs(next.id);
            })
          }
        >
          Retry
        </button>
      )}
      {retriedAs && (
        <span role="status">
          Retried as <Link href={`/runs/${encodeURIComponent(retriedAs)}`}>{retriedAs}</Link>
        </span>
      )}
      <ActionError error={action.error} />
    </div>
  );
}
