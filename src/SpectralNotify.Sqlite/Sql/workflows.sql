-- name: WorkflowGet
SELECT id, status, overall_progress, expected_phase_count, completed_phase_count, active_phase_key, all_phases_done,
       metadata, created_by, created_at, updated_at, completed_at, failed_at, canceled_at, last_seq, version
FROM workflows WHERE id = @id;

-- name: WorkflowInsert
INSERT INTO workflows (id, status, overall_progress, expected_phase_count, completed_phase_count, active_phase_key, all_phases_done,
                       metadata, created_by, created_at, updated_at, completed_at, failed_at, canceled_at, last_seq, version)
VALUES (@id, @status, @overall_progress, @expected_phase_count, @completed_phase_count, @active_phase_key, @all_phases_done,
        @metadata, @created_by, @created_at, @updated_at, @completed_at, @failed_at, @canceled_at, @last_seq, @version)
ON CONFLICT (id) DO NOTHING;

-- name: WorkflowUpdate
UPDATE workflows SET status = @status, overall_progress = @overall_progress, completed_phase_count = @completed_phase_count,
       active_phase_key = @active_phase_key, all_phases_done = @all_phases_done, updated_at = @updated_at,
       completed_at = @completed_at, failed_at = @failed_at, canceled_at = @canceled_at, last_seq = @last_seq, version = @version
WHERE id = @id;

-- name: WorkflowList
SELECT id, status, overall_progress, expected_phase_count, completed_phase_count, active_phase_key, all_phases_done,
       metadata, created_by, created_at, updated_at, completed_at, failed_at, canceled_at, last_seq, version
FROM workflows
WHERE (@status IS NULL OR status = @status)
  AND (@cursor_created IS NULL OR created_at < @cursor_created OR (created_at = @cursor_created AND id < @cursor_id))
ORDER BY created_at DESC, id DESC
LIMIT @limit;

-- name: WorkflowDelete
DELETE FROM workflow_events WHERE workflow_id = @id;
DELETE FROM workflow_phases WHERE workflow_id = @id;
DELETE FROM workflows WHERE id = @id;

-- name: WorkflowPhaseList
SELECT phase_key, label, weight, status, progress, phase_order, parent_phase_key, depth, started_at, updated_at, completed_at
FROM workflow_phases WHERE workflow_id = @workflow_id ORDER BY phase_order;

-- name: WorkflowPhaseUpsert
-- Every phase on create; on an update only the phases it changed (the phase and the ancestors whose
-- rolled-up progress or status moved), so an update writes at most depth + 1 rows, not the whole workflow.
INSERT INTO workflow_phases (workflow_id, phase_key, label, weight, status, progress, phase_order, parent_phase_key, depth,
                             started_at, updated_at, completed_at)
VALUES (@workflow_id, @phase_key, @label, @weight, @status, @progress, @phase_order, @parent_phase_key, @depth,
        @started_at, @updated_at, @completed_at)
ON CONFLICT (workflow_id, phase_key) DO UPDATE SET status = excluded.status, progress = excluded.progress,
    started_at = excluded.started_at, updated_at = excluded.updated_at, completed_at = excluded.completed_at;

-- name: WorkflowEventInsert
INSERT INTO workflow_events (workflow_id, seq, type, phase_key, message, progress, metadata, timestamp)
VALUES (@workflow_id, @seq, @type, @phase_key, @message, @progress, @metadata, @timestamp);

-- name: WorkflowEventList
SELECT workflow_id, seq, type, phase_key, message, progress, metadata, timestamp
FROM workflow_events WHERE workflow_id = @workflow_id AND seq > @after ORDER BY seq LIMIT @limit;
