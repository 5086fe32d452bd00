-- Tasks and their append-only events. Timestamps are ISO-8601 UTC text with milliseconds,
-- so text order is time order.
CREATE TABLE tasks (
    id             TEXT    NOT NULL PRIMARY KEY,
    title          TEXT,
    description    TEXT,
    type           TEXT,
    status         TEXT    NOT NULL CHECK (status IN ('pending', 'in-progress', 'success', 'failed', 'canceled')),
    progress       REAL    NOT NULL DEFAULT 0 CHECK (progress >= 0 AND progress <= 100),
    metadata       TEXT    NOT NULL DEFAULT '{}',
    config         TEXT    NOT NULL DEFAULT '{}',
    workspace_path TEXT,
    error          TEXT,
    created_by     TEXT,
    created_at     TEXT    NOT NULL,
    updated_at     TEXT    NOT NULL,
    started_at     TEXT,
    completed_at   TEXT,
    failed_at      TEXT,
    canceled_at    TEXT,
    expires_at     TEXT,
    last_seq       INTEGER NOT NULL,
    version        INTEGER NOT NULL
);
CREATE INDEX ix_tasks_created ON tasks (created_at DESC, id DESC);
CREATE INDEX ix_tasks_status_created ON tasks (status, created_at DESC, id DESC);
CREATE INDEX ix_tasks_type_created ON tasks (type, created_at DESC, id DESC);
CREATE INDEX ix_tasks_expires ON tasks (expires_at) WHERE expires_at IS NOT NULL;

CREATE TABLE task_events (
    task_id   TEXT    NOT NULL,
    seq       INTEGER NOT NULL,
    type      TEXT    NOT NULL CHECK (type IN ('log', 'progress', 'error', 'success')),
    kind      TEXT    NOT NULL,
    message   TEXT    NOT NULL,
    progress  REAL,
    metadata  TEXT,
    timestamp TEXT    NOT NULL,
    PRIMARY KEY (task_id, seq)
) WITHOUT ROWID;
