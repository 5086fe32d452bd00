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
  AND (@include_deleted OR deleted_at IS NULL)
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
LIMIT @limit
-- Each due job is fired by exactly one node: the row stays locked until its run and next fire
-- time commit, and other nodes skip it.
FOR UPDATE SKIP LOCKED;

-- name: JobNextFire
-- The scheduler sleeps until this time (at most its interval); the partial index ix_jobs_due answers it.
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
-- Due pending runs of the listed queues (and the asked types): the first queue's first, each queue's
-- highest priority first, then oldest. One query for every queue of a claim, one LATERAL read per
-- queue: with "queue = ANY(array)" the planner sorts every pending run instead of reading
-- ix_job_runs_ready in order (measured: 116 ms per claim at 80k pending runs). Concurrent claimers
-- take disjoint runs instead of waiting on each other (SKIP LOCKED). Each queue locks up to @limit
-- rows before the final cut, so a claim may hold up to (queues x limit) rows it does not take
-- until it commits, a few milliseconds; other claimers skip them meanwhile.
SELECT r.task_id, r.job_id, r.type, r.queue, r.priority, r.payload, r.attempt, r.max_retries, r.timeout_seconds, r.run_at,
       r.scheduled_at, r.state, r.worker_id, r.lease_token, r.lease_expires_at, r.deadline, r.cancel_requested, r.result,
       r.unique_key, r.created_at, r.expires_at, r.blocked
FROM unnest(@queues::text[]) WITH ORDINALITY AS q(name, ord)
CROSS JOIN LATERAL (
    SELECT c.* FROM job_runs c
    WHERE c.queue = q.name AND c.state = 'pending' AND c.blocked = 0 AND c.run_at <= @now
      AND (c.expires_at IS NULL OR c.expires_at > @now)
      AND (@types IS NULL OR c.type = ANY(@types))
    ORDER BY c.priority DESC, c.run_at, c.task_id
    LIMIT @limit
    FOR UPDATE SKIP LOCKED) r
ORDER BY q.ord, r.priority DESC, r.run_at, r.task_id
LIMIT @limit;

-- name: RunExpired
SELECT task_id, job_id, type, queue, priority, payload, attempt, max_retries, timeout_seconds, run_at, scheduled_at,
       state, worker_id, lease_token, lease_expires_at, deadline, cancel_requested, result, unique_key, created_at, expires_at, blocked
FROM job_runs WHERE state IN ('reserved', 'running') AND lease_expires_at <= @now ORDER BY lease_expires_at LIMIT @limit
FOR UPDATE SKIP LOCKED;

-- name: RunDependencyInsert
INSERT INTO job_run_deps (task_id, depends_on) VALUES (@task_id, @depends_on);

-- name: RunDependents
-- Pending runs waiting for @depends_on.
SELECT r.task_id, r.job_id, r.type, r.queue, r.priority, r.payload, r.attempt, r.max_retries, r.timeout_seconds, r.run_at,
       r.scheduled_at, r.state, r.worker_id, r.lease_token, r.lease_expires_at, r.deadline, r.cancel_requested, r.result,
       r.unique_key, r.created_at, r.expires_at, r.blocked
FROM job_run_deps d JOIN job_runs r ON r.task_id = d.task_id
WHERE d.depends_on = @depends_on AND r.state = 'pending'
ORDER BY r.task_id
-- Waits (no SKIP LOCKED): every dependent must be canceled, none left blocked forever.
FOR UPDATE OF r;

-- name: RunUnblock
-- @depends_on succeeded: its dependents wait for one run fewer.
UPDATE job_runs SET blocked = blocked - 1
WHERE state = 'pending' AND task_id IN (SELECT task_id FROM job_run_deps WHERE depends_on = @depends_on);

-- name: RunTtlExpired
-- Pending or reserved runs whose TTL passed before any worker started them.
SELECT task_id, job_id, type, queue, priority, payload, attempt, max_retries, timeout_seconds, run_at, scheduled_at,
       state, worker_id, lease_token, lease_expires_at, deadline, cancel_requested, result, unique_key, created_at, expires_at, blocked
FROM job_runs WHERE state IN ('pending', 'reserved') AND expires_at IS NOT NULL AND expires_at <= @now ORDER BY expires_at LIMIT @limit
FOR UPDATE SKIP LOCKED;

-- name: PgRunGetMany
-- Locks the runs in id order, so concurrent batches never wait on each other in a cycle.
SELECT task_id, job_id, type, queue, priority, payload, attempt, max_retries, timeout_seconds, run_at, scheduled_at,
       state, worker_id, lease_token, lease_expires_at, deadline, cancel_requested, result, unique_key, created_at, expires_at, blocked
FROM job_runs WHERE task_id = ANY(@task_ids) ORDER BY task_id FOR UPDATE;

-- name: PgRunTasksGetMany
-- The runs' tasks, locked in id order after their runs (a run is always locked before its task).
SELECT id, title, description, type, status, progress, metadata, config, workspace_path, error, created_by,
       created_at, updated_at, started_at, completed_at, failed_at, canceled_at, expires_at, last_seq, version, workflow_id, sequence
FROM tasks WHERE id = ANY(@task_ids) ORDER BY id FOR UPDATE;

