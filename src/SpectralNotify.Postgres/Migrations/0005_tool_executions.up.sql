-- Tool calls made while working on a task; each start and finish is also an event of the task.
-- Deleting the task deletes its executions.
CREATE TABLE tool_executions (
    id           text COLLATE "C" NOT NULL PRIMARY KEY,
    task_id      text COLLATE "C" NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    tool_name    text        NOT NULL,
    arguments    text        NOT NULL,
    status       text        NOT NULL CHECK (status IN ('running', 'success', 'failed', 'timeout')),
    output       text,
    error        text,
    started_at   timestamptz NOT NULL,
    completed_at timestamptz,
    duration_ms  bigint,
    created_by   text
);
CREATE INDEX ix_tool_executions_task ON tool_executions (task_id, started_at, id);
