-- Typed runtime settings. value holds canonical JSON text; secrets are never returned by the API.
CREATE TABLE configurations (
    key         text COLLATE "C" NOT NULL PRIMARY KEY,
    value_type  text        NOT NULL CHECK (value_type IN ('string', 'integer', 'float', 'boolean', 'json')),
    value       text        NOT NULL,
    description text,
    is_secret   boolean     NOT NULL DEFAULT false,
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL,
    updated_by  text,
    version     bigint      NOT NULL
);
