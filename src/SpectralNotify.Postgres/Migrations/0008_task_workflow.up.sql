-- Tasks can belong to a workflow, in order (the orchestrator's workflow_tasks); listing a workflow's tasks is one indexed query.
ALTER TABLE tasks ADD COLUMN workflow_id text COLLATE "C";
ALTER TABLE tasks ADD COLUMN sequence integer;
CREATE INDEX ix_tasks_workflow ON tasks (workflow_id, sequence, created_at, id) WHERE workflow_id IS NOT NULL;
