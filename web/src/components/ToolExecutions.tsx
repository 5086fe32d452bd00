import type { ToolExecution } from '@spectralnotify/client';
import { useSpectralClient } from '@spectralnotify/react';
import { useEffect, useState } from 'react';
import { JsonView } from './JsonView';
import { StatusBadge } from './StatusBadge';
import { Time } from './Time';

/**
 * The task's tool executions. They are read again when the task's history moves (`lastSeq`: every
 * tool start and end is a task event), so the table follows the live task without polling.
 */
export function ToolExecutions({ taskId, lastSeq }: { taskId: string; lastSeq: number }) {
  const client = useSpectralClient();
  const [rows, setRows] = useState<readonly ToolExecution[]>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    let live = true;
    const timer = setTimeout(() => {
      client.tasks.tools.query(taskId).then(
        (page) => live && (setRows(page.data), setError(undefined)),
        (err: Error) => live && setError(err.message),
      );
    }, 250); // at most a few reads per second while events stream in
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [client, taskId, lastSeq]);
  if (error) return <p role="alert" className="error">{error}</p>;
  if (!rows) return <p className="muted">Loading…</p>;
  if (rows.length === 0) return <p className="muted">No tool executions.</p>;
  return (
    <div className="table-scroll" tabIndex={0}>
      <table className="list" aria-label="Tool executions">
        <thead>
          <tr>
            <th scope="col">Tool</th>
            <th scope="col">Status</th>
            <th scope="col">Started</th>
            <th scope="col">Duration</th>
            <th scope="col">Arguments and output</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((x) => (
            <tr key={x.id}>
              <td>{x.toolName}</td>
              <td>
                <StatusBadge status={x.status} />
                {x.error && <div className="error">{x.error}</div>}
              </td>
              <td>
                <Time value={x.startedAt} />
              </td>
              <td>{x.durationMs === null ? '—' : `${x.durationMs} ms`}</td>
              <td>
                <JsonView value={{ arguments: x.arguments, output: x.output }} label={`${x.toolName} arguments and output`} open={false} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
