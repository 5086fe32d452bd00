-- Named integers and the history of every operation on them (seq 1, 2, 3 … per counter).
CREATE TABLE counters (
    name            text COLLATE "C" NOT NULL PRIMARY KEY,
    value           bigint      NOT NULL,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    operation_count bigint      NOT NULL,
    created_by      text,
    last_seq        bigint      NOT NULL
);
CREATE TABLE counter_history (
    name           text COLLATE "C" NOT NULL REFERENCES counters (name) ON DELETE CASCADE,
    seq            bigint      NOT NULL,
    operation      text        NOT NULL CHECK (operation IN ('create', 'increment', 'decrement', 'set', 'reset')),
    previous_value bigint      NOT NULL,
    new_value      bigint      NOT NULL,
    timestamp      timestamptz NOT NULL,
    PRIMARY KEY (name, seq)
);
