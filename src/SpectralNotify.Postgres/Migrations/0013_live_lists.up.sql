-- Live filtered lists (protocol v2). Tombstones let a list resumed from a cursor remove rows deleted
-- while its client was away; the expiry sweep prunes them after Spectral:LiveListHistory.
-- Task and workflow deletes write them in the same transaction as the delete.
CREATE TABLE deletions (
    kind       text COLLATE "C" NOT NULL CHECK (kind IN ('task', 'workflow')),
    id         text COLLATE "C" NOT NULL,
    deleted_at timestamptz      NOT NULL
);
CREATE INDEX ix_deletions_kind_deleted ON deletions (kind, deleted_at);

-- Snapshots walk this index newest first and stop at the list's limit; resumes read the range since
-- a cursor. Its cost: the tasks row is updated on every event, and updated_at moves every time, so
-- with an index on it no task update can be HOT any more. Each event then writes a new entry into
-- every index of tasks (not only this one) and leaves more dead entries for vacuum. That is why
-- PostgreSQL gets this one index and not also (status, updated_at) as SQLite does: a status-filtered
-- list walks this index and skips non-matching rows instead.
CREATE INDEX ix_tasks_updated ON tasks (updated_at DESC, id DESC);
-- Workflows change once per phase update, far less often than tasks.
CREATE INDEX ix_workflows_updated ON workflows (updated_at DESC, id DESC);

-- A metadata number as ListFilter.Matches reads it: an IEEE double, 0 when it is too small for one
-- and NULL (equal to nothing) when it is too large: .NET reads that as infinite, which no filter number equals.
-- float8 input raises an error for both; this turns the error into that answer. The lists SQL only
-- calls it for the rare number with an exponent or over 300 characters (others convert directly),
-- because the EXCEPTION block costs a subtransaction per call.
CREATE FUNCTION spectral_json_float8(number text) RETURNS double precision
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
    parts text[];
    exponent numeric;
BEGIN
    RETURN number::double precision;
EXCEPTION WHEN numeric_value_out_of_range OR invalid_text_representation THEN
    -- A JSON number: sign, integer part, fraction, exponent. Out of range means a non-zero mantissa.
    parts := regexp_match(number, '^-?([0-9]+)(?:\.([0-9]+))?(?:[eE]([+-]?[0-9]+))?$');
    IF parts IS NULL THEN
        RETURN NULL;
    END IF;
    exponent := coalesce(parts[3], '0')::numeric;
    IF ltrim(parts[1], '0') <> '' THEN
        exponent := exponent + length(ltrim(parts[1], '0')) - 1;
    ELSE
        exponent := exponent - (length(coalesce(parts[2], '')) - length(ltrim(coalesce(parts[2], ''), '0'))) - 1;
    END IF;
    RETURN CASE WHEN exponent < 0 THEN 0 ELSE NULL END;
END
$$;
