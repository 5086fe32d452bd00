-- API keys managed at run time (configured keys are not stored). Only the SHA-256 of a secret is
-- kept; authentication looks the presented key up by that hash on every request, so a revocation
-- is seen by every node at its next request.
CREATE TABLE api_keys (
    id           text COLLATE "C" NOT NULL PRIMARY KEY,
    name         text COLLATE "C" NOT NULL UNIQUE,
    hash         text COLLATE "C" NOT NULL UNIQUE CHECK (hash ~ '^[0-9a-f]{64}$'),
    scopes       text        NOT NULL,                -- space-separated: read, write, admin
    created_at   timestamptz NOT NULL,
    expires_at   timestamptz,
    last_used_at timestamptz,                         -- written at most once a minute per key
    revoked_at   timestamptz
);
-- Token signing secrets shared by every node (HS256): active ones sign, retired ones only verify
-- until they are deleted.
CREATE TABLE signing_keys (
    kid        text COLLATE "C" NOT NULL PRIMARY KEY,
    secret     bytea       NOT NULL CHECK (octet_length(secret) >= 32),
    created_at timestamptz NOT NULL,
    retired_at timestamptz
);
CREATE INDEX signing_keys_active ON signing_keys (created_at, kid) WHERE retired_at IS NULL;
