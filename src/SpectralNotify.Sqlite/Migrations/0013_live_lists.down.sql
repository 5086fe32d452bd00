DROP INDEX ix_workflows_updated;
DROP INDEX ix_tasks_status_updated;
DROP INDEX ix_tasks_updated;
DROP TABLE deletions;
