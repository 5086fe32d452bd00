DROP FUNCTION spectral_json_float8(text);
DROP INDEX ix_workflows_updated;
DROP INDEX ix_tasks_updated;
DROP TABLE deletions;
