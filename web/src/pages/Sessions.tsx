import { useSpectralClient } from '@spectralnotify/react';
import { useCallback, useState } from 'react';
import { can } from '../app/session';
import { useSession } from '../app/sessionContext';
import { ErrorAlert } from '../components/ErrorAlert';
import { useLoad } from '../components/useLoad';
import { Time } from '../components/Time';
import { bySessionNode, watches } from './sessionRows';

/**
 * Who watches what, per node. The server records sessions in the database but publishes no live
 * topic for them, so this page reads them by REST when it opens and on "Refresh" (no timer).
 */
export function Sessions() {
  const session = useSession();
  return (
    <section>
      <h1>Sessions</h1>
      {can(session, 'admin') ? <SessionList /> : <p className="muted">Live sessions are operator data: only admin keys can see them.</p>}
    </section>
  );
}

function SessionList() {
  const client = useSpectralClient();
  const [activeOnly, setActiveOnly] = useState(true);
  const {
    data: sessions,
    error,
    busy,
    loadedAt,
    reload: load,
  } = useLoad(useCallback(() => client.sessions.query(activeOnly ? { active: true, limit: 500 } : { limit: 500 }).then((page) => page.data), [client, activeOnly]));

  const nodes = bySessionNode(sessions ?? []);
  return (
    <>
      <p className="muted">
        Not live: this list is read when the page opens and when you refresh it. {loadedAt && <>Read at <Time value={loadedAt} />.</>}
      </p>
      <div className="filters">
        <button type="button" onClick={load} disabled={busy}>
          Refresh
        </button>
        <label>
          <input type="checkbox" checked={activeOnly} onChange={(e) => setActiveOnly(e.target.checked)} /> Open connections only
        </label>
      </div>
      <ErrorAlert message={error} />
      {sessions === undefined ? (
        !error && <p className="muted">Loading…</p>
      ) : sessions.length === 0 ? (
        <p className="muted">No sessions.</p>
      ) : (
        nodes.map(([node, rows]) => (
          <section key={node} aria-label={`Node ${node}`}>
            <h2>
              Node <code>{node}</code> <span className="muted">({rows.length} {rows.length === 1 ? 'connection' : 'connections'})</span>
            </h2>
            <div className="table-scroll" tabIndex={0}>
              <table className="list" aria-label={`Sessions on node ${node}`}>
                <thead>
                  <tr>
                    <th scope="col">Key</th>
                    <th scope="col">Connection</th>
                    <th scope="col">Watches</th>
                    <th scope="col">Client</th>
                    <th scope="col">Connected since</th>
                    <th scope="col">Last heartbeat</th>
                    <th scope="col">State</th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((s) => (
                    <tr key={s.id} data-session-id={s.id}>
                      <td>{s.user ?? <span className="muted">anonymous</span>}</td>
                      <td>
                        {s.connectionType} <code className="muted" title={s.id}>{s.id.slice(-8)}</code>
                      </td>
                      <td>{watches(s)}</td>
                      <td>{s.clientId ?? <span className="muted">—</span>}</td>
                      <td>
                        <Time value={s.createdAt as string} />
                      </td>
                      <td>
                        <Time value={s.lastHeartbeat as string} />
                      </td>
                      <td>{s.active ? 'open' : <>ended <Time value={s.endedAt as string | null} /></>}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </section>
        ))
      )}
    </>
  );
}
