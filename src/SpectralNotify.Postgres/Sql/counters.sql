-- name: CounterGet
SELECT name, value, created_at, updated_at, operation_count, created_by, last_seq FROM counters WHERE name = @name;

-- name: CounterInsert
INSERT INTO counters (name, value, created_at, updated_at, operation_count, created_by, last_seq)
VALUES (@name, @value, @created_at, @updated_at, @operation_count, @created_by, @last_seq)
ON CONFLICT (name) DO NOTHING;

-- name: CounterUpdate
UPDATE counters SET value = @value, updated_at = @updated_at, operation_count = @operation_count, last_seq = @last_seq
WHERE name = @name;

-- name: CounterHistoryInsert
INSERT INTO counter_history (name, seq, operation, previous_value, new_value, timestamp)
VALUES (@name, @seq, @operation, @previous_value, @new_value, @timestamp);

-- name: CounterHistoryList
SELECT name, seq, operation, previous_value, new_value, timestamp
FROM counter_history WHERE name = @name AND seq > @after ORDER BY seq LIMIT @limit;

-- name: CounterList
SELECT name, value, created_at, updated_at, operation_count, created_by, last_seq FROM counters ORDER BY name COLLATE "C";

-- name: CounterDelete
-- counter_history rows go with it (ON DELETE CASCADE).
DELETE FROM counters WHERE name = @name;
