-- One row per live connection (WebSocket or SSE), so operators can see who watches what.
CREATE TABLE sessions (
    id              TEXT    NOT NULL PRIMARY KEY,
    client_id       TEXT,
    user_name       TEXT,
    connection_type TEXT    NOT NULL CHECK (connection_type IN ('websocket', 'sse')),
    entity_type     TEXT    NOT NULL,
    entity_id       TEXT    NOT NULL,
    node_id         TEXT    NOT NULL,
    created_at      TEXT    NOT NULL,
    last_heartbeat  TEXT    NOT NULL,
    active          INTEGER NOT NULL DEFAULT 1,
    ended_at        TEXT
);
CREATE INDEX ix_sessions_active ON sessions (active, created_at DESC);
CREATE INDEX ix_sessions_node ON sessions (node_id) WHERE active = 1;
