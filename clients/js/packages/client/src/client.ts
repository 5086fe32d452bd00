import type { Credentials } from './auth.js';
import { Http, type FetchLike } from './http.js';
import { LiveConnection, type LiveOptions } from './live/connection.js';
import { EntitySubscription, type WatchOptions } from './live/entity.js';
import { ListSubscription, type ListFilter, type ListOptions } from './live/list.js';
import { ConfigRest, KeysRest, SessionsRest, StatsRest, TokensRest } from './rest/admin.js';
import { CountersRest } from './rest/counters.js';
import { JobsRest } from './rest/jobs.js';
import { RunsRest, WorkersRest } from './rest/runs.js';
import { TasksRest } from './rest/tasks.js';
import { WorkflowsRest } from './rest/workflows.js';
import type { Counter, CounterHistoryEntry, Run, Task, TaskEvent, Workflow, WorkflowEvent } from './types.js';

export type ClientOptions = Credentials &
  LiveOptions & {
    /** The server's base URL, e.g. `https://notify.example.com` (a path prefix is kept). */
    url: string;
    /** Default `globalThis.fetch`. */
    fetch?: FetchLike;
  };

export type TaskSubscription = EntitySubscription<Task, TaskEvent>;
export type WorkflowSubscription = EntitySubscription<Workflow, WorkflowEvent>;
export type CounterSubscription = EntitySubscription<Counter, CounterHistoryEntry>;
/** A run's changes are its task's events; `entity` is the run and `task` its task. */
export type RunSubscription = EntitySubscription<Run, TaskEvent>;

export class TasksApi extends TasksRest {
  constructor(http: Http, private readonly live: LiveConnection) {
    super(http);
  }

  /** Live: one task and its events. */
  watch(id: string, options?: WatchOptions): TaskSubscription {
    return new EntitySubscription(this.live, `task:${id}`, options);
  }

  /** Live: the tasks matching `filter`, newest `updatedAt` first, at most `limit`. */
  list(filter?: Omit<ListFilter, 'state' | 'queue' | 'jobId'>, options?: ListOptions): ListSubscription<Task> {
    return new ListSubscription(this.live, 'tasks', filter, options);
  }
}

export class WorkflowsApi extends WorkflowsRest {
  constructor(http: Http, private readonly live: LiveConnection) {
    super(http);
  }

  watch(id: string, options?: WatchOptions): WorkflowSubscription {
    return new EntitySubscription(this.live, `workflow:${id}`, options);
  }

  /** Live list; rows are workflows without their phases. */
  list(filter?: Pick<ListFilter, 'status' | 'metadata' | 'createdAfter' | 'createdBefore'>, options?: ListOptions): ListSubscription<Workflow> {
    return new ListSubscription(this.live, 'workflows', filter, options);
  }
}

export class CountersApi extends CountersRest {
  constructor(http: Http, private readonly live: LiveConnection) {
    super(http);
  }

  /** Live: one counter and its history entries (a counter never ends). */
  watch(name: string, options?: WatchOptions): CounterSubscription {
    return new EntitySubscription(this.live, `counter:${name}`, options);
  }
}

export class RunsApi extends RunsRest {
  constructor(http: Http, private readonly live: LiveConnection) {
    super(http);
  }

  watch(id: string, options?: WatchOptions): RunSubscription {
    return new EntitySubscription(this.live, `run:${id}`, options);
  }

  list(filter?: Omit<ListFilter, 'workflowId' | 'metadata' | 'search'>, options?: ListOptions): ListSubscription<Run & { updatedAt?: string }> {
    return new ListSubscription(this.live, 'runs', filter, options);
  }
}

export class JobsApi extends JobsRest {
  constructor(http: Http, private readonly live: LiveConnection) {
    super(http);
  }

  /** Live: every run of one job, as a list. */
  watch(id: string, options?: ListOptions): ListSubscription<Run & { updatedAt?: string }> {
    return new ListSubscription(this.live, `job:${id}`, undefined, options);
  }
}

/** The SDK: REST for every /api/v1 route, and live subscriptions over one shared WebSocket. */
export class SpectralClient {
  readonly tasks: TasksApi;
  readonly workflows: WorkflowsApi;
  readonly counters: CountersApi;
  readonly jobs: JobsApi;
  readonly runs: RunsApi;
  readonly workers: WorkersRest;
  readonly sessions: SessionsRest;
  readonly stats: StatsRest;
  readonly config: ConfigRest;
  readonly keys: KeysRest;
  readonly tokens: TokensRest;
  /** The shared live connection: `state`, `on('state' | 'error', fn)`, `retryNow()`. */
  readonly connection: LiveConnection;

  constructor(options: ClientOptions) {
    if (!options.url) {
      throw new TypeError('url is required');
    }
    if ([options.apiKey !== undefined, options.getToken !== undefined, options.cookie === true].filter(Boolean).length !== 1) {
      throw new TypeError('pass one of apiKey, getToken or cookie: true');
    }
    const url = options.url.replace(/\/+$/, '');
    const fetchImpl: FetchLike =
      options.fetch ??
      ((input, init) => {
        if (typeof globalThis.fetch !== 'function') throw new TypeError('no fetch: pass the fetch option');
        return globalThis.fetch(input, init);
      });
    const credentials: Credentials =
      options.apiKey !== undefined ? { apiKey: options.apiKey } : options.getToken !== undefined ? { getToken: options.getToken } : { cookie: true };
    const http = new Http(url, credentials, fetchImpl);
    this.connection = new LiveConnection(url, credentials, http.tokenSource, options);
    this.tasks = new TasksApi(http, this.connection);
    this.workflows = new WorkflowsApi(http, this.connection);
    this.counters = new CountersApi(http, this.connection);
    this.jobs = new JobsApi(http, this.connection);
    this.runs = new RunsApi(http, this.connection);
    this.workers = new WorkersRest(http);
    this.sessions = new SessionsRest(http);
    this.stats = new StatsRest(http);
    this.config = new ConfigRest(http);
    this.keys = new KeysRest(http);
    this.tokens = new TokensRest(http);
  }

  /** Ends every subscription and the socket. REST calls keep working. */
  close(): void {
    this.connection.dispose();
  }
}

export function createClient(options: ClientOptions): SpectralClient {
  return new SpectralClient(options);
}
