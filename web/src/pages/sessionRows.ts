import type { Session } from '@spectralnotify/client';

/** Sessions grouped by the node holding the connection, nodes by name, newest connection first. */
export function bySessionNode(sessions: readonly Session[]): [string, Session[]][] {
  const nodes = new Map<string, Session[]>();
  for (const s of sessions) {
    const node = typeof s.nodeId === 'string' ? s.nodeId : 'unknown';
    nodes.set(node, [...(nodes.get(node) ?? []), s]);
  }
  const newestFirst = (a: Session, b: Session) => String(b.createdAt ?? '').localeCompare(String(a.createdAt ?? ''));
  return [...nodes.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([node, rows]) => [node, rows.sort(newestFirst)]);
}

/**
 * What a session watches, in words. A protocol-v1 connection watches one entity (`task` `t-1`); a
 * protocol-v2 connection (`/api/v1/live`) multiplexes subscriptions that change while it is open,
 * so the server keeps its row's `entityId` current (`task:t-1, tasks {"status":["failed"]}`, or
 * `none`), written about a second after each change; `*` until its first subscription is recorded.
 */
export function watches(s: Session): string {
  if (s.entityType === 'live') {
    const what = String(s.entityId ?? '*');
    return what === '*' ? 'live (protocol v2): subscribing…' : what === 'none' ? 'live (protocol v2): nothing now' : `live: ${what}`;
  }
  return `${String(s.entityType ?? '?')} ${String(s.entityId ?? '')}`.trim();
}
