-- The node whose request holds an in-flight claim (as on PostgreSQL). SQLite serves one process per
-- file, so a starting server releases every in-flight claim: all of them were left by a process
-- that is gone.
ALTER TABLE idempotency_keys ADD COLUMN holder TEXT;
