-- The node whose request holds an in-flight claim: a node that restarts under the same NodeId
-- releases the claims its previous process left behind instead of refusing retries as in progress.
ALTER TABLE idempotency_keys ADD COLUMN holder TEXT;
