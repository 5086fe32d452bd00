UPDATE job_runs SET state = 'pending', worker_id = NULL, lease_token = NULL, lease_expires_at = NULL WHERE state = 'reserved';
DROP INDEX ux_job_runs_unique;
CREATE UNIQUE INDEX ux_job_runs_unique ON job_runs (unique_key) WHERE unique_key IS NOT NULL AND state = 'pending';
DROP INDEX ix_job_runs_ttl;
CREATE INDEX ix_job_runs_ttl ON job_runs (expires_at) WHERE state = 'pending' AND expires_at IS NOT NULL;
DROP INDEX ix_job_runs_leases;
CREATE INDEX ix_job_runs_leases ON job_runs (lease_expires_at) WHERE state = 'running';
ALTER TABLE job_runs DROP CONSTRAINT job_runs_state_check;
ALTER TABLE job_runs ADD CONSTRAINT job_runs_state_check CHECK (state IN ('pending', 'running', 'done'));
