-- Named integers and the history of every operation on them (seq 1, 2, 3 … per counter).
CREATE TABLE counters (
    name            TEXT    NOT NULL PRIMARY KEY,
    value           INTEGER NOT NULL,
    created_at      TEXT    NOT NULL,
    updated_at      TEXT    NOT NULL,
    operation_count INTEGER NOT NULL,
    created_by      TEXT,
    last_seq        INTEGER NOT NULL
);
CREATE TABLE counter_history (
    name           TEXT    NOT NULL,
    seq            INTEGER NOT NULL,
    operation      TEXT    NOT NULL CHECK (operation IN ('create', 'increment', 'decrement', 'set', 'reset')),
    previous_value INTEGER NOT NULL,
    new_value      INTEGER NOT NULL,
    timestamp      TEXT    NOT NULL,
    PRIMARY KEY (name, seq)
) WITHOUT ROWID;
