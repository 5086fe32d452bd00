import type { RunState, TaskStatus } from '@spectralnotify/client';

export const runStates: RunState[] = ['pending', 'reserved', 'running', 'done'];
export const runStatuses: TaskStatus[] = ['pending', 'in-progress', 'success', 'failed', 'canceled'];

/** The Runs page's filter: what the URL holds and what the live `runs` list is subscribed with. */
export interface RunFilter {
  state?: RunState[];
  status?: TaskStatus[];
  queue?: string;
  jobId?: string;
}

/** Reads `?state=…&status=…&queue=…&job=…`; unknown states and statuses are dropped, so a hand-edited URL cannot break the subscription. */
export function runFilterFromSearch(search: string): RunFilter {
  const q = new URLSearchParams(search);
  const state = q.getAll('state').filter((s): s is RunState => runStates.includes(s as RunState));
  const status = q.getAll('status').filter((s): s is TaskStatus => runStatuses.includes(s as TaskStatus));
  const queue = q.get('queue')?.trim();
  const jobId = q.get('job')?.trim();
  return { ...(state.length ? { state } : {}), ...(status.length ? { status } : {}), ...(queue ? { queue } : {}), ...(jobId ? { jobId } : {}) };
}

/** The URL's query for a filter ('' when it is empty), in a stable order so equal filters share one URL. */
export function runFilterToSearch(filter: RunFilter): string {
  const q = new URLSearchParams();
  for (const s of filter.state ?? []) q.append('state', s);
  for (const s of filter.status ?? []) q.append('status', s);
  if (filter.queue) q.set('queue', filter.queue);
  if (filter.jobId) q.set('job', filter.jobId);
  return q.size ? `?${q}` : '';
}
