-- name: JobInsert
INSERT INTO jobs (id, type, payload, queue, priority, max_retries, timeout_seconds, schedule, misfire, unique_key, state,
                  created_by, created_at, updated_at, deleted_at, version, next_fire_at)
VALUES (@id, @type, @payload, @queue, @priority, @max_retries, @timeout_seconds, @schedule, @misfire, @unique_key, @state,
        @created_by, @created_at, @updated_at, @deleted_at, @version, @next_fire_at)
ON CONFLICT (id) DO NOTHING;

-- name: JobGet
SELECT id, type, payload, queue, priority, max_retries, timeout_seconds, schedule, misfire, unique_key, state,
       created_by, created_at, updated_at, deleted_at, version, next_fire_at
FROM jobs WHERE id = @id;

-- name: JobList
-- Newest first; keyset on (created_at, id).
SELECT id, type, payload, queue, priority, max_retries, timeout_seconds, schedule, misfire, unique_key, state,
       created_by, created_at, updated_at, deleted_at, version, next_fire_at
FROM jobs
WHERE (@type IS NULL OR type = @type)
  AND (@queue IS NULL OR queue = @queue)
  AND (@state IS NULL OR state = @state)
  AND (@include_deleted = 1 OR deleted_at IS NULL)
  AND (@cursor_created_at IS NULL OR created_at < @cursor_created_at OR (created_at = @cursor_created_at AND id < @cursor_id))
ORDER BY created_at DESC, id DESC
LIMIT @limit;

-- name: JobUpdate
UPDATE jobs SET type = @type, payload = @payload, queue = @queue, priority = @priority, max_retries = @max_retries,
       timeout_seconds = @timeout_seconds, schedule = @schedule, misfire = @misfire, unique_key = @unique_key, state = @state,
       updated_at = @updated_at, deleted_at = @deleted_at, version = @version, next_fire_at = @next_fire_at
WHERE id = @id AND version = @expected_version;

-- name: JobDue
SELECT id, type, payload, queue, priority, max_retries, timeout_seconds, schedule, misfire, unique_key, state,
       created_by, created_at, updated_at, deleted_at, version, next_fire_at
FROM jobs
WHERE next_fire_at IS NOT NULL AND next_fire_at <= @due_by AND state = 'active' AND deleted_at IS NULL
ORDER BY next_fire_at
LIMIT @limit;

-- name: JobNextFire
-- The scheduler sleeps until this time (at most its interval); the partial index jobs_due answers it.
SELECT min(next_fire_at) FROM jobs WHERE next_fire_at IS NOT NULL AND state = 'active' AND deleted_at IS NULL;

