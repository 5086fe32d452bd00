-- name: ConfigGet
SELECT key, value_type, value, description, is_secret, created_at, updated_at, updated_by, version
FROM configurations WHERE key = @key;

-- name: ConfigList
SELECT key, value_type, value, description, is_secret, created_at, updated_at, updated_by, version
FROM configurations ORDER BY key COLLATE "C";

-- name: ConfigPut
INSERT INTO configurations (key, value_type, value, description, is_secret, created_at, updated_at, updated_by, version)
VALUES (@key, @value_type, @value, @description, @is_secret, @now, @now, @updated_by, 1)
ON CONFLICT (key) DO UPDATE SET
    value_type = excluded.value_type, value = excluded.value, description = excluded.description,
    is_secret = excluded.is_secret, updated_at = excluded.updated_at, updated_by = excluded.updated_by,
    version = configurations.version + 1
RETURNING key, value_type, value, description, is_secret, created_at, updated_at, updated_by, version;

-- name: ConfigDelete
DELETE FROM configurations WHERE key = @key;
