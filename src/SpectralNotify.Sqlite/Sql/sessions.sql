-- name: SessionOpen
INSERT INTO sessions (id, client_id, user_name, connection_type, entity_type, entity_id, node_id, created_at, last_heartbeat, active)
VALUES (@id, @client_id, @user_name, @connection_type, @entity_type, @entity_id, @node_id, @created_at, @created_at, 1);

-- name: SessionClose
UPDATE sessions SET active = 0, ended_at = @now WHERE id = @id AND active = 1;

-- name: SessionDescribe
UPDATE sessions SET entity_id = @entity_id WHERE id = @id AND active = 1;

-- name: SessionHeartbeat
UPDATE sessions SET last_heartbeat = @now WHERE id = @id AND active = 1;

-- name: SessionList
SELECT id, client_id, user_name, connection_type, entity_type, entity_id, node_id, created_at, last_heartbeat, active, ended_at
FROM sessions WHERE (@active IS NULL OR active = @active) ORDER BY created_at DESC, id DESC LIMIT @limit;

-- name: SessionSweep
UPDATE sessions SET active = 0, ended_at = @now
WHERE active = 1 AND ((@node_id IS NOT NULL AND node_id = @node_id) OR (@node_id IS NULL AND last_heartbeat < @stale_before));

-- name: SessionPrune
-- Up to @limit sessions that ended before @ended_before: a bounded statement, so the writer is
-- never held long; the sweep repeats it while it fills a batch.
DELETE FROM sessions WHERE id IN (SELECT id FROM sessions WHERE active = 0 AND ended_at < @ended_before LIMIT @limit);
