-- A worker may reserve runs for its local queue before starting them (state 'reserved'): their
-- leases expire like running ones, their TTL still counts, and they still hold their unique key.
-- SQLite cannot change a CHECK constraint in place, so the table is rebuilt (same columns, same order).
CREATE TABLE job_runs_new (
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
    state            TEXT    NOT NULL CHECK (state IN ('pending', 'reserved', 'running', 'done')),
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
INSERT INTO job_runs_new SELECT * FROM job_runs;
DROP TABLE job_runs;
ALTER TABLE job_runs_new RENAME TO job_runs;
CREATE INDEX job_runs_ready ON job_runs (queue, priority DESC, run_at, task_id) WHERE state = 'pending' AND blocked = 0;
CREATE INDEX job_runs_leases ON job_runs (lease_expires_at) WHERE state IN ('reserved', 'running');
CREATE INDEX job_runs_by_job ON job_runs (job_id, created_at DESC) WHERE job_id IS NOT NULL;
CREATE UNIQUE INDEX job_runs_unique ON job_runs (unique_key) WHERE unique_key IS NOT NULL AND state IN ('pending', 'reserved');
CREATE INDEX job_runs_ttl ON job_runs (expires_at) WHERE state IN ('pending', 'reserved') AND expires_at IS NOT NULL;
