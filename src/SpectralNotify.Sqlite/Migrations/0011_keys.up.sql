-- API keys managed at run time (configured keys are not stored). Only the SHA-256 of a secret is
-- kept; authentication looks the presented key up by that hash on every request.
CREATE TABLE api_keys (
    id           TEXT NOT NULL PRIMARY KEY,
    name         TEXT NOT NULL UNIQUE,
    hash         TEXT NOT NULL UNIQUE CHECK (length(hash) = 64 AND hash NOT GLOB '*[^0-9a-f]*'),
    scopes       TEXT NOT NULL,                -- space-separated: read, write, admin
    created_at   TEXT NOT NULL,
    expires_at   TEXT,
    last_used_at TEXT,                         -- written at most once a minute per key
    revoked_at   TEXT
);
-- Token signing secrets (HS256): active ones sign, retired ones only verify until they are deleted.
CREATE TABLE signing_keys (
    kid        TEXT NOT NULL PRIMARY KEY,
    secret     BLOB NOT NULL CHECK (typeof(secret) = 'blob' AND length(secret) >= 32),
    created_at TEXT NOT NULL,
    retired_at TEXT
);
CREATE INDEX signing_keys_active ON signing_keys (created_at, kid) WHERE retired_at IS NULL;
