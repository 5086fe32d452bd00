import type { Counter, EntitySubscription, ListFilter, LiveError, Run, SpectralClient, Task, TaskEvent, Workflow, WorkflowEvent } from '@spectralnotify/client';
import { useMemo, useRef, useSyncExternalStore } from 'react';
import { useLivePaused, useSpectralClient } from './provider.js';
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
  const live = useSyncExternalStore(store.subscribe, store.getSnapshot, store.getSnapshot);
  // While the provider pauses, show what was shown when the pause began (the subscription stays
  // open, so resuming jumps to the current state); data that first arrives during a pause shows.
  const paused = useLivePaused();
  const shown = useRef(live);
  if (!paused || shown.current.data === undefined) shown.current = live;
  return paused ? shown.current : live;
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
  return useLive(key, () => fromSubscription((c) => c.tasks.list(filter, { limit: options.limit }), rowsOf), options);
}

type RunRow = Run & { updatedAt?: string };

/** Whether a list has answered yet: undefined (loading) until its first snapshot. */
const rowsOf = <T,>(sub: { state: string; rows: readonly T[]; cursor?: unknown }): readonly T[] | undefined =>
  sub.state === 'subscribing' && sub.rows.length === 0 && sub.cursor === undefined ? undefined : sub.rows;

/** The live list of runs matching `filter` (state, queue, job id, …), newest `updatedAt` first. */
export function useRunList(
  filter: Omit<ListFilter, 'workflowId' | 'metadata'> = {},
  options: LiveHookOptions & { limit?: number } = {},
): LiveResult<readonly RunRow[]> {
  const key = `runs:${JSON.stringify(filter)}:${options.limit ?? ''}`;
  return useLive(key, () => fromSubscription((c) => c.runs.list(filter, { limit: options.limit }), rowsOf), options);
}

/** The live list of workflows (without their phases) matching `filter`. */
export function useWorkflowList(
  filter: Pick<ListFilter, 'status' | 'metadata' | 'createdAfter' | 'createdBefore'> = {},
  options: LiveHookOptions & { limit?: number } = {},
): LiveResult<readonly Workflow[]> {
  const key = `workflows:${JSON.stringify(filter)}:${options.limit ?? ''}`;
  return useLive(key, () => fromSubscription((c) => c.workflows.list(filter, { limit: options.limit }), rowsOf), options);
}

/** Every run of one job, live, newest first. */
export function useJobRuns(jobId: string, options: LiveHookOptions & { limit?: number } = {}): LiveResult<readonly RunRow[]> {
  return useLive(`job:${jobId}:${options.limit ?? ''}`, () => fromSubscription((c) => c.jobs.watch(jobId, { limit: options.limit }), rowsOf), options);
}

/**
 * Every event of the task, oldest first: the whole history replayed from seq 0, then live. When
 * the task is deleted and created again (a reset), the list starts over with the new history.
 */
export function useTaskEvents(id: string, options: LiveHookOptions = {}): LiveResult<readonly TaskEvent[]> {
  return useLive(`task-events:${id}`, () => historySource((c) => c.tasks.watch(id, { after: 0, follow: true }), (c) => c.tasks.events(id, { after: 0, limit: 500 })), options);
}

/** An entity's events replayed from seq 0, then live; after a reset, its new history read by REST. */
function historySource<T, E extends { seq: number }>(
  watch: (client: SpectralClient) => EntitySubscription<T, E>,
  history: (client: SpectralClient) => Promise<{ data: E[] }>,
): LiveSource<readonly E[]> {
  return {
    open(client, notify) {
      let events: readonly E[] | undefined;
      const merge = (more: readonly E[]) => {
        const last = events?.[events.length - 1]?.seq ?? -1;
        if (more.every((e, i) => e.seq > (i === 0 ? last : more[i - 1]!.seq))) {
          // The live case: newer events in order; appending keeps a 10,000-event history cheap.
          events = [...(events ?? []), ...more];
        } else {
          const bySeq = new Map((events ?? []).map((e) => [e.seq, e]));
          for (const e of more) bySeq.set(e.seq, e);
          events = [...bySeq.values()].sort((a, b) => a.seq - b.seq);
        }
        notify();
      };
      const sub = watch(client);
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
          history(client).then((page) => merge(page.data), () => {});
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

/** Every event of the workflow (phase progress, log, success, error, cancel), oldest first, then live. */
export function useWorkflowEvents(id: string, options: LiveHookOptions = {}): LiveResult<readonly WorkflowEvent[]> {
  return useLive(
    `workflow-events:${id}`,
    () => historySource((c) => c.workflows.watch(id, { after: 0, follow: true }), (c) => c.workflows.events(id, { after: 0, limit: 500 })),
    options,
  );
}
