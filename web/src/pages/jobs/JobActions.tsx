import type { Job } from '@spectralnotify/client';
import { useSpectralClient } from '@spectralnotify/react';
import { useState } from 'react';
import { Link } from 'wouter';
import { can } from '../../app/session';
import { useSession } from '../../app/sessionContext';
import { useAction } from '../../components/useAction';
import { ActionError } from './ActionError';
import { explained } from './actions';

/**
 * Trigger, pause / resume for write keys; delete / restore for admin keys (deleting needs admin
 * everywhere, docs/security.md). The definition is REST (no live topic
 * carries it), so `onChanged` gets the job as the server answered and the page shows that.
 */
export function JobActions({ job, onChanged }: { job: Job; onChanged: (job: Job | undefined) => void }) {
  const session = useSession();
  const client = useSpectralClient();
  const action = useAction();
  const [triggered, setTriggered] = useState<string>();
  if (!can(session, 'write')) return null;
  const change = (call: () => Promise<Job | void>) =>
    action.run(async () => {
      setTriggered(undefined);
      const changed = await explained(call);
      onChanged(changed ?? undefined);
    });
  const name = job.id;
  const admin = can(session, 'admin');
  return (
    <div className="job-actions">
      {job.deletedAt ? (
        admin && (
          <button type="button" disabled={action.busy} onClick={() => change(() => client.jobs.restore(job.id))} aria-label={`Restore ${name}`}>
            Restore
          </button>
        )
      ) : (
        <>
          <button
            type="button"
            disabled={action.busy}
            aria-label={`Trigger now: ${name}`}
            onClick={() =>
              action.run(async () => {
                const run = await explained(() => client.jobs.trigger(job.id));
                setTriggered(run.id);
              })
            }
          >
            Trigger now
          </button>
          {job.state === 'paused' ? (
            <button type="button" disabled={action.busy} onClick={() => change(() => client.jobs.resume(job.id))} aria-label={`Resume ${name}`}>
              Resume
            </button>
          ) : (
            <button type="button" disabled={action.busy} onClick={() => change(() => client.jobs.pause(job.id))} aria-label={`Pause ${name}`}>
              Pause
            </button>
          )}
          {admin && (
            <button type="button" disabled={action.busy} onClick={() => change(() => client.jobs.delete(job.id))} aria-label={`Delete ${name}`}>
              Delete
            </button>
          )}
        </>
      )}
      {triggered && (
        <span role="status" className="small">
          Triggered <Link href={`/runs/${encodeURIComponent(triggered)}`}>{triggered}</Link>
        </span>
      )}
      <ActionError error={action.error} />
    </div>
  );
}
