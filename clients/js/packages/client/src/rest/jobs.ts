import type { CallOptions, Http } from '../http.js';
import type { CreateJobRequest, Job, JobQuery, Page, PatchJobRequest, Run } from '../types.js';

/** Job definitions of /api/v1/jobs (docs/jobs.md). */
export class JobsRest {
  constructor(protected readonly http: Http) {}

  create(body: CreateJobRequest, options: CallOptions = {}): Promise<Job> {
    return this.http.call('jobs.create', { ...options, body });
  }

  query(query: JobQuery = {}, options: CallOptions = {}): Promise<Page<Job>> {
    return this.http.call('jobs.query', { ...options, query: { ...query } });
  }

  get(id: string, options: CallOptions = {}): Promise<Job> {
    return this.http.call('jobs.get', { ...options, params: { id } });
  }

  /** `ifMatch` (the job's `version`) is required by the server. */
  update(id: string, body: PatchJobRequest, options: CallOptions & { ifMatch: string | number }): Promise<Job> {
    return this.http.call('jobs.update', { ...options, params: { id }, body });
  }

  /** Soft delete: the job stops firing and leaves lists; `restore` brings it back. */
  delete(id: string, options: CallOptions = {}): Promise<void> {
    return this.http.call('jobs.delete', { ...options, params: { id } });
  }

  restore(id: string, options: CallOptions = {}): Promise<Job> {
    return this.http.call('jobs.restore', { ...options, params: { id } });
  }

  pause(id: string, options: CallOptions = {}): Promise<Job> {
    return this.http.call('jobs.pause', { ...options, params: { id } });
  }

  resume(id: string, options: CallOptions = {}): Promise<Job> {
    return this.http.call('jobs.resume', { ...options, params: { id } });
  }

  /** One run now, whatever the schedule. */
  trigger(id: string, options: CallOptions = {}): Promise<Run> {
    return this.http.call('jobs.trigger', { ...options, params: { id } });
  }

  runs(id: string, query: { limit?: number } = {}, options: CallOptions = {}): Promise<Page<Run>> {
    return this.http.call('jobs.runs', { ...options, params: { id }, query: { ...query } });
  }

  preview(id: string, count?: number, options: CallOptions = {}): Promise<{ timeZone: string | null; times: string[] }> {
    return this.http.call('jobs.preview', { ...options, params: { id }, query: { count } });
  }
}
