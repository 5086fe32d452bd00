-- Workflows, their weighted phases (a forest through parent_phase_key) and their history.
CREATE TABLE workflows (
    id                    text COLLATE "C" NOT NULL PRIMARY KEY,
    status                text        NOT NULL CHECK (status IN ('pending', 'in-progress', 'success', 'failed', 'canceled')),
    overall_progress      integer     NOT NULL,
    expected_phase_count  integer     NOT NULL,
    completed_phase_count integer     NOT NULL,
    active_phase_key      text,
    all_phases_done       boolean     NOT NULL,
    metadata              text        NOT NULL,
    created_by            text,
    created_at            timestamptz NOT NULL,
    updated_at            timestamptz NOT NULL,
    completed_at          timestamptz,
    failed_at             timestamptz,
    canceled_at           timestamptz,
    last_seq              bigint      NOT NULL,
    version               bigint      NOT NULL
);
CREATE INDEX ix_workflows_created ON workflows (created_at DESC, id DESC);
CREATE TABLE workflow_phases (
    workflow_id      text COLLATE "C" NOT NULL REFERENCES workflows (id) ON DELETE CASCADE,
    phase_key        text COLLATE "C" NOT NULL,
    label            text             NOT NULL,
    weight           double precision NOT NULL,
    status           text             NOT NULL,
    progress         double precision NOT NULL,
    phase_order      integer          NOT NULL,
    parent_phase_key text,
    depth            integer          NOT NULL,
    started_at       timestamptz,
    updated_at       timestamptz,
    completed_at     timestamptz,
    PRIMARY KEY (workflow_id, phase_key)
);
CREATE TABLE workflow_events (
    workflow_id text COLLATE "C" NOT NULL REFERENCES workflows (id) ON DELETE CASCADE,
    seq         bigint           NOT NULL,
    type        text             NOT NULL,
    phase_key   text,
    message     text             NOT NULL,
    progress    double precision,
    metadata    text,
    timestamp   timestamptz      NOT NULL,
    PRIMARY KEY (workflow_id, seq)
);
