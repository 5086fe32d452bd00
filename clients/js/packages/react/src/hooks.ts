import type { Counter, ListFilter, LiveError, Run, SpectralClient, Task, TaskEvent, Workflow } from '@spectralnotify/client';
import { useMemo, useSyncExternalStore } from 'react';
import { useSpectralClient } from './provider.js';
import { LiveStore, storeFor, type LiveResult, type LiveSource } from './store.js';

export interface LiveHookOptions {
  /** false: no subscription (e.g. while the id is not known yet). Default true. */
  enabled?: boolean;
  /** At most one re-render per this many ms (the last state always arrives). Default 16. */
  throttleMs?: number;
}

function useLive<T>(key: string, source: () => LiveSource<T>, options: LiveHookOptions): LiveResult<T> {
  const client = useSpectralClient();
  const enabled = options.enabled ?? true;
  const throttleMs = options.throttleMs ?? 16;
  // The key says everything the source depends on, so an inline filter object does not resubscribe.
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const store = useMemo(() => (enabled ? storeFor(client, key, source(), throttleMs) : new LiveStore<T>(client, undefined, throttleMs)), [client, key, enabled, throttleMs]);
  return useSyncExternalStore(store.subscribe, store.getSnapshot, store.getSnapshot);
}

/** What a hook needs of any subscription, entity or list. */
interface Updating {
  on(event: 'update', listener: () => void): () => void;
  readonly error: LiveError | undefined;
  close(): void;
}

/** A source over an entity or list subscription: `read` picks the data. */
function fromSubscription<S extends Updating, T>(
  open: (client: SpectralClient) => S,
  read: (sub: S) => T | undefined,
): LiveSource<T> {
  return {
    open(client, notify) {
      const sub = open(client);
      const off = sub.on('update', notify);
      return {
        read: () => read(sub),
        error: () => sub.error,
        close: () => {
          off();
          sub.close();
        },
      };
    },
  };
}

/** The task, live: `data` is the task, `null` while it does not exist. */
export function useTask(id: string, options: LiveHookOptions = {}): LiveResult<Task | null> {
  return useLive(`task:${id}`, () => fromSubscription((c) => c.tasks.watch(id, { snapshot: true, follow: true }), (sub) => sub.entity), options);
}

export function useWorkflow(id: string, options: LiveHookOptions = {}): LiveResult<Workflow | null> {
  return useLive(`workflow:${id}`, () => fromSubscription((c) => c.workflows.watch(id, { snapshot: true, follow: true }), (sub) => sub.entity), options);
}

export function useCounter(name: string, options: LiveHookOptions = {}): LiveResult<Counter | null> {
  return useLive(`counter:${name}`, () => fromSubscription((c) => c.counters.watch(name, { snapshot: true }), (sub) => sub.entity), options);
}

/** The run (its queue state; its task's progress comes with each change as `task`). */
export function useRun(id: string, options: LiveHookOptions = {}): LiveResult<Run | null> {
  return useLive(`run:${id}`, () => fromSubscription((c) => c.runs.watch(id, { snapshot: true, follow: true }), (sub) => sub.entity), options);
}

/** The live list of tasks matching `filter`, newest `updatedAt` first. */
export function useTaskList(
  filter: Omit<ListFilter, 'state' | 'queue' | 'jobId'> = {},
  options: LiveHookOptions & { limit?: number } = {},
): LiveResult<readonly Task[]> {
  const key = `tasks:${JSON.stringify(filter)}:${options.limit ?? ''}`;
  return useLive(key, () => fromSubscription((c) => c.tasks.list(filter, { limit: options.limit }), (sub) => (sub.state === 'subscribing' && sub.rows.length === 0 && sub.cursor === undefined ? undefined : sub.rows)), options);
}

/**
 * Every event of the task, oldest first: the whole history replayed from seq 0, then live. When
 * the task is deleted and created again (a reset), the list starts over with the new history.
 */
export function useTaskEvents(id: string, options: LiveHookOptions = {}): LiveResult<readonly TaskEvent[]> {
  return useLive(`task-events:${id}`, () => taskEventsSource(id), options);
}

function taskEventsSource(id: string): LiveSource<readonly TaskEvent[]> {
  return {
    open(client, notify) {
      let events: readonly TaskEvent[] | undefined;
      const merge = (more: readonly TaskEvent[]) => {
        const bySeq = new Map((events ?? []).map((e) => [e.seq, e]));
        for (const e of more) bySeq.set(e.seq, e);
        events = [...bySeq.values()].sort((a, b) => a.seq - b.seq);
        notify();
      };
      const sub = client.tasks.watch(id, { after: 0, follow: true });
      const offs = [
        sub.on('subscribed', () => {
          events ??= [];
          notify();
        }),
        sub.on('change', (c) => merge([c.event])),
        sub.on('reset', () => {
          // A new incarnation: its history is not replayed by the snapshot, so read it.
          events = [];
          notify();
          client.tasks.events(id, { after: 0, limit: 500 }).then((page) => merge(page.data), () => {});
        }),
        sub.on('update', notify),
      ];
      return {
        read: () => events,
        error: () => sub.error,
        close: () => {
          for (const off of offs) off();
          sub.close();
        },
      };
    },
  };
}
