CREATE TABLE task_events_clustered (
    task_id   TEXT    NOT NULL,
    seq       INTEGER NOT NULL,
    type      TEXT    NOT NULL CHECK (type IN ('log', 'progress', 'error', 'success')),
    kind      TEXT    NOT NULL,
    message   TEXT    NOT NULL,
    progress  REAL,
    metadata  TEXT,
    timestamp TEXT    NOT NULL,
    PRIMARY KEY (task_id, seq)
) WITHOUT ROWID;
INSERT INTO task_events_clustered SELECT task_id, seq, type, kind, message, progress, metadata, timestamp FROM task_events;
DROP TABLE task_events;
ALTER TABLE task_events_clustered RENAME TO task_events;
