-- A worker may reserve runs for its local queue before starting them (state 'reserved'): their
-- leases expire like running ones, their TTL still counts, and they still hold their unique key.
ALTER TABLE job_runs DROP CONSTRAINT job_runs_state_check;
ALTER TABLE job_runs ADD CONSTRAINT job_runs_state_check CHECK (state IN ('pending', 'reserved', 'running', 'done'));
DROP INDEX ix_job_runs_leases;
CREATE INDEX ix_job_runs_leases ON job_runs (lease_expires_at) WHERE state IN ('reserved', 'running');
DROP INDEX ix_job_runs_ttl;
CREATE INDEX ix_job_runs_ttl ON job_runs (expires_at) WHERE state IN ('pending', 'reserved') AND expires_at IS NOT NULL;
DROP INDEX ux_job_runs_unique;
CREATE UNIQUE INDEX ux_job_runs_unique ON job_runs (unique_key) WHERE unique_key IS NOT NULL AND state IN ('pending', 'reserved');
