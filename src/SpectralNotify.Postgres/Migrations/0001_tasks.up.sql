-- Tasks and their append-only events.
-- Ids use COLLATE "C" so ordering and keyset paging compare bytes, as SQLite does, whatever the
-- database's default collation is. Timestamps are timestamptz holding millisecond-truncated UTC.
-- metadata and config stay text (not jsonb) so the JSON round-trips byte for byte.
CREATE TABLE tasks (
    id             text COLLATE "C" NOT NULL PRIMARY KEY,
    title          text,
    description    text,
    type           text,
    status         text             NOT NULL CHECK (status IN ('pending', 'in-progress', 'success', 'failed', 'canceled')),
    progress       double precision NOT NULL DEFAULT 0 CHECK (progress >= 0 AND progress <= 100),
    metadata       text             NOT NULL DEFAULT '{}',
    config         text             NOT NULL DEFAULT '{}',
    workspace_path text,
    error          text,
    created_by     text,
    created_at     timestamptz      NOT NULL,
    updated_at     timestamptz      NOT NULL,
    started_at     timestamptz,
    completed_at   timestamptz,
    failed_at      timestamptz,
    canceled_at    timestamptz,
    expires_at     timestamptz,
    last_seq       bigint           NOT NULL,
    version        bigint           NOT NULL
);
CREATE INDEX ix_tasks_created ON tasks (created_at DESC, id DESC);
CREATE INDEX ix_tasks_status_created ON tasks (status, created_at DESC, id DESC);
CREATE INDEX ix_tasks_type_created ON tasks (type, created_at DESC, id DESC);
CREATE INDEX ix_tasks_expires ON tasks (expires_at) WHERE expires_at IS NOT NULL;

-- The foreign key cascades a task's deletion to its events. The cascade runs after the task row
-- is deleted (so after any writer holding that row's lock has committed) and, under READ
-- COMMITTED, with a fresh snapshot: it also removes an event such a writer just committed, so no
-- orphan event can survive to collide with a recreated task's seq 1, 2, 3 ...
CREATE TABLE task_events (
    task_id   text COLLATE "C" NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    seq       bigint           NOT NULL,
    type      text             NOT NULL CHECK (type IN ('log', 'progress', 'error', 'success')),
    kind      text             NOT NULL,
    message   text             NOT NULL,
    progress  double precision,
    metadata  text,
    timestamp timestamptz      NOT NULL,
    PRIMARY KEY (task_id, seq)
);
