import { NetworkError, SpectralError, type SpectralClient } from '@spectralnotify/client';

/**
 * Changes tasks without pause (progress and log events, round robin over `ids`, several requests
 * in flight) until stopped. A request that fails with a connection error, or 503 while the server
 * starts, is retried with backoff, so writing goes on across a server crash; such a request may
 * or may not have committed before the crash, so the truth is what the server stored, not these
 * counts.
 */
export class Writer {
  /** Requests answered 2xx. */
  succeeded = 0;
  /** Attempts that failed with a connection error (or 503) and were retried. */
  retried = 0;
  private stopped = false;
  private lanes: Promise<void>[] = [];
  private readonly writes = new Map<string, number>();

  constructor(
    private readonly client: SpectralClient,
    private readonly ids: readonly string[],
    private readonly concurrency = 4,
  ) {}

  start(): void {
    this.lanes = Array.from({ length: this.concurrency }, (_, lane) => this.lane(lane));
  }

  /** Stops after the requests in flight (each retried until it is answered). */
  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all(this.lanes);
  }

  private async lane(lane: number): Promise<void> {
    for (let i = lane; !this.stopped; i += this.concurrency) {
      const id = this.ids[i % this.ids.length]!;
      const n = (this.writes.get(id) ?? 0) + 1;
      this.writes.set(id, n);
      await this.retrying(() =>
        n % 2 === 0
          ? this.client.tasks.progress(id, Math.min(99, n), `step ${n}`, { signal: AbortSignal.timeout(10_000) })
          : this.client.tasks.addEvent(id, { type: 'log', message: `write ${n}` }, { signal: AbortSignal.timeout(10_000) }),
      );
      this.succeeded++;
    }
  }

  private async retrying(call: () => Promise<unknown>): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        await call();
        return;
      } catch (error) {
        if (!isOutage(error)) throw error;
        this.retried++;
        await new Promise((resolve) => setTimeout(resolve, Math.min(500, 20 * 2 ** attempt)));
      }
    }
  }
}

/** No complete answer (unreachable, or cut off mid-answer by the crash), our timeout, or 503 while the server starts. */
export function isOutage(error: unknown): boolean {
  if (error instanceof SpectralError) return error.status === 503;
  return error instanceof NetworkError || (error as { name?: string })?.name === 'TimeoutError';
}
