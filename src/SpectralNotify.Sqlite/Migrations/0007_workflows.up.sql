-- Workflows, their weighted phases (a forest through parent_phase_key) and their history.
CREATE TABLE workflows (
    id                    TEXT    NOT NULL PRIMARY KEY,
    status                TEXT    NOT NULL CHECK (status IN ('pending', 'in-progress', 'success', 'failed', 'canceled')),
    overall_progress      INTEGER NOT NULL,
    expected_phase_count  INTEGER NOT NULL,
    completed_phase_count INTEGER NOT NULL,
    active_phase_key      TEXT,
    all_phases_done       INTEGER NOT NULL,
    metadata              TEXT    NOT NULL,
    created_by            TEXT,
    created_at            TEXT    NOT NULL,
    updated_at            TEXT    NOT NULL,
    completed_at          TEXT,
    failed_at             TEXT,
    canceled_at           TEXT,
    last_seq              INTEGER NOT NULL,
    version               INTEGER NOT NULL
);
CREATE INDEX ix_workflows_created ON workflows (created_at DESC, id DESC);
CREATE TABLE workflow_phases (
    workflow_id      TEXT    NOT NULL,
    phase_key        TEXT    NOT NULL,
    label            TEXT    NOT NULL,
    weight           REAL    NOT NULL,
    status           TEXT    NOT NULL,
    progress         REAL    NOT NULL,
    phase_order      INTEGER NOT NULL,
    parent_phase_key TEXT,
    depth            INTEGER NOT NULL,
    started_at       TEXT,
    updated_at       TEXT,
    completed_at     TEXT,
    PRIMARY KEY (workflow_id, phase_key)
) WITHOUT ROWID;
CREATE TABLE workflow_events (
    workflow_id TEXT    NOT NULL,
    seq         INTEGER NOT NULL,
    type        TEXT    NOT NULL,
    phase_key   TEXT,
    message     TEXT    NOT NULL,
    progress    REAL,
    metadata    TEXT,
    timestamp   TEXT    NOT NULL,
    PRIMARY KEY (workflow_id, seq)
) WITHOUT ROWID;
