interface EventTargetLike {
  addEventListener?: (type: string, listener: () => void) => void;
  removeEventListener?: (type: string, listener: () => void) => void;
}

/**
 * Calls `retry` when the browser says the network is back (`online`) or the tab became visible
 * again (`visibilitychange`): the moment a user looks, a reconnect should not wait out a 20 s
 * backoff. Does nothing where these events do not exist (Node, React Native: call
 * `client.connection.retryNow()` from AppState / NetInfo there). Returns the function that stops.
 */
export function watchWakeUps(retry: () => void): () => void {
  const g = globalThis as EventTargetLike & { document?: EventTargetLike & { visibilityState?: string } };
  const doc = g.document;
  const onVisible = () => {
    if (doc?.visibilityState === 'visible') retry();
  };
  g.addEventListener?.('online', retry);
  doc?.addEventListener?.('visibilitychange', onVisible);
  return () => {
    g.removeEventListener?.('online', retry);
    doc?.removeEventListener?.('visibilitychange', onVisible);
  };
}
