import type { TaskEvent } from '@spectralnotify/client';

/** A moment at which the task reported its progress. */
export interface ProgressSample {
  at: number;
  progress: number;
}

/** The progress samples in a task's history (events that carry a progress), oldest first. */
export function progressSamples(events: readonly TaskEvent[]): ProgressSample[] {
  const samples: ProgressSample[] = [];
  for (const e of events) {
    if (typeof e.progress === 'number') samples.push({ at: new Date(e.timestamp).getTime(), progress: e.progress });
  }
  return samples;
}

/**
 * Milliseconds left at the recent rate, or undefined while it cannot be told (fewer than two samples,
 * no forward movement, or already done). The rate comes from the last `window` samples so a task
 * that sped up or stalled is judged by what it does now, not by its whole life.
 */
export function estimateRemainingMs(samples: readonly ProgressSample[], now: number, window = 10): number | undefined {
  if (samples.length < 2) return undefined;
  const recent = samples.slice(-window);
  const first = recent[0]!;
  const last = recent[recent.length - 1]!;
  if (last.progress >= 100) return undefined;
  const gained = last.progress - first.progress;
  const elapsed = last.at - first.at;
  if (gained <= 0 || elapsed <= 0) return undefined;
  const rate = gained / elapsed;
  // Time already spent since the last report counts against what is left.
  return Math.max(0, (100 - last.progress) / rate - (now - last.at));
}

/** "about 3 min left", "about 40 s left", "less than a second left". */
export function describeRemaining(ms: number): string {
  if (ms < 1_000) return 'less than a second left';
  const s = Math.round(ms / 1_000);
  if (s < 90) return `about ${s} s left`;
  const m = Math.round(s / 60);
  if (m < 90) return `about ${m} min left`;
  return `about ${Math.round(m / 60)} h left`;
}
