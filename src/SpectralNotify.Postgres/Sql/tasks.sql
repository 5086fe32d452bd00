-- PostgreSQL bodies of the queries SQLite defines under the same names. Parameters are bound
-- with explicit types, so "@x IS NULL OR ..." filters need no casts.

-- name: TaskGet
-- Writers append FOR UPDATE (PostgresStore.TaskLockSql) to take the row lock that orders seq.
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

-- name: TaskEventInsert
INSERT INTO task_events (task_id, seq, type, kind, message, progress, metadata, timestamp)
VALUES (@task_id, @seq, @type, @kind, @message, @progress, @metadata, @timestamp);

-- name: TaskEventList
SELECT task_id, seq, type, kind, message, progress, metadata, timestamp
FROM task_events WHERE task_id = @task_id AND seq > @after ORDER BY seq LIMIT @limit;

-- name: TaskDelete
-- The events go with it through the foreign key's ON DELETE CASCADE (see 0001_tasks.up.sql).
-- Deleting the row waits for a writer holding its lock, so no event is committed after this.
DELETE FROM tasks WHERE id = @id;

-- name: TaskExpiredList
-- Locks what it returns (the caller deletes those rows in the same transaction). SKIP LOCKED
-- lets sweepers on several nodes share the work, and leaves a task that is being written right
-- now to the next sweep instead of waiting for it.
SELECT id FROM tasks WHERE expires_at IS NOT NULL AND expires_at <= @now ORDER BY expires_at LIMIT @limit
FOR UPDATE SKIP LOCKED;

-- name: TaskListWhere
-- @q arrives as %escaped%. ILIKE under the "C" collation folds only A-Z, exactly like SQLite's LIKE
-- (the default collation would also fold é/É, and a search would match rows SQLite does not).
-- The id column is COLLATE "C" already, so id order (and the keyset cursor) is byte order, as in SQLite.
-- The conditions of the REST task list, spliced into TaskList and TaskListByUpdated at /* task-where */.
(@statuses IS NULL OR status = ANY (@statuses))
  AND (@type IS NULL OR type = @type)
  AND (@q IS NULL OR id ILIKE @q ESCAPE '\'
       OR title COLLATE "C" ILIKE @q ESCAPE '\' OR description COLLATE "C" ILIKE @q ESCAPE '\')
  AND (@created_after IS NULL OR created_at > @created_after)
  AND (@created_before IS NULL OR created_at < @created_before)
  AND (@search_prefix IS NULL OR id ILIKE @search_prefix ESCAPE '\' OR title COLLATE "C" ILIKE @search_contains ESCAPE '\')
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

-- name: PgTaskLockMany
-- The tasks of a group commit (PostgresStore.TaskGroup.cs), locked in id order (the id column is
-- COLLATE "C": byte order, the order TaskBatchAsync locks in), so two multi-task writers never wait
-- on each other in a cycle.
SELECT id, title, description, type, status, progress, metadata, config, workspace_path, error, created_by,
       created_at, updated_at, started_at, completed_at, failed_at, canceled_at, expires_at, last_seq, version, workflow_id, sequence
FROM tasks WHERE id = ANY(@ids) ORDER BY id FOR UPDATE;