-- name: JobSetNextFire
-- Bookkeeping of the scheduler: the version (the client's If-Match) does not change.
UPDATE jobs SET next_fire_at = @next_fire_at WHERE id = @id;

-- name: RunInsert
INSERT INTO job_runs (task_id, job_id, type, queue, priority, payload, attempt, max_retries, timeout_seconds, run_at, scheduled_at,
                      state, worker_id, lease_token, lease_expires_at, deadline, cancel_requested, result, unique_key, created_at,
                      expires_at, blocked)
VALUES (@task_id, @job_id, @type, @queue, @priority, @payload, @attempt, @max_retries, @timeout_seconds, @run_at, @scheduled_at,
        @state, @worker_id, @lease_token, @lease_expires_at, @deadline, @cancel_requested, @result, @unique_key, @created_at,
        @expires_at, @blocked);

-- name: RunGet
SELECT task_id, job_id, type, queue, priority, payload, attempt, max_retries, timeout_seconds, run_at, scheduled_at,
       state, worker_id, lease_token, lease_expires_at, deadline, cancel_requested, result, unique_key, created_at, expires_at, blocked
FROM job_runs WHERE task_id = @task_id;

-- name: RunPendingByUniqueKey
SELECT task_id FROM job_runs WHERE unique_key = @unique_key AND state IN ('pending', 'reserved');

-- name: RunListByJob
-- With each run's task status, so a listing is one query.
SELECT r.task_id, r.job_id, r.type, r.queue, r.priority, r.payload, r.attempt, r.max_retries, r.timeout_seconds, r.run_at,
       r.scheduled_at, r.state, r.worker_id, r.lease_token, r.lease_expires_at, r.deadline, r.cancel_requested, r.result,
       r.unique_key, r.created_at, r.expires_at, r.blocked, t.status
FROM job_runs r JOIN tasks t ON t.id = r.task_id
WHERE r.job_id = @job_id ORDER BY r.created_at DESC, r.task_id DESC LIMIT @limit;

-- name: RunUpdate
UPDATE job_runs SET attempt = @attempt, run_at = @run_at, state = @state, worker_id = @worker_id, lease_token = @lease_token,
       lease_expires_at = @lease_expires_at, deadline = @deadline, cancel_requested = @cancel_requested, result = @result
WHERE task_id = @task_id;

-- name: RunClaimable
-- Due pending runs of the listed queues (@queues, a JSON array) and asked types: the first queue's
-- first, each queue's highest priority first, then oldest. One query for every queue of a claim;
-- the correlated subquery reads each queue from job_runs_ready in index order (at most @limit rows
-- each), so no queue's pending runs are sorted, and only those few rows are sorted at the end.
SELECT r.task_id, r.job_id, r.type, r.queue, r.priority, r.payload, r.attempt, r.max_retries, r.timeout_seconds, r.run_at,
       r.scheduled_at, r.state, r.worker_id, r.lease_token, r.lease_expires_at, r.deadline, r.cancel_requested, r.result,
       r.unique_key, r.created_at, r.expires_at, r.blocked
FROM json_each(@queues) q
JOIN job_runs r ON r.task_id IN (
    SELECT c.task_id FROM job_runs c
    WHERE c.queue = q.value AND c.state = 'pending' AND c.blocked = 0 AND c.run_at <= @now
      AND (c.expires_at IS NULL OR c.expires_at > @now)
      AND (@types IS NULL OR c.type IN (SELECT value FROM json_each(@types)))
    ORDER BY c.priority DESC, c.run_at, c.task_id
    LIMIT @limit)
ORDER BY q.key, r.priority DESC, r.run_at, r.task_id
LIMIT @limit;

-- name: RunExpired
SELECT task_id, job_id, type, queue, priority, payload, attempt, max_retries, timeout_seconds, run_at, scheduled_at,
       state, worker_id, lease_token, lease_expires_at, deadline, cancel_requested, result, unique_key, created_at, expires_at, blocked
FROM job_runs WHERE state IN ('reserved', 'running') AND lease_expires_at <= @now ORDER BY lease_expires_at LIMIT @limit;

-- name: RunDependencyInsert
INSERT INTO job_run_deps (task_id, depends_on) VALUES (@task_id, @depends_on);

-- name: RunDependents
-- Pending runs waiting for @depends_on.
SELECT r.task_id, r.job_id, r.type, r.queue, r.priority, r.payload, r.attempt, r.max_retries, r.timeout_seconds, r.run_at,
       r.scheduled_at, r.state, r.worker_id, r.lease_token, r.lease_expires_at, r.deadline, r.cancel_requested, r.result,
       r.unique_key, r.created_at, r.expires_at, r.blocked
FROM job_run_deps d JOIN job_runs r ON r.task_id = d.task_id
WHERE d.depends_on = @depends_on AND r.state = 'pending'
ORDER BY r.task_id;

-- name: RunUnblock
-- @depends_on succeeded: its dependents wait for one run fewer.
UPDATE job_runs SET blocked = blocked - 1
WHERE state = 'pending' AND task_id IN (SELECT task_id FROM job_run_deps WHERE depends_on = @depends_on);

-- name: RunTtlExpired
-- Pending or reserved runs whose TTL passed before any worker started them.
SELECT task_id, job_id, type, queue, priority, payload, attempt, max_retries, timeout_seconds, run_at, scheduled_at,
       state, worker_id, lease_token, lease_expires_at, deadline, cancel_requested, result, unique_key, created_at, expires_at, blocked
FROM job_runs WHERE state IN ('pending', 'reserved') AND expires_at IS NOT NULL AND expires_at <= @now ORDER BY expires_at LIMIT @limit;
