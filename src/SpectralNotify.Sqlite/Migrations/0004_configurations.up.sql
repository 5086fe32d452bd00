-- Typed runtime settings. value holds canonical JSON text; secrets are never returned by the API.
CREATE TABLE configurations (
    key         TEXT    NOT NULL PRIMARY KEY,
    value_type  TEXT    NOT NULL CHECK (value_type IN ('string', 'integer', 'float', 'boolean', 'json')),
    value       TEXT    NOT NULL,
    description TEXT,
    is_secret   INTEGER NOT NULL DEFAULT 0 CHECK (is_secret IN (0, 1)),
    created_at  TEXT    NOT NULL,
    updated_at  TEXT    NOT NULL,
    updated_by  TEXT,
    version     INTEGER NOT NULL
);
