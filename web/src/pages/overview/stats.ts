import type { ServerStats } from '@spectralnotify/client';

/** Windows the Overview offers (minutes); the server takes 1–1440. */
export const windows = [15, 60, 360, 1440] as const;

/** The `?window=` of the Overview's URL, or 60 when absent or not one of {@link windows}. */
export function windowFrom(search: string): number {
  const raw = Number(new URLSearchParams(search).get('window'));
  return (windows as readonly number[]).includes(raw) ? raw : 60;
}

/** "45 s", "3 min 5 s", "2 h 4 min", "3 d 1 h"; "—" when there is nothing to age. */
export function formatAge(seconds: number | null | undefined): string {
  if (seconds == null || !Number.isFinite(seconds)) return '—';
  const s = Math.max(0, Math.floor(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return s % 60 ? `${Math.floor(s / 60)} min ${s % 60} s` : `${s / 60} min`;
  if (s < 86_400) return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
  return `${Math.floor(s / 86_400)} d ${Math.floor((s % 86_400) / 3600)} h`;
}

/** "12.5 %" with at most one decimal; "—" when nothing finished (the server sends null). */
export function formatRate(rate: number | null | undefined): string {
  if (rate == null || !Number.isFinite(rate)) return '—';
  const percent = Math.round(rate * 1000) / 10;
  return `${percent} %`;
}

/** "1 minute", "2 minutes", "24 minutes"; the bucket a chart point stands for. */
export function formatBucket(seconds: number): string {
  const minutes = Math.round(seconds / 60);
  return minutes === 1 ? '1 minute' : `${minutes} minutes`;
}

/** "last 15 minutes", "last hour", "last 6 hours", "last 24 hours". */
export function formatWindow(minutes: number): string {
  if (minutes === 60) return 'last hour';
  if (minutes % 60 === 0) return `last ${minutes / 60} hours`;
  return `last ${minutes} minutes`;
}

/**
 * The chart's columns (uPlot's data): bucket starts in Unix seconds, succeeded, failed, and the
 * failure rate in percent per bucket (null where nothing finished, so the line has a gap, not a 0).
 */
export function chartData(series: ServerStats['throughput']): [number[], number[], number[], (number | null)[]] {
  const xs = series.buckets.map((b) => Date.parse(b.start) / 1000);
  const ok = series.buckets.map((b) => b.success);
  const bad = series.buckets.map((b) => b.failed);
  const rate = series.buckets.map((b) => (b.success + b.failed ? (100 * b.failed) / (b.success + b.failed) : null));
  return [xs, ok, bad, rate];
}

/** One sentence for people who cannot see the chart. */
export function describeThroughput(series: ServerStats['throughput']): string {
  return (
    `Tasks finished per ${formatBucket(series.bucketSeconds)} over the ${formatWindow(series.windowMinutes)}: ` +
    `${series.success} succeeded, ${series.failed} failed, ${series.canceled} canceled; failure rate ${formatRate(series.failureRate)}.`
  );
}

/**
 * Runs `run` when triggered, at most once per `intervalMs`: a trigger during a run or inside the
 * interval schedules one more run after it, however many triggers arrive (a burst of 1,000 live
 * changes costs one or two reads). `dispose` drops what is scheduled.
 */
export function coalesce(
  run: () => Promise<void>,
  intervalMs: number,
  clock: { now: () => number; setTimeout: (fn: () => void, ms: number) => unknown; clearTimeout: (t: unknown) => void } = {
    now: () => Date.now(),
    setTimeout: (fn, ms) => setTimeout(fn, ms),
    clearTimeout: (t) => clearTimeout(t as ReturnType<typeof setTimeout>),
  },
) {
  let last = -Infinity;
  let running = false;
  let pending = false;
  let timer: unknown;
  let disposed = false;
  const start = () => {
    timer = undefined;
    if (disposed) return;
    running = true;
    pending = false;
    last = clock.now();
    run().finally(() => {
      running = false;
      if (pending) schedule();
    });
  };
  const schedule = () => {
    if (disposed || timer !== undefined) return;
    const wait = last + intervalMs - clock.now();
    if (wait <= 0) start();
    else timer = clock.setTimeout(start, wait);
  };
  return {
    trigger() {
      pending = true;
      if (!running) schedule();
    },
    dispose() {
      disposed = true;
      if (timer !== undefined) clock.clearTimeout(timer);
    },
  };
}
