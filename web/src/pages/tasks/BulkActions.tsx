import { useSpectralClient } from '@spectralnotify/react';
import { useEffect, useRef, useState } from 'react';

export type BulkKind = 'cancel' | 'delete';

export interface BulkResult {
  id: string;
  ok: boolean;
  message: string;
}

const words = { cancel: { verb: 'Cancel', done: 'canceled' }, delete: { verb: 'Delete', done: 'deleted' } };

/**
 * The confirmation of a bulk cancel or delete: a modal `<dialog>` (focus stays inside; Escape
 * closes it). Confirming runs one call per task and reports each outcome, so a task that had
 * already finished (409) or was gone (404) is named with the server's reason while the rest go through.
 */
export function BulkDialog({ kind, ids, onClose }: { kind: BulkKind | null; ids: string[]; onClose: (results?: BulkResult[]) => void }) {
  const client = useSpectralClient();
  const dialog = useRef<HTMLDialogElement>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    const d = dialog.current;
    if (!d) return;
    if (kind && !d.open) d.showModal();
    if (!kind && d.open) d.close();
  }, [kind]);

  const confirm = async () => {
    if (!kind) return;
    setBusy(true);
    const results = await Promise.all(
      ids.map(async (id): Promise<BulkResult> => {
        try {
          if (kind === 'cancel') await client.tasks.cancel(id, { reason: 'canceled from the dashboard' });
          else await client.tasks.delete(id);
          return { id, ok: true, message: words[kind].done };
        } catch (err) {
          return { id, ok: false, message: err instanceof Error ? err.message : String(err) };
        }
      }),
    );
    setBusy(false);
    onClose(results);
  };

  const w = kind ? words[kind] : words.cancel;
  return (
    <dialog ref={dialog} aria-labelledby="bulk-title" onClose={() => kind && !busy && onClose()} className="bulk-dialog">
      <h2 id="bulk-title">
        {w.verb} {ids.length} {ids.length === 1 ? 'task' : 'tasks'}?
      </h2>
      <ul className="bulk-ids">
        {ids.slice(0, 20).map((id) => (
          <li key={id}>{id}</li>
        ))}
        {ids.length > 20 && <li>… and {ids.length - 20} more</li>}
      </ul>
      {kind === 'delete' && <p>Deleting removes each task and its history; it cannot be undone.</p>}
      <div className="bulk-buttons">
        <button type="button" onClick={() => onClose()} disabled={busy}>
          Keep them
        </button>
        <button type="button" className="danger" onClick={confirm} disabled={busy}>
          {busy ? 'Working…' : `${w.verb} ${ids.length}`}
        </button>
      </div>
    </dialog>
  );
}

/** What the last bulk action did, one line per task. */
export function BulkReport({ results }: { results: BulkResult[] }) {
  const failed = results.filter((r) => !r.ok).length;
  return (
    <div role="status" className="bulk-report" data-testid="bulk-report">
      <p>
        {results.length - failed} of {results.length} done{failed ? `, ${failed} failed` : ''}.
      </p>
      <ul>
        {results.map((r) => (
          <li key={r.id} className={r.ok ? 'bulk-ok' : 'bulk-failed'} data-task-result={r.id}>
            <strong>{r.id}</strong>: {r.message}
          </li>
        ))}
      </ul>
    </div>
  );
}
