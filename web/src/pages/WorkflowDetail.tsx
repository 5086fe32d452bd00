import { useSpectralClient, useTaskList, useWorkflow, useWorkflowEvents } from '@spectralnotify/react';
import { Fragment } from 'react';
import { Link, useLocation } from 'wouter';
import { can } from '../app/session';
import { useSession } from '../app/sessionContext';
import { ConfirmButton } from '../components/ConfirmButton';
import { ErrorAlert } from '../components/ErrorAlert';
import { JsonView } from '../components/JsonView';
import { ProgressBar } from '../components/ProgressBar';
import { StatusBadge } from '../components/StatusBadge';
import { Time } from '../components/Time';
import { useAction } from '../components/useAction';
import { PhaseTree } from './PhaseTree';
import './Workflows.css';

const terminal = new Set(['success', 'failed', 'canceled']);

/** One workflow, live: its phase tree with weights and roll-up, its tasks, its history, and what the key may do to it. */
export function WorkflowDetail({ id }: { id: string }) {
  const session = useSession();
  const client = useSpectralClient();
  const [, navigate] = useLocation();
  const workflow = useWorkflow(id);
  const events = useWorkflowEvents(id);
  const tasks = useTaskList({ workflowId: id }, { limit: 100 });
  const action = useAction();
  const w = workflow.data;

  if (w === undefined) {
    return workflow.error ? <ErrorAlert message={workflow.error.message} /> : <p className="muted">Loading…</p>;
  }
  if (w === null) {
    return (
      <section>
        <h1 className="long-title">Workflow {id}</h1>
        <p role="alert">
          No workflow '{id}'. <Link href="/workflows">All workflows</Link>
        </p>
      </section>
    );
  }
  const running = !terminal.has(w.status);
  return (
    <section>
      <h1 className="long-title">Workflow {w.id}</h1>
      <div className="overall">
        <StatusBadge status={w.status} testId="workflow-status" />
        <ProgressBar value={w.overallProgress} label="Workflow progress" status={w.status} />
        <span data-testid="workflow-progress">{w.overallProgress} %</span>
      </div>
      <dl className="facts">
        <dt>Phases done</dt>
        <dd>
          {w.completedPhaseCount} of {w.expectedPhaseCount}
          {w.allPhasesDone && running && <span className="muted"> (every phase succeeded; complete the workflow to end it)</span>}
        </dd>
        <dt>Active phase</dt>
        <dd>{w.activePhaseKey ?? <span className="muted">—</span>}</dd>
        <dt>Created</dt>
        <dd>
          <Time value={w.createdAt} /> {w.createdBy && <span className="muted">by {w.createdBy}</span>}
        </dd>
        <dt>Updated</dt>
        <dd>
          <Time value={w.updatedAt} />
        </dd>
        {(
          [
            ['Completed', w.completedAt],
            ['Failed', w.failedAt],
            ['Canceled', w.canceledAt],
          ] as const
        )
          .filter(([, at]) => at)
          .map(([what, at]) => (
            <Fragment key={what}>
              <dt>{what}</dt>
              <dd>
                <Time value={at} />
              </dd>
            </Fragment>
          ))}
      </dl>
      {(can(session, 'write') || can(session, 'admin')) && (
        <div className="actions">
          {can(session, 'write') && running && (
            <>
              <button type="button" disabled={action.busy} onClick={() => action.run(() => client.workflows.complete(id))}>
                Complete
              </button>
              <button type="button" disabled={action.busy} onClick={() => action.run(() => client.workflows.fail(id, 'Failed from the dashboard'))}>
                Fail
              </button>
              <button type="button" disabled={action.busy} onClick={() => action.run(() => client.workflows.cancel(id))}>
                Cancel
              </button>
            </>
          )}
          {/* Deleting erases history others rely on: the server allows it to admin keys only. */}
          {can(session, 'admin') && (
            <ConfirmButton
              label="Delete"
              confirmLabel="Delete workflow"
              question={`Delete workflow ${id} and its history?`}
              disabled={action.busy}
              onConfirm={async () => {
                if (await action.run(() => client.workflows.delete(id))) navigate('/workflows');
              }}
            />
          )}
        </div>
      )}
      <ErrorAlert message={action.error} />
      <h2>Phases</h2>
      <PhaseTree phases={w.phases ?? []} />
      <h2>Tasks</h2>
      <ErrorAlert message={tasks.error?.message} />
      {tasks.data === undefined ? (
        !tasks.error && <p className="muted">Loading…</p>
      ) : tasks.data.length === 0 ? (
        <p className="muted">No task was created with this workflow's id.</p>
      ) : (
        <div className="table-scroll" tabIndex={0}>
          <table className="list" aria-label="Tasks of the workflow">
            <thead>
              <tr>
                <th scope="col">Task</th>
                <th scope="col">Status</th>
                <th scope="col">Progress</th>
                <th scope="col">Updated</th>
              </tr>
            </thead>
            <tbody>
              {tasks.data.map((t) => (
                <tr key={t.id} data-task-id={t.id}>
                  <td>
                    <Link href={`/tasks/${encodeURIComponent(t.id)}`}>{t.title ?? t.id}</Link>
                  </td>
                  <td>
                    <StatusBadge status={t.status} />
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
        </div>
      )}
      <h2>Events</h2>
      <ErrorAlert message={events.error?.message} />
      {events.data === undefined ? (
        !events.error && <p className="muted">Loading…</p>
      ) : (
        <ol className="workflow-events" aria-label="Workflow events">
          {events.data.map((e) => (
            <li key={e.seq} className={`event event-${e.type}`}>
              <span className="seq">#{e.seq}</span> <span className="type">{e.type}</span>
              {e.phaseKey && <code> {e.phaseKey}</code>}
              {e.progress !== null && <span> {e.progress} %</span>} {e.message} <Time value={e.timestamp} />
            </li>
          ))}
        </ol>
      )}
      <h2>Metadata</h2>
      <JsonView value={w.metadata} label="Workflow metadata" />
    </section>
  );
}
