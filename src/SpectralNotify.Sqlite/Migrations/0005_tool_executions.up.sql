-- Tool calls made while working on a task; each start and finish is also an event of the task.
CREATE TABLE tool_executions (
    id           TEXT    NOT NULL PRIMARY KEY,
    task_id      TEXT    NOT NULL,
    tool_name    TEXT    NOT NULL,
    arguments    TEXT    NOT NULL,
    status       TEXT    NOT NULL CHECK (status IN ('running', 'success', 'failed', 'timeout')),
    output       TEXT,
    error        TEXT,
    started_at   TEXT    NOT NULL,
    completed_at TEXT,
    duration_ms  INTEGER,
    created_by   TEXT
);
CREATE INDEX ix_tool_executions_task ON tool_executions (task_id, started_at, id);
