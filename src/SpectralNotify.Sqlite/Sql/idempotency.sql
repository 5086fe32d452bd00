-- name: IdempotencyGet
SELECT request_hash, state, status_code, content_type, location, body, created_at, expires_at, etag
FROM idempotency_keys WHERE scope = @scope AND key = @key;

-- name: IdempotencyClaim
-- Takes the key when it is free, expired, or an abandoned in-flight claim.
INSERT INTO idempotency_keys (scope, key, request_hash, state, created_at, expires_at, holder)
VALUES (@scope, @key, @request_hash, 'in_flight', @now, @expires_at, @holder)
ON CONFLICT (scope, key) DO UPDATE SET
    request_hash = excluded.request_hash, state = 'in_flight', status_code = NULL, content_type = NULL,
    location = NULL, etag = NULL, body = NULL, created_at = excluded.created_at, expires_at = excluded.expires_at,
    holder = excluded.holder
WHERE idempotency_keys.expires_at <= @now
   OR (idempotency_keys.state = 'in_flight' AND idempotency_keys.created_at <= @stale_before);

-- name: IdempotencyComplete
UPDATE idempotency_keys SET state = 'done', status_code = @status_code, content_type = @content_type,
       location = @location, etag = @etag, body = @body
WHERE scope = @scope AND key = @key;

-- name: IdempotencyRelease
DELETE FROM idempotency_keys WHERE scope = @scope AND key = @key AND state = 'in_flight';

-- name: IdempotencyDeleteExpired
DELETE FROM idempotency_keys WHERE expires_at <= @now;

-- name: IdempotencyReleaseOrphans
-- At start: one process per file, so every in-flight claim was left by a process that is gone.
DELETE FROM idempotency_keys WHERE state = 'in_flight';
