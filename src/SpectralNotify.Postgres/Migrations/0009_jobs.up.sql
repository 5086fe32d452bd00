-- Job definitions and their runs. A run is a task (its status, progress and events live there);
-- job_runs holds what the queue needs to hand it to a worker, and goes with its task (ON DELETE CASCADE).
CREATE TABLE jobs (
    id              text COLLATE "C" NOT NULL PRIMARY KEY,
    type            text        NOT NULL,
    payload         text        NOT NULL,
    queue           text        NOT NULL,
    priority        integer     NOT NULL CHECK (priority BETWEEN 0 AND 100),
    max_retries     integer     NOT NULL,
    timeout_seconds integer,
    schedule        text,                -- JSON; NULL = manual
    misfire         text        NOT NULL CHECK (misfire IN ('fireOnce', 'skip')),
    unique_key      text,
    state           text        NOT NULL CHECK (state IN ('active', 'paused')),
    created_by      text,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    deleted_at      timestamptz,
    version         bigint      NOT NULL,
    next_fire_at    timestamptz          -- stored, so a restart neither loses nor doubles a firing
);
CREATE INDEX ix_jobs_due ON jobs (next_fire_at) WHERE next_fire_at IS NOT NULL AND state = 'active' AND deleted_at IS NULL;
CREATE INDEX ix_jobs_newest ON jobs (created_at DESC, id DESC);

CREATE TABLE job_runs (
    task_id          text COLLATE "C" NOT NULL PRIMARY KEY REFERENCES tasks (id) ON DELETE CASCADE,
    job_id           text COLLATE "C",
    type             text        NOT NULL,
    queue            text        NOT NULL,
    priority         integer     NOT NULL,
    payload          text        NOT NULL,
    attempt          integer     NOT NULL,
    max_retries      integer     NOT NULL,
    timeout_seconds  integer,
    run_at           timestamptz NOT NULL,
    scheduled_at     timestamptz NOT NULL,
    state            text        NOT NULL CHECK (state IN ('pending', 'running', 'done')),
    worker_id        text,
    lease_token      text,
    lease_expires_at timestamptz,
    deadline         timestamptz,
    cancel_requested boolean     NOT NULL DEFAULT false,
    result           text,
    unique_key       text,
    created_at       timestamptz NOT NULL,
    expires_at       timestamptz,                 -- TTL: not started by then means canceled
    blocked          integer     NOT NULL DEFAULT 0  -- dependencies that have not succeeded yet
);
-- Claims read this index in order: highest priority first, then oldest due.
CREATE INDEX ix_job_runs_ready ON job_runs (queue, priority DESC, run_at, task_id) WHERE state = 'pending' AND blocked = 0;
CREATE INDEX ix_job_runs_leases ON job_runs (lease_expires_at) WHERE state = 'running';
CREATE INDEX ix_job_runs_by_job ON job_runs (job_id, created_at DESC) WHERE job_id IS NOT NULL;
-- At most one pending run per unique key.
CREATE UNIQUE INDEX ux_job_runs_unique ON job_runs (unique_key) WHERE unique_key IS NOT NULL AND state = 'pending';

-- Run dependencies: task_id runs only after depends_on succeeds. Both go with their tasks.
CREATE TABLE job_run_deps (
    depends_on text COLLATE "C" NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    task_id    text COLLATE "C" NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    PRIMARY KEY (depends_on, task_id)
);
CREATE INDEX ix_job_run_deps_task ON job_run_deps (task_id);
CREATE INDEX ix_job_runs_ttl ON job_runs (expires_at) WHERE state = 'pending' AND expires_at IS NOT NULL;
