// The REST shapes of /api/v1 (docs/api.md, docs/jobs.md), written by hand. Timestamps are
// ISO-8601 strings: the SDK passes JSON through as the server wrote it.

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export type TaskStatus = 'pending' | 'in-progress' | 'success' | 'failed' | 'canceled';
export type RunState = 'pending' | 'reserved' | 'running' | 'done';

/** One page of a collection; pass `next` as `cursor` (or `after` for histories) to read on. */
export interface Page<T, TNext = string> {
  data: T[];
  next: TNext | null;
}

export interface TokenGrant {
  token: string;
  expiresAt: string;
  scopes: string[];
}

export interface Task {
  id: string;
  title: string | null;
  description: string | null;
  type: string | null;
  status: TaskStatus;
  progress: number;
  metadata: JsonObject;
  config: JsonObject;
  workspacePath: string | null;
  error: string | null;
  createdBy: string | null;
  createdAt: string;
  updatedAt: string;
  startedAt: string | null;
  completedAt: string | null;
  failedAt: string | null;
  canceledAt: string | null;
  expiresAt: string | null;
  lastSeq: number;
  version: number;
  workflowId: string | null;
  sequence: number | null;
  /** Present only on a create that asked for `token`. */
  token?: TokenGrant;
}

export type EventType = 'log' | 'progress' | 'error' | 'success';

export interface TaskEvent {
  taskId: string;
  seq: number;
  type: EventType | string;
  message: string;
  progress?: number | null;
  metadata?: JsonObject | null;
  timestamp: string;
}

export interface TokenRequest {
  /** 1 s to 24 h; `{}` for the default 15 min. */
  ttlSeconds?: number;
}

export interface CreateTaskRequest {
  id?: string;
  title?: string;
  description?: string;
  type?: string;
  status?: 'pending' | 'in-progress';
  progress?: number;
  metadata?: JsonObject;
  config?: JsonObject;
  workspacePath?: string;
  expiresAt?: string;
  ttlSeconds?: number;
  workflowId?: string;
  sequence?: number;
  token?: TokenRequest;
}

export interface UpdateTaskRequest {
  title?: string;
  description?: string;
  metadata?: JsonObject;
  config?: JsonObject;
}

export interface TaskQuery {
  /** One status or several (any of them). */
  status?: TaskStatus | TaskStatus[];
  type?: string;
  q?: string;
  /** The id starts with it or the title contains it, ignoring the case of A–Z (as the live list filter's `search`). */
  search?: string;
  /** Top-level metadata pairs that must all be equal. */
  metadata?: Record<string, string | number | boolean>;
  createdAfter?: string;
  createdBefore?: string;
  limit?: number;
  cursor?: string;
  /** `created` (newest createdAt first, the default) or `updated` (newest updatedAt first, as live lists). */
  order?: 'created' | 'updated';
}

export interface AddEventRequest {
  /** Required: the server refuses an event without one (400 naming `type`). */
  type: EventType;
  message: string;
  progress?: number;
  metadata?: JsonObject;
}

export type BatchOperation =
  | ({ op: 'create' } & CreateTaskRequest)
  | ({ op: 'update'; id: string } & UpdateTaskRequest)
  | ({ op: 'event'; id: string } & AddEventRequest)
  | { op: 'progress'; id: string; progress: number; message?: string }
  | { op: 'complete'; id: string; metadata?: JsonObject }
  | { op: 'fail'; id: string; error: string; metadata?: JsonObject }
  | { op: 'cancel'; id: string; reason?: string; metadata?: JsonObject };

export interface BatchResult {
  data: { index: number; op: string; task: Task; event: TaskEvent | null }[];
}

export interface ToolExecution {
  id: string;
  taskId: string;
  toolName: string;
  arguments: Json;
  status: 'running' | 'success' | 'failed' | 'timeout' | string;
  output: Json | null;
  error: string | null;
  startedAt: string;
  completedAt: string | null;
  durationMs: number | null;
  createdBy: string | null;
}

export interface Counter {
  name: string;
  value: number;
  createdAt: string;
  updatedAt: string;
  operationCount: number;
  createdBy: string | null;
  lastSeq: number;
}

export interface CounterHistoryEntry {
  name: string;
  seq: number;
  operation: 'create' | 'increment' | 'decrement' | 'set' | 'reset';
  previousValue: number;
  newValue: number;
  timestamp: string;
}

export interface Phase {
  key: string;
  label: string;
  weight: number;
  status: TaskStatus;
  progress: number;
  order: number;
  parentPhaseKey: string | null;
  depth: number;
  startedAt: string | null;
  updatedAt: string | null;
  completedAt: string | null;
}

export interface Workflow {
  id: string;
  status: TaskStatus;
  overallProgress: number;
  expectedPhaseCount: number;
  completedPhaseCount: number;
  activePhaseKey: string | null;
  allPhasesDone: boolean;
  metadata: JsonObject;
  createdBy: string | null;
  createdAt: string;
  updatedAt: string;
  completedAt: string | null;
  failedAt: string | null;
  canceledAt: string | null;
  lastSeq: number;
  version: number;
  /** Absent on list rows. */
  phases?: Phase[] | null;
  token?: TokenGrant;
}

