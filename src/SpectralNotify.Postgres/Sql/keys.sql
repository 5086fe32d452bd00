-- name: ApiKeyInsert
INSERT INTO api_keys (id, name, hash, scopes, created_at, expires_at)
VALUES (@id, @name, @hash, @scopes, @now, @expires_at)
ON CONFLICT (name) DO NOTHING
RETURNING id, name, hash, scopes, created_at, expires_at, last_used_at, revoked_at;

-- name: ApiKeyFindUsable
SELECT id, name, hash, scopes, created_at, expires_at, last_used_at, revoked_at
FROM api_keys
WHERE hash = @hash AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > @now);

-- name: ApiKeyGet
SELECT id, name, hash, scopes, created_at, expires_at, last_used_at, revoked_at FROM api_keys WHERE id = @id;

-- name: ApiKeyList
SELECT id, name, hash, scopes, created_at, expires_at, last_used_at, revoked_at FROM api_keys ORDER BY created_at, id;

-- name: ApiKeyRevoke
UPDATE api_keys SET revoked_at = COALESCE(revoked_at, @now) WHERE id = @id
RETURNING id, name, hash, scopes, created_at, expires_at, last_used_at, revoked_at;

-- name: ApiKeyTouch
-- The condition makes nodes that all see the key's traffic write the row once per resolution.
UPDATE api_keys SET last_used_at = @used_at
WHERE id = @id AND (last_used_at IS NULL OR last_used_at < @stale_before);

-- name: SigningKeyInsert
INSERT INTO signing_keys (kid, secret, created_at) VALUES (@kid, @secret, @now)
ON CONFLICT (kid) DO NOTHING
RETURNING kid, secret, created_at, retired_at;

-- name: SigningKeyList
SELECT kid, secret, created_at, retired_at FROM signing_keys
WHERE @include_retired OR retired_at IS NULL
ORDER BY created_at, kid;

-- name: SigningKeyRetire
UPDATE signing_keys SET retired_at = @now WHERE kid = @kid AND retired_at IS NULL;

-- name: SigningKeyDeleteRetired
DELETE FROM signing_keys WHERE retired_at IS NOT NULL AND retired_at < @retired_before;
