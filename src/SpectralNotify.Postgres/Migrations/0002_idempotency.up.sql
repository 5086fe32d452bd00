-- Answers stored per (scope, key) for 24 h so a retried POST replays instead of writing twice.
CREATE TABLE idempotency_keys (
    scope        text COLLATE "C" NOT NULL,
    key          text COLLATE "C" NOT NULL,
    request_hash text             NOT NULL,
    state        text             NOT NULL CHECK (state IN ('in_flight', 'done')),
    status_code  integer,
    content_type text,
    location     text,
    etag         text,
    body         bytea,
    created_at   timestamptz      NOT NULL,
    expires_at   timestamptz      NOT NULL,
    PRIMARY KEY (scope, key)
);
CREATE INDEX ix_idempotency_expires ON idempotency_keys (expires_at);
