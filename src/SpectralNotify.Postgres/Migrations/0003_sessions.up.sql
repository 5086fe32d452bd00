-- One row per live connection (WebSocket or SSE), so operators can see who watches what.
CREATE TABLE sessions (
    id              text COLLATE "C" NOT NULL PRIMARY KEY,
    client_id       text,
    user_name       text,
    connection_type text             NOT NULL CHECK (connection_type IN ('websocket', 'sse')),
    entity_type     text             NOT NULL,
    entity_id       text             NOT NULL,
    node_id         text             NOT NULL,
    created_at      timestamptz      NOT NULL,
    last_heartbeat  timestamptz      NOT NULL,
    active          boolean          NOT NULL DEFAULT true,
    ended_at        timestamptz
);
CREATE INDEX ix_sessions_active ON sessions (active, created_at DESC);
CREATE INDEX ix_sessions_node ON sessions (node_id) WHERE active;
