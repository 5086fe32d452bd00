DROP INDEX ix_tasks_workflow;
ALTER TABLE tasks DROP COLUMN sequence;
ALTER TABLE tasks DROP COLUMN workflow_id;