export interface WorkflowEvent {
  workflowId: string;
  seq: number;
  type: string;
  phaseKey: string | null;
  message: string;
  progress: number | null;
  metadata: JsonObject | null;
  timestamp: string;
}

export interface CreateWorkflowRequest {
  id?: string;
  phases: { key: string; label: string; weight: number; parentPhaseKey?: string }[];
  metadata?: JsonObject;
  token?: TokenRequest;
}

export type JobSchedule = { cron: string; timezone?: string } | { intervalSeconds: number } | { at: string };

export interface Job {
  id: string;
  type: string;
  payload: Json;
  queue: string;
  priority: number;
  maxRetries: number;
  timeoutSeconds: number | null;
  schedule: JobSchedule | null;
  misfire: 'fireOnce' | 'skip';
  uniqueKey: string | null;
  state: 'active' | 'paused';
  createdBy: string | null;
  createdAt: string;
  updatedAt: string;
  deletedAt: string | null;
  version: number;
  nextFireAt: string | null;
  /** The run enqueued by a create with `runNow: true`. */
  run?: Run | null;
}

/** What a job definition and a one-off run have in common. */
export interface WorkSpec {
  id?: string;
  type: string;
  payload?: Json;
  queue?: string;
  /** 0–100; higher runs first. */
  priority?: number;
  maxRetries?: number;
  timeoutSeconds?: number;
  uniqueKey?: string;
}

export interface CreateJobRequest extends WorkSpec {
  schedule?: JobSchedule | null;
  misfire?: 'fireOnce' | 'skip';
  state?: 'active' | 'paused';
  runNow?: boolean;
}

export type PatchJobRequest = Partial<Omit<CreateJobRequest, 'id' | 'runNow' | 'state'>> & {
  timeoutSeconds?: number | null;
  uniqueKey?: string | null;
};

export interface JobQuery {
  type?: string;
  queue?: string;
  state?: 'active' | 'paused';
  includeDeleted?: boolean;
  limit?: number;
  cursor?: string;
}

export interface Run {
  id: string;
  jobId: string | null;
  type: string;
  queue: string;
  priority: number;
  payload: Json;
  attempt: number;
  maxRetries: number;
  timeoutSeconds: number | null;
  runAt: string | null;
  scheduledAt: string | null;
  state: RunState;
  status: TaskStatus | null;
  workerId: string | null;
  leaseExpiresAt: string | null;
  cancelRequested: boolean;
  result: Json | null;
  uniqueKey: string | null;
  createdAt: string;
  /** Present on list rows (ordered by it). */
  updatedAt?: string;
  expiresAt: string | null;
  waitingForDependencies: number;
  /** Present only on claimed runs. */
  leaseToken?: string | null;
}

export interface EnqueueRun extends WorkSpec {
  runAt?: string;
  expiresAt?: string;
  dependsOn?: string[];
}

export interface RunQuery {
  status?: TaskStatus;
  state?: RunState;
  type?: string;
  queue?: string;
  jobId?: string;
  limit?: number;
  cursor?: string;
}

export interface ClaimRequest {
  workerId: string;
  queues: string[];
  types?: string[];
  max?: number;
  leaseSeconds?: number;
  waitSeconds?: number;
}

export interface Session {
  id: string;
  clientId: string | null;
  user: string | null;
  connectionType: 'websocket' | 'sse' | string;
  [key: string]: Json;
}

export type ConfigType = 'string' | 'integer' | 'float' | 'boolean' | 'json';

export interface ConfigEntry {
  key: string;
  type: ConfigType;
  value: Json;
  isSecret: boolean;
  description: string | null;
  createdAt: string;
  updatedAt: string;
  updatedBy: string | null;
  version: number;
}

export type Scope = 'read' | 'write' | 'admin';

export interface ApiKeyInfo {
  id: string;
  name: string;
  scopes: Scope[];
  source: 'config' | 'database';
  createdAt: string | null;
  expiresAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export interface CreatedApiKey {
  id: string;
  name: string;
  scopes: Scope[];
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  /** The secret; shown only in this answer. */
  key: string;
}

/** `GET /api/v1/stats` (docs/api.md, "Stats"). */
export interface ServerStats {
  at: string;
  tasks: { total: number; pending: number; inProgress: number; success: number; failed: number; canceled: number };
  throughput: {
    windowMinutes: number;
    bucketSeconds: number;
    from: string;
    to: string;
    buckets: { start: string; success: number; failed: number; canceled: number }[];
    success: number;
    failed: number;
    canceled: number;
    /** failed ÷ (success + failed) over the window; null when nothing finished. */
    failureRate: number | null;
  };
  queues: { queue: string; available: number; waiting: number; leased: number; oldestAvailableAt: string | null; oldestAgeSeconds: number | null }[];
  workers: { workerId: string; runs: number; queues: string[] }[];
  nodes: { nodeId: string; liveSessions: number }[];
}
