export interface BackoffOptions {
  /** First delay's floor, ms. Default 500. */
  minDelayMs?: number;
  /** Cap, ms. Default 20,000. */
  maxDelayMs?: number;
  /** A random source in [0, 1); tests pass a deterministic one. Default Math.random. */
  random?: () => number;
}

/**
 * Full-jitter exponential backoff as centrifuge-js computes it: attempt n waits
 * min(max, min + random · min(max, min · 2ⁿ)). The jitter spreads a crowd of clients that lost the
 * same server, and the floor keeps one client from hammering it.
 */
export function backoffDelay(attempt: number, options: BackoffOptions = {}): number {
  const min = options.minDelayMs ?? 500;
  const max = options.maxDelayMs ?? 20_000;
  const random = options.random ?? Math.random;
  const ceiling = Math.min(max, min * 2 ** Math.min(attempt, 31));
  return Math.min(max, min + Math.floor(random() * ceiling));
}
