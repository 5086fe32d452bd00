import { useCallback, useEffect, useRef, useState } from 'react';

/**
 * Data read by REST (for what has no live topic: keys, sessions, the list of counters): read when
 * the page opens and again on `reload` (a button, or after a change the page made), never on a timer.
 * `read` must be stable (useCallback) or the data is read again on every render.
 */
export function useLoad<T>(read: () => Promise<T>) {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [loadedAt, setLoadedAt] = useState<string>();
  // Only the latest read may answer: an older one finishing late must not overwrite it.
  const latest = useRef(0);
  const reload = useCallback(() => {
    const mine = ++latest.current;
    setBusy(true);
    setError(undefined);
    read().then(
      (value) => {
        if (mine !== latest.current) return;
        setData(value);
        setLoadedAt(new Date().toISOString());
        setBusy(false);
      },
      (err: unknown) => {
        if (mine !== latest.current) return;
        setError(err instanceof Error ? err.message : String(err));
        setBusy(false);
      },
    );
  }, [read]);
  useEffect(reload, [reload]);
  return { data, error, busy, loadedAt, reload };
}
