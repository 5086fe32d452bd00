// Shared by bench/node-subscribers and bench/socketio: server RSS/CPU from /proc, the marker
// "b <index> <process.hrtime ns at send>" (CLOCK_MONOTONIC, the same clock for every process on the
// machine, like spectral-bench's Stopwatch ticks), per-subscriber tallies and latency percentiles.
import { readFileSync } from "node:fs";

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
export const nowNs = () => process.hrtime.bigint();

export function rssKiB(pid) {
  if (!pid) return null;
  const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? +m[1] : null;
}
/** Median of `n` readings `gapMs` apart (RSS moves with GC), as spectral-bench's RssMedianKiBAsync. */
export async function rssMedianKiB(pid, n = 5, gapMs = 200) {
  if (!pid) return null;
  const v = [];
  for (let i = 0; i < n; i++) { if (i) await sleep(gapMs); v.push(rssKiB(pid)); }
  v.sort((a, b) => a - b);
  return v[Math.floor(v.length / 2)];
}
export function cpuSeconds(pid) {
  if (!pid) return null;
  const s = readFileSync(`/proc/${pid}/stat`, "utf8");
  const rest = s.slice(s.lastIndexOf(")") + 2).split(" ");
  return (+rest[11] + +rest[12]) / 100;
}

export const marker = (index) => `b ${index} ${nowNs()}`;

/** One subscriber's tally: latency per send index (NaN = not received), duplicates, seq order. */
export class Tally {
  constructor(planned, expectedFirstSeq = null) {
    this.latency = new Float64Array(planned).fill(NaN);
    this.received = 0; this.duplicates = 0; this.other = 0;
    this.lastSeq = expectedFirstSeq == null ? null : expectedFirstSeq - 1;
    this.seqSkipped = 0; this.seqDuplicates = 0;
  }
  /** text: the marker; seq: the message's seq when the protocol has one. */
  onMarker(text, seq) {
    const t = nowNs();
    if (seq != null) {
      if (this.lastSeq == null || seq === this.lastSeq + 1) this.lastSeq = seq;
      else if (seq > this.lastSeq + 1) { this.seqSkipped += seq - this.lastSeq - 1; this.lastSeq = seq; }
      else this.seqDuplicates++;
    }
    const m = /^b (\d+) (\d+)$/.exec(text ?? "");
    if (!m) { this.other++; return; }
    const i = +m[1];
    if (i >= this.latency.length) { this.other++; return; }
    if (!Number.isNaN(this.latency[i])) { this.duplicates++; return; }
    this.latency[i] = Number(t - BigInt(m[2])) / 1e6;
    this.received++;
  }
}

/** Loss, duplicates and latency percentiles over every subscriber, for the indexes that were sent. */
export function summarize(tallies, sentOk) {
  let received = 0, missing = 0, duplicates = 0, seqSkipped = 0, seqDuplicates = 0, withLoss = 0, other = 0;
  const all = [];
  for (const t of tallies) {
    let lost = 0;
    for (let i = 0; i < t.latency.length; i++) {
      if (!sentOk[i]) continue;
      if (Number.isNaN(t.latency[i])) lost++; else all.push(t.latency[i]);
    }
    received += t.received; missing += lost; duplicates += t.duplicates; other += t.other;
    seqSkipped += t.seqSkipped; seqDuplicates += t.seqDuplicates; if (lost) withLoss++;
  }
  const sorted = Float64Array.from(all).sort();
  const p = (q) => (sorted.length ? r3(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]) : null);
  const mean = sorted.length ? r3(sorted.reduce((a, b) => a + b, 0) / sorted.length) : null;
  return {
    received, missing, subscribers_with_loss: withLoss, event_duplicates: duplicates, seq_skipped: seqSkipped,
    seq_duplicates: seqDuplicates, other_messages: other,
    latency: { count: sorted.length, mean_ms: mean, p50_ms: p(0.5), p90_ms: p(0.9), p99_ms: p(0.99), p999_ms: p(0.999), max_ms: sorted.length ? r3(sorted[sorted.length - 1]) : null },
  };
}

/** Open loop: call send(i) at `rate`/s for `count` sends without waiting for earlier ones. */
export async function openLoop(count, rate, send) {
  const t0 = performance.now(), pending = [];
  for (let i = 0; i < count; i++) {
    const due = t0 + (i * 1000) / rate, wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    pending.push(send(i));
  }
  await Promise.all(pending);
  return (performance.now() - t0) / 1000;
}

export async function pool(items, concurrency, fn) {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    while (next < items.length) { const i = next++; await fn(items[i], i); }
  }));
}

export const r3 = (x) => (x == null || !Number.isFinite(x) ? null : Math.round(x * 1000) / 1000);
export const perConnection = (before, after, n) => (before != null && after != null && n > 0 ? Math.round(((after - before) * 1024) / n) : null);