-- name: PgRunBatchEventInsert
-- This and the PgRunBatch statements below write a whole batch of run changes (claims, completions)
-- at once: one statement per batch instead of one per run saves PostgreSQL most of its per-statement work.
INSERT INTO task_events (task_id, seq, type, kind, message, progress, metadata, timestamp)
SELECT * FROM unnest(@task_ids::text[], @seqs::bigint[], @types::text[], @kinds::text[], @messages::text[],
                     @progresses::double precision[], @metadatas::text[], @timestamps::timestamptz[]);

-- name: PgRunBatchTaskUpdate
-- Every column TaskUpdate writes, so any task change the job algorithm plans is written whole.
-- The version check guards as in TaskUpdate.
UPDATE tasks t SET title = u.title, description = u.description, status = u.status, progress = u.progress,
       metadata = u.metadata, config = u.config, error = u.error, updated_at = u.updated_at,
       started_at = u.started_at, completed_at = u.completed_at, failed_at = u.failed_at, canceled_at = u.canceled_at,
       last_seq = u.last_seq, version = u.version
FROM unnest(@ids::text[], @titles::text[], @descriptions::text[], @statuses::text[], @progresses::double precision[],
            @metadatas::text[], @configs::text[], @errors::text[], @updated::timestamptz[],
            @started::timestamptz[], @completed::timestamptz[], @failed::timestamptz[], @canceled::timestamptz[],
            @last_seqs::bigint[], @versions::bigint[], @expected::bigint[])
     AS u(id, title, description, status, progress, metadata, config, error, updated_at, started_at, completed_at, failed_at,
          canceled_at, last_seq, version, expected)
WHERE t.id = u.id AND t.version = u.expected;

-- name: PgRunBatchRunUpdate
UPDATE job_runs r SET attempt = u.attempt, run_at = u.run_at, state = u.state, worker_id = u.worker_id,
       lease_token = u.lease_token, lease_expires_at = u.lease_expires_at, deadline = u.deadline,
       cancel_requested = u.cancel_requested, result = u.result
FROM unnest(@task_ids::text[], @attempts::integer[], @run_ats::timestamptz[], @states::text[], @worker_ids::text[],
            @lease_tokens::text[], @lease_expires::timestamptz[], @deadlines::timestamptz[], @cancels::boolean[], @results::text[])
     AS u(task_id, attempt, run_at, state, worker_id, lease_token, lease_expires_at, deadline, cancel_requested, result)
WHERE r.task_id = u.task_id;

-- name: PgRunBatchUnblock
-- @depends_on succeeded: each dependent waits for as many runs fewer as it depended on among them.
UPDATE job_runs SET blocked = job_runs.blocked - d.n
FROM (SELECT task_id, count(*) AS n FROM job_run_deps WHERE depends_on = ANY(@depends_on) GROUP BY task_id) AS d
WHERE job_runs.task_id = d.task_id AND job_runs.state = 'pending';

-- name: PgRunBatchNotify
SELECT pg_notify(@channel, payload) FROM unnest(@payloads::text[]) AS payload;

-- name: PgRunBatchTaskInsert
-- The tasks of every run a transaction enqueues, in one statement (a 250-run POST was 250 inserts).
-- No ON CONFLICT: a taken id fails the statement (23505) and the store finds which one
-- (PostgresStore.TakenIdAsync); ids repeated within one enqueue are refused before this by RunWork.
INSERT INTO tasks (id, title, description, type, status, progress, metadata, config, workspace_path, error, created_by,
                   created_at, updated_at, started_at, completed_at, failed_at, canceled_at, expires_at, last_seq, version,
                   workflow_id, sequence)
SELECT * FROM unnest(@ids::text[], @titles::text[], @descriptions::text[], @types::text[], @statuses::text[],
                     @progresses::double precision[], @metadatas::text[], @configs::text[], @workspace_paths::text[],
                     @errors::text[], @created_bys::text[], @created::timestamptz[], @updated::timestamptz[],
                     @started::timestamptz[], @completed::timestamptz[], @failed::timestamptz[], @canceled::timestamptz[],
                     @expires::timestamptz[], @last_seqs::bigint[], @versions::bigint[], @workflow_ids::text[],
                     @sequences::integer[]);

-- name: PgRunBatchRunInsert
-- The queue rows of those runs, in one statement (after their tasks: the foreign key).
INSERT INTO job_runs (task_id, job_id, type, queue, priority, payload, attempt, max_retries, timeout_seconds, run_at, scheduled_at,
                      state, worker_id, lease_token, lease_expires_at, deadline, cancel_requested, result, unique_key, created_at,
                      expires_at, blocked)
SELECT * FROM unnest(@task_ids::text[], @job_ids::text[], @types::text[], @queues::text[], @priorities::integer[],
                     @payloads::text[], @attempts::integer[], @max_retries::integer[], @timeouts::integer[],
                     @run_ats::timestamptz[], @scheduled::timestamptz[], @states::text[], @worker_ids::text[],
                     @lease_tokens::text[], @lease_expires::timestamptz[], @deadlines::timestamptz[], @cancels::boolean[],
                     @results::text[], @unique_keys::text[], @created::timestamptz[], @expires::timestamptz[], @blocked::integer[]);
