-- Answers stored per (scope, key) for 24 h so a retried POST replays instead of writing twice.
CREATE TABLE idempotency_keys (
    scope        TEXT    NOT NULL,
    key          TEXT    NOT NULL,
    request_hash TEXT    NOT NULL,
    state        TEXT    NOT NULL CHECK (state IN ('in_flight', 'done')),
    status_code  INTEGER,
    content_type TEXT,
    location     TEXT,
    etag         TEXT,
    body         BLOB,
    created_at   TEXT    NOT NULL,
    expires_at   TEXT    NOT NULL,
    PRIMARY KEY (scope, key)
) WITHOUT ROWID;
CREATE INDEX ix_idempotency_expires ON idempotency_keys (expires_at);
