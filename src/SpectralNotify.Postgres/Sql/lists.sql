-- Live filtered lists (IListStore): PostgreSQL bodies of the queries SQLite defines under the same
-- names. @statuses and @states are text[] (NULL = any), @metadata a jsonb array of
-- {"k": key, "s"|"n"|"b": value} (NULL = any). The order is always updated_at DESC, id DESC (ids
-- are COLLATE "C": byte order, as in SQLite), ListRow.NewestFirst in memory.

-- name: ListMetadataMatch
-- Spliced into TaskListLive and WorkflowListLive at /* metadata */ (both tables name the column
-- metadata, stored as text). Every pair must hold: the row's top-level value under the key must have
-- the pair's JSON kind and be equal. It reads metadata as json, not jsonb: json -> takes the key as
-- data (no path quoting, so keys with dots or quotes are safe) and, like .NET's JsonElement, the LAST
-- value of a key written twice. PostgreSQL cannot read a \u0000 escape as text (jsonb refuses it,
-- json raises on access), so it is read as U+FFFF, which ListFilter refuses in filters: such a value
-- equals no filter string, as in memory. Numbers compare as doubles (spectral_json_float8, 0013).
(@metadata IS NULL OR NOT EXISTS (
    SELECT 1 FROM jsonb_array_elements(@metadata) AS f(pair)
    WHERE NOT coalesce((
        SELECT CASE
                   WHEN pair -> 's' IS NOT NULL
                       THEN json_typeof(v) = 'string' AND v #>> '{}' = pair ->> 's'
                   WHEN pair -> 'n' IS NOT NULL
                       THEN json_typeof(v) = 'number'
                            AND CASE WHEN length(v::text) <= 300 AND v::text !~ '[eE]' THEN v::text::double precision
                                     ELSE spectral_json_float8(v::text) END = (pair ->> 'n')::double precision
                   ELSE json_typeof(v) = 'boolean' AND v::text = pair ->> 'b'
               END
        FROM (SELECT replace(metadata, '\u0000', '\uffff')::json -> (pair ->> 'k') AS v) AS m), false)))

-- name: TaskListLive
SELECT id, title, description, type, status, progress, metadata, config, workspace_path, error, created_by,
       created_at, updated_at, started_at, completed_at, failed_at, canceled_at, expires_at, last_seq, version, workflow_id, sequence
FROM tasks
WHERE (@statuses IS NULL OR status = ANY (@statuses))
  AND (@type IS NULL OR type = @type)
  AND (@workflow_id IS NULL OR workflow_id = @workflow_id)
  AND (@created_after IS NULL OR created_at > @created_after)
  AND (@created_before IS NULL OR created_at < @created_before)
  AND (@search_prefix IS NULL OR id ILIKE @search_prefix ESCAPE '\' OR title COLLATE "C" ILIKE @search_contains ESCAPE '\')
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
WHERE (@statuses IS NULL OR t.status = ANY (@statuses))
  AND (@states IS NULL OR r.state = ANY (@states))
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
WHERE (@statuses IS NULL OR status = ANY (@statuses))
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
DELETE FROM deletions WHERE ctid = ANY (ARRAY(
    SELECT ctid FROM deletions WHERE kind IN ('task', 'workflow') AND deleted_at < @before LIMIT @limit));
