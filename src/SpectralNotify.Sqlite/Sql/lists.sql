-- Live filtered lists (IListStore). Filters arrive as parameters: @statuses and @states are JSON
-- arrays of wire names (NULL = any), @metadata a JSON array of {"k": key, "s"|"n"|"b": value}
-- (NULL = any). The order is always updated_at DESC, id DESC: ListRow.NewestFirst in memory.

-- name: ListMetadataMatch
-- Spliced into TaskListLive and WorkflowListLive at /* metadata */ (both tables name the column
-- metadata). Every pair must hold: the row's top-level value under the key (json_each yields raw,
-- unescaped keys, so keys with dots or quotes need no path quoting; the LAST value of a key written
-- twice counts, as in .NET's JsonElement and PostgreSQL) must have the pair's JSON kind and be equal.
-- Numbers compare as REAL (IEEE doubles) like ListFilter.Matches, so 1, 1.0 and 1e0 are equal.
(@metadata IS NULL OR NOT EXISTS (
    SELECT 1 FROM json_each(@metadata) AS f
    WHERE NOT coalesce((
        SELECT CASE
                   WHEN json_type(f.value, '$.s') IS NOT NULL
                       THEN m.type = 'text' AND m.value = json_extract(f.value, '$.s')
                   WHEN json_type(f.value, '$.n') IS NOT NULL
                       THEN m.type IN ('integer', 'real') AND CAST(m.value AS REAL) = CAST(json_extract(f.value, '$.n') AS REAL)
                   ELSE m.type = json_type(f.value, '$.b')
               END
        FROM json_each(metadata) AS m
        WHERE m.key = json_extract(f.value, '$.k')
        ORDER BY m.id DESC LIMIT 1), 0)))

-- name: TaskListLive
SELECT id, title, description, type, status, progress, metadata, config, workspace_path, error, created_by,
       created_at, updated_at, started_at, completed_at, failed_at, canceled_at, expires_at, last_seq, version, workflow_id, sequence
FROM tasks
WHERE (@statuses IS NULL OR status IN (SELECT value FROM json_each(@statuses)))
  AND (@type IS NULL OR type = @type)
  AND (@workflow_id IS NULL OR workflow_id = @workflow_id)
  AND (@created_after IS NULL OR created_at > @created_after)
  AND (@created_before IS NULL OR created_at < @created_before)
  AND (@search_prefix IS NULL OR id LIKE @search_prefix ESCAPE '\' OR title LIKE @search_contains ESCAPE '\')
  AND /* metadata */
ORDER BY updated_at DESC, id DESC
LIMIT @limit;

-- name: TaskChangedSince
SELECT id, title, description, type, status, progress, metadata, config, workspace_path, error, created_by,
       created_at, updated_at, started_at, completed_at, failed_at, canceled_at, expires_at, last_seq, version, workflow_id, sequence
FROM tasks WHERE updated_at >= @since
ORDER BY updated_at DESC, id DESC
LIMIT @limit;

-- name: RunListLive
-- A run's status, progress and updated_at are its task's; its type, queue, job and created_at its own.
SELECT r.task_id, r.job_id, r.type, r.queue, r.priority, r.payload, r.attempt, r.max_retries, r.timeout_seconds, r.run_at,
       r.scheduled_at, r.state, r.worker_id, r.lease_token, r.lease_expires_at, r.deadline, r.cancel_requested, r.result,
       r.unique_key, r.created_at, r.expires_at, r.blocked,
       t.id, t.title, t.description, t.type, t.status, t.progress, t.metadata, t.config, t.workspace_path, t.error, t.created_by,
       t.created_at, t.updated_at, t.started_at, t.completed_at, t.failed_at, t.canceled_at, t.expires_at, t.last_seq, t.version,
       t.workflow_id, t.sequence
FROM tasks t JOIN job_runs r ON r.task_id = t.id
WHERE (@statuses IS NULL OR t.status IN (SELECT value FROM json_each(@statuses)))
  AND (@states IS NULL OR r.state IN (SELECT value FROM json_each(@states)))
  AND (@type IS NULL OR r.type = @type)
  AND (@queue IS NULL OR r.queue = @queue)
  AND (@job_id IS NULL OR r.job_id = @job_id)
  AND (@created_after IS NULL OR r.created_at > @created_after)
  AND (@created_before IS NULL OR r.created_at < @created_before)
ORDER BY t.updated_at DESC, t.id DESC
LIMIT @limit;

-- name: RunChangedSince
SELECT r.task_id, r.job_id, r.type, r.queue, r.priority, r.payload, r.attempt, r.max_retries, r.timeout_seconds, r.run_at,
       r.scheduled_at, r.state, r.worker_id, r.lease_token, r.lease_expires_at, r.deadline, r.cancel_requested, r.result,
       r.unique_key, r.created_at, r.expires_at, r.blocked,
       t.id, t.title, t.description, t.type, t.status, t.progress, t.metadata, t.config, t.workspace_path, t.error, t.created_by,
       t.created_at, t.updated_at, t.started_at, t.completed_at, t.failed_at, t.canceled_at, t.expires_at, t.last_seq, t.version,
       t.workflow_id, t.sequence
FROM tasks t JOIN job_runs r ON r.task_id = t.id
WHERE t.updated_at >= @since
ORDER BY t.updated_at DESC, t.id DESC
LIMIT @limit;

-- name: WorkflowListLive
SELECT id, status, overall_progress, expected_phase_count, completed_phase_count, active_phase_key, all_phases_done,
       metadata, created_by, created_at, updated_at, completed_at, failed_at, canceled_at, last_seq, version
FROM workflows
WHERE (@statuses IS NULL OR status IN (SELECT value FROM json_each(@statuses)))
  AND (@created_after IS NULL OR created_at > @created_after)
  AND (@created_before IS NULL OR created_at < @created_before)
  AND /* metadata */
ORDER BY updated_at DESC, id DESC
LIMIT @limit;

-- name: WorkflowChangedSince
SELECT id, status, overall_progress, expected_phase_count, completed_phase_count, active_phase_key, all_phases_done,
       metadata, created_by, created_at, updated_at, completed_at, failed_at, canceled_at, last_seq, version
FROM workflows WHERE updated_at >= @since
ORDER BY updated_at DESC, id DESC
LIMIT @limit;

-- name: DeletionInsert
INSERT INTO deletions (kind, id, deleted_at) VALUES (@kind, @id, @deleted_at);

-- name: DeletionsSince
SELECT kind, id, deleted_at FROM deletions WHERE kind = @kind AND deleted_at >= @since
ORDER BY deleted_at DESC, id DESC
LIMIT @limit;

-- name: DeletionsPrune
-- Bounded like SessionPrune: the sweep repeats it while it fills a batch.
DELETE FROM deletions WHERE rowid IN (
    SELECT rowid FROM deletions WHERE kind IN ('task', 'workflow') AND deleted_at < @before LIMIT @limit);
