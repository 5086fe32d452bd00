-- Live filtered lists (protocol v2). Tombstones let a list resumed from a cursor remove rows deleted
-- while its client was away; the expiry sweep prunes them after Spectral:LiveListHistory.
-- Task and workflow deletes write them in the same transaction as the delete.
CREATE TABLE deletions (
    kind       TEXT NOT NULL CHECK (kind IN ('task', 'workflow')),
    id         TEXT NOT NULL,
    deleted_at TEXT NOT NULL
);
CREATE INDEX ix_deletions_kind_deleted ON deletions (kind, deleted_at);
-- Snapshots walk these newest first and stop at the list's limit; resumes read the range since a cursor.
-- Every task write moves updated_at, so each of these indexes costs one more b-tree update per event
-- on the single writer. The status one serves the common "active tasks" lists, which otherwise walk
-- past every finished task; workflows change far less often, so one index is enough for them.
CREATE INDEX ix_tasks_updated ON tasks (updated_at DESC, id DESC);
CREATE INDEX ix_tasks_status_updated ON tasks (status, updated_at DESC, id DESC);
CREATE INDEX ix_workflows_updated ON workflows (updated_at DESC, id DESC);
