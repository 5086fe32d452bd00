import type { CallOptions, Http } from '../http.js';
import type { CreateWorkflowRequest, JsonObject, Page, Phase, Task, TaskStatus, Workflow, WorkflowEvent } from '../types.js';

/** Workflow routes of /api/v1/workflows (docs/api.md). */
export class WorkflowsRest {
  constructor(protected readonly http: Http) {}

  create(body: CreateWorkflowRequest, options: CallOptions = {}): Promise<Workflow> {
    return this.http.call('workflows.create', { ...options, body });
  }

  query(query: { status?: TaskStatus; limit?: number; cursor?: string } = {}, options: CallOptions = {}): Promise<Page<Workflow>> {
    return this.http.call('workflows.query', { ...options, query: { ...query } });
  }

  get(id: string, options: CallOptions = {}): Promise<Workflow> {
    return this.http.call('workflows.get', { ...options, params: { id } });
  }

  delete(id: string, options: CallOptions = {}): Promise<void> {
    return this.http.call('workflows.delete', { ...options, params: { id } });
  }

  phases(id: string, options: CallOptions = {}): Promise<Page<Phase>> {
    return this.http.call('workflows.phases', { ...options, params: { id } });
  }

  phaseProgress(id: string, key: string, progress: number, body: { metadata?: JsonObject } = {}, options: CallOptions = {}): Promise<Workflow> {
    return this.http.call('workflows.phaseProgress', { ...options, params: { id, key }, body: { ...body, progress } });
  }

  phaseComplete(id: string, key: string, options: CallOptions = {}): Promise<Workflow> {
    return this.http.call('workflows.phaseComplete', { ...options, params: { id, key } });
  }

  complete(id: string, body: { metadata?: JsonObject } = {}, options: CallOptions = {}): Promise<Workflow> {
    return this.http.call('workflows.complete', { ...options, params: { id }, body });
  }

  fail(id: string, error: string, body: { metadata?: JsonObject } = {}, options: CallOptions = {}): Promise<Workflow> {
    return this.http.call('workflows.fail', { ...options, params: { id }, body: { ...body, error } });
  }

  cancel(id: string, body: { metadata?: JsonObject } = {}, options: CallOptions = {}): Promise<Workflow> {
    return this.http.call('workflows.cancel', { ...options, params: { id }, body });
  }

  /** The tasks created with this workflowId, by sequence. */
  tasks(id: string, options: CallOptions = {}): Promise<Page<Task>> {
    return this.http.call('workflows.tasks', { ...options, params: { id } });
  }

  events(id: string, query: { after?: number; limit?: number } = {}, options: CallOptions = {}): Promise<Page<WorkflowEvent, number>> {
    return this.http.call('workflows.events', { ...options, params: { id }, query: { ...query } });
  }
}
