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
 * protocol-v2 connection (`/api/v1/live`) multiplexes many subscriptions that change while it is
 * open, so the server records it as `live` `*`.
 */
export function watches(s: Session): string {
  if (s.entityType === 'live') return 'live subscriptions (protocol v2)';
  return `${String(s.entityType ?? '?')} ${String(s.entityId ?? '')}`.trim();
}
