import type { CallOptions, Http } from '../http.js';
import type { ClaimRequest, EnqueueRun, Json, Page, Run, RunQuery, TokenGrant, TokenRequest } from '../types.js';

/** Runs of /api/v1/runs (docs/jobs.md). A run's id is its task's id. */
export class RunsRest {
  constructor(protected readonly http: Http) {}

  /** 1–250 runs in one transaction; with `token`, a read token for them comes back too. */
  enqueue(runs: EnqueueRun[], extra: { token?: TokenRequest } = {}, options: CallOptions = {}): Promise<{ runs: Run[]; token?: TokenGrant }> {
    return this.http.call('runs.enqueue', { ...options, body: { runs, ...extra } });
  }

  query(query: RunQuery = {}, options: CallOptions = {}): Promise<Page<Run>> {
    return this.http.call('runs.query', { ...options, query: { ...query } });
  }

  get(id: string, options: CallOptions = {}): Promise<Run> {
    return this.http.call('runs.get', { ...options, params: { id } });
  }

  /**
   * Does a failed (dead-lettered) or canceled run again as a new run, due now, with the same job,
   * type, payload and queue settings; the new run's task metadata names the old one in `retryOf`.
   * A run that is still queued or running, or that succeeded, is refused with 409.
   */
  retry(id: string, options: CallOptions = {}): Promise<Run> {
    return this.http.call('runs.retry', { ...options, params: { id } });
  }
}

/** The HTTP worker protocol: claim runs, keep their leases, report the outcome. */
export class WorkersRest {
  constructor(private readonly http: Http) {}

  claim(body: ClaimRequest, options: CallOptions = {}): Promise<{ runs: Run[] }> {
    return this.http.call('workers.claim', { ...options, body });
  }

  heartbeat(runId: string, leaseToken: string, leaseSeconds?: number, options: CallOptions = {}): Promise<{ leaseExpiresAt: string; cancelRequested: boolean }> {
    return this.http.call('workers.heartbeat', { ...options, params: { id: runId }, body: { leaseToken, leaseSeconds } });
  }

  complete(runId: string, leaseToken: string, result?: Json, options: CallOptions = {}): Promise<Run> {
    return this.http.call('workers.complete', { ...options, params: { id: runId }, body: { leaseToken, result } });
  }

  fail(
    runId: string,
    leaseToken: string,
    error: string,
    retry: { retryable?: boolean; retryAfterSeconds?: number } = {},
    options: CallOptions = {},
  ): Promise<Run> {
    return this.http.call('workers.fail', { ...options, params: { id: runId }, body: { leaseToken, error, ...retry } });
  }
}
