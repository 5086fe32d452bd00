import type { ServerStats } from '@spectralnotify/client';
import { useLivePaused, useRunList, useSpectralClient, useTaskList } from '@spectralnotify/react';
import { useEffect, useMemo, useState } from 'react';
import { coalesce } from './stats';

/**
 * The server's summary, kept current without polling: it is read once, then read again when a live
 * list says something changed. The two lists hold one row each (every task and run, newest change
 * first), so any create, progress, finish or claim moves their top row and sends one small message;
 * the re-read is coalesced to at most one per second. While live updates are paused, the lists do
 * not change what they return, so nothing is re-read.
 */
export function useLiveStats(windowMinutes: number) {
  const client = useSpectralClient();
  const paused = useLivePaused();
  const [stats, setStats] = useState<ServerStats>();
  const [error, setError] = useState<string>();
  const tasks = useTaskList({}, { limit: 1 });
  const runs = useRunList({}, { limit: 1 });
  const reader = useMemo(
    () =>
      coalesce(async () => {
        try {
          setStats(await client.stats.get({ window: windowMinutes }));
          setError(undefined);
        } catch (err) {
          setError(err instanceof Error ? err.message : String(err));
        }
      }, 1000),
    [client, windowMinutes],
  );
  useEffect(() => () => reader.dispose(), [reader]);
  useEffect(() => {
    if (!paused) reader.trigger();
  }, [reader, paused, tasks.data, runs.data]);
  return { stats, error: error ?? tasks.error?.message ?? runs.error?.message, refresh: () => reader.trigger() };
}
