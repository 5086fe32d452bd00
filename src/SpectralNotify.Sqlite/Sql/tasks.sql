-- name: TaskGet
SELECT id, title, description, type, status, progress, metadata, config, workspace_path, error, created_by,
       created_at, updated_at, started_at, completed_at, failed_at, canceled_at, expires_at, last_seq, version, workflow_id, sequence
FROM tasks WHERE id = @id;

-- name: TaskInsert
INSERT INTO tasks (id, title, description, type, status, progress, metadata, config, workspace_path, error, created_by,
                   created_at, updated_at, started_at, completed_at, failed_at, canceled_at, expires_at, last_seq, version, workflow_id, sequence)
VALUES (@id, @title, @description, @type, @status, @progress, @metadata, @config, @workspace_path, @error, @created_by,
        @created_at, @updated_at, @started_at, @completed_at, @failed_at, @canceled_at, @expires_at, @last_seq, @version, @workflow_id, @sequence)
ON CONFLICT (id) DO NOTHING;

-- name: TaskUpdate
UPDATE tasks SET title = @title, description = @description, status = @status, progress = @progress,
       metadata = @metadata, config = @config, error = @error, updated_at = @updated_at, started_at = @started_at,
       completed_at = @completed_at, failed_at = @failed_at, canceled_at = @canceled_at,
       last_seq = @last_seq, version = @version
WHERE id = @id AND version = @expected_version;

-- name: SqliteTaskUpdateKeepingStatus
-- SQLite only: TaskUpdate for a change that keeps the task's status (progress, log events, metadata), the most
-- common write. SQLite rewrites the entries of every index whose columns are in the SET list, changed
-- or not; without status here it leaves ix_tasks_status_created alone, which measured about a third
-- of the update's own cost (docs/benchmarks.md, "Issue 14, fourth round").
UPDATE tasks SET title = @title, description = @description, progress = @progress,
       metadata = @metadata, config = @config, error = @error, updated_at = @updated_at, started_at = @started_at,
       completed_at = @completed_at, failed_at = @failed_at, canceled_at = @canceled_at,
       last_seq = @last_seq, version = @version
WHERE id = @id AND version = @expected_version;

-- name: TaskEventInsert
INSERT INTO task_events (task_id, seq, type, kind, message, progress, metadata, timestamp)
VALUES (@task_id, @seq, @type, @kind, @message, @progress, @metadata, @timestamp);

-- name: TaskEventList
SELECT task_id, seq, type, kind, message, progress, metadata, timestamp
FROM task_events WHERE task_id = @task_id AND seq > @after ORDER BY seq LIMIT @limit;

-- name: TaskDelete
DELETE FROM job_run_deps WHERE task_id = @id OR depends_on = @id;
DELETE FROM job_runs WHERE task_id = @id;
DELETE FROM tool_executions WHERE task_id = @id;
DELETE FROM task_events WHERE task_id = @id;
DELETE FROM tasks WHERE id = @id;

-- name: TaskExpiredList
SELECT id FROM tasks WHERE expires_at IS NOT NULL AND expires_at <= @now ORDER BY expires_at LIMIT @limit;

-- name: TaskListWhere
-- LIKE is case-insensitive for ASCII in SQLite; @q arrives as %escaped%.
-- The conditions of the REST task list, spliced into TaskList and TaskListByUpdated at /* task-where */.
(@statuses IS NULL OR status IN (SELECT value FROM json_each(@statuses)))
  AND (@type IS NULL OR type = @type)
  AND (@q IS NULL OR id LIKE @q ESCAPE '\' OR title LIKE @q ESCAPE '\' OR description LIKE @q ESCAPE '\')
  AND (@created_after IS NULL OR created_at > @created_after)
  AND (@created_before IS NULL OR created_at < @created_before)
  AND (@search_prefix IS NULL OR id LIKE @search_prefix ESCAPE '\' OR title LIKE @search_contains ESCAPE '\')
  AND /* metadata */

-- name: TaskList
SELECT id, title, description, type, status, progress, metadata, config, workspace_path, error, created_by,
       created_at, updated_at, started_at, completed_at, failed_at, canceled_at, expires_at, last_seq, version, workflow_id, sequence
FROM tasks
WHERE /* task-where */
  AND (@cursor_at IS NULL OR created_at < @cursor_at OR (created_at = @cursor_at AND id < @cursor_id))
ORDER BY created_at DESC, id DESC
LIMIT @limit;

-- name: TaskListByUpdated
-- The live list's order (TaskListLive), so a REST page can continue after a live first page.
SELECT id, title, description, type, status, progress, metadata, config, workspace_path, error, created_by,
       created_at, updated_at, started_at, completed_at, failed_at, canceled_at, expires_at, last_seq, version, workflow_id, sequence
FROM tasks
WHERE /* task-where */
  AND (@cursor_at IS NULL OR updated_at < @cursor_at OR (updated_at = @cursor_at AND id < @cursor_id))
ORDER BY updated_at DESC, id DESC
LIMIT @limit;

-- name: TaskListByWorkflow
SELECT id, title, description, type, status, progress, metadata, config, workspace_path, error, created_by,
       created_at, updated_at, started_at, completed_at, failed_at, canceled_at, expires_at, last_seq, version, workflow_id, sequence
FROM tasks WHERE workflow_id = @workflow_id ORDER BY sequence, created_at, id LIMIT @limit;
