-- Job definitions and their runs. A run is a task (its status, progress and events live there);
-- job_runs holds what the queue needs to hand it to a worker.
CREATE TABLE jobs (
    id              TEXT    NOT NULL PRIMARY KEY,
    type            TEXT    NOT NULL,
    payload         TEXT    NOT NULL,
    queue           TEXT    NOT NULL,
    priority        INTEGER NOT NULL CHECK (priority BETWEEN 0 AND 100),
    max_retries     INTEGER NOT NULL,
    timeout_seconds INTEGER,
    schedule        TEXT,                -- JSON; NULL = manual
    misfire         TEXT    NOT NULL CHECK (misfire IN ('fireOnce', 'skip')),
    unique_key      TEXT,
    state           TEXT    NOT NULL CHECK (state IN ('active', 'paused')),
    created_by      TEXT,
    created_at      TEXT    NOT NULL,
    updated_at      TEXT    NOT NULL,
    deleted_at      TEXT,
    version         INTEGER NOT NULL,
    next_fire_at    TEXT                 -- stored, so a restart neither loses nor doubles a firing
);
CREATE INDEX jobs_due ON jobs (next_fire_at) WHERE next_fire_at IS NOT NULL AND state = 'active' AND deleted_at IS NULL;
CREATE INDEX jobs_newest ON jobs (created_at DESC, id DESC);

CREATE TABLE job_runs (
    task_id          TEXT    NOT NULL PRIMARY KEY,
    job_id           TEXT,
    type             TEXT    NOT NULL,
    queue            TEXT    NOT NULL,
    priority         INTEGER NOT NULL,
    payload          TEXT    NOT NULL,
    attempt          INTEGER NOT NULL,
    max_retries      INTEGER NOT NULL,
    timeout_seconds  INTEGER,
    run_at           TEXT    NOT NULL,
    scheduled_at     TEXT    NOT NULL,
    state            TEXT    NOT NULL CHECK (state IN ('pending', 'running', 'done')),
    worker_id        TEXT,
    lease_token      TEXT,
    lease_expires_at TEXT,
    deadline         TEXT,
    cancel_requested INTEGER NOT NULL DEFAULT 0,
    result           TEXT,
    unique_key       TEXT,
    created_at       TEXT    NOT NULL,
    expires_at       TEXT,                        -- TTL: not started by then means canceled
    blocked          INTEGER NOT NULL DEFAULT 0   -- dependencies that have not succeeded yet
);
-- Claims read this index in order: highest priority first, then oldest due.
CREATE INDEX job_runs_ready ON job_runs (queue, priority DESC, run_at, task_id) WHERE state = 'pending' AND blocked = 0;
CREATE INDEX job_runs_leases ON job_runs (lease_expires_at) WHERE state = 'running';
CREATE INDEX job_runs_by_job ON job_runs (job_id, created_at DESC) WHERE job_id IS NOT NULL;
-- At most one pending run per unique key.
CREATE UNIQUE INDEX job_runs_unique ON job_runs (unique_key) WHERE unique_key IS NOT NULL AND state = 'pending';

-- Run dependencies: task_id runs only after depends_on succeeds.
CREATE TABLE job_run_deps (
    depends_on TEXT NOT NULL,
    task_id    TEXT NOT NULL,
    PRIMARY KEY (depends_on, task_id)
) WITHOUT ROWID;
CREATE INDEX job_runs_ttl ON job_runs (expires_at) WHERE state = 'pending' AND expires_at IS NOT NULL;
