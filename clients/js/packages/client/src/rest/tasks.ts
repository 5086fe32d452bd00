import type { CallOptions, Http } from '../http.js';
import type {
  AddEventRequest, BatchOperation, BatchResult, CreateTaskRequest, Json, JsonObject, Page, Task, TaskEvent, TaskQuery,
  ToolExecution, UpdateTaskRequest,
} from '../types.js';

/** Task routes of /api/v1/tasks (docs/api.md). */
export class TasksRest {
  readonly tools: ToolsRest;

  constructor(protected readonly http: Http) {
    this.tools = new ToolsRest(http);
  }

  create(body: CreateTaskRequest, options: CallOptions = {}): Promise<Task> {
    return this.http.call('tasks.create', { ...options, body });
  }

  /** One page, newest `createdAt` first; several statuses go comma-separated, metadata as JSON (docs/api.md). */
  query(query: TaskQuery = {}, options: CallOptions = {}): Promise<Page<Task>> {
    const { status, metadata, ...rest } = query;
    return this.http.call('tasks.query', {
      ...options,
      query: {
        status: Array.isArray(status) ? status.join(',') : status,
        ...rest,
        metadata: metadata === undefined ? undefined : JSON.stringify(metadata),
      },
    });
  }

  get(id: string, options: CallOptions = {}): Promise<Task> {
    return this.http.call('tasks.get', { ...options, params: { id } });
  }

  update(id: string, body: UpdateTaskRequest, options: CallOptions = {}): Promise<Task> {
    return this.http.call('tasks.update', { ...options, params: { id }, body });
  }

  delete(id: string, options: CallOptions = {}): Promise<void> {
    return this.http.call('tasks.delete', { ...options, params: { id } });
  }

  addEvent(id: string, body: AddEventRequest, options: CallOptions = {}): Promise<TaskEvent> {
    return this.http.call('tasks.addEvent', { ...options, params: { id }, body });
  }

  /** History oldest first; pass `next` as `after`. */
  events(id: string, query: { after?: number; limit?: number } = {}, options: CallOptions = {}): Promise<Page<TaskEvent, number>> {
    return this.http.call('tasks.events', { ...options, params: { id }, query: { ...query } });
  }

  progress(id: string, progress: number, message?: string, options: CallOptions = {}): Promise<Task> {
    return this.http.call('tasks.progress', { ...options, params: { id }, body: { progress, message } });
  }

  complete(id: string, body: { metadata?: JsonObject } = {}, options: CallOptions = {}): Promise<Task> {
    return this.http.call('tasks.complete', { ...options, params: { id }, body });
  }

  fail(id: string, error: string, body: { metadata?: JsonObject } = {}, options: CallOptions = {}): Promise<Task> {
    return this.http.call('tasks.fail', { ...options, params: { id }, body: { ...body, error } });
  }

  cancel(id: string, body: { reason?: string; metadata?: JsonObject } = {}, options: CallOptions = {}): Promise<Task> {
    return this.http.call('tasks.cancel', { ...options, params: { id }, body });
  }

  /** Up to 250 operations in one transaction: all or nothing. */
  batch(operations: BatchOperation[], options: CallOptions = {}): Promise<BatchResult> {
    return this.http.call('tasks.batch', { ...options, body: { operations } });
  }

  /**
   * The URL of the task's server-sent event stream (protocol v1 messages), for `EventSource` or
   * `curl -N`; an API key cannot go there (use `?access_token=` with a token).
   */
  streamUrl(id: string, query: { after?: number; snapshot?: boolean; access_token?: string } = {}): string {
    return this.http.url('tasks.stream', { id }, { ...query });
  }
}

/** Tool executions of one task. */
export class ToolsRest {
  constructor(private readonly http: Http) {}

  query(taskId: string, options: CallOptions = {}): Promise<Page<ToolExecution>> {
    return this.http.call('tools.query', { ...options, params: { id: taskId } });
  }

  start(taskId: string, toolName: string, args?: Json, options: CallOptions = {}): Promise<ToolExecution> {
    return this.http.call('tools.start', { ...options, params: { id: taskId }, body: { toolName, arguments: args } });
  }

  complete(taskId: string, execId: string, output?: Json, options: CallOptions = {}): Promise<ToolExecution> {
    return this.http.call('tools.complete', { ...options, params: { id: taskId, execId }, body: { output } });
  }

  fail(taskId: string, execId: string, error: string, options: CallOptions = {}): Promise<ToolExecution> {
    return this.http.call('tools.fail', { ...options, params: { id: taskId, execId }, body: { error } });
  }

  timeout(taskId: string, execId: string, options: CallOptions = {}): Promise<ToolExecution> {
    return this.http.call('tools.timeout', { ...options, params: { id: taskId, execId } });
  }
}
