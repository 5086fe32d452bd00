-- Counts for GET /api/v1/stats (IStatsStore). Times are the fixed-width wire text, so they compare as text.

-- name: StatsTaskCounts
SELECT status, count(*) FROM tasks GROUP BY status ORDER BY status;

-- name: StatsFinished
-- The bucket is whole milliseconds since @from (rounded, so julianday's floating point cannot move a
-- task that finished exactly on a boundary) divided by the bucket length.
SELECT status, CAST(round((julianday(finished_at) - julianday(@from)) * 86400000.0) AS INTEGER) / @bucket_ms, count(*)
FROM (SELECT status,
             CASE status WHEN 'success' THEN completed_at WHEN 'failed' THEN failed_at ELSE canceled_at END AS finished_at
      FROM tasks WHERE status IN ('success', 'failed', 'canceled'))
WHERE finished_at >= @from AND finished_at < @to
GROUP BY 1, 2
ORDER BY 1, 2;

-- name: StatsQueues
SELECT queue,
       sum(CASE WHEN state = 'pending' AND blocked = 0 AND run_at <= @now THEN 1 ELSE 0 END),
       sum(CASE WHEN state = 'pending' AND (blocked <> 0 OR run_at > @now) THEN 1 ELSE 0 END),
       sum(CASE WHEN state IN ('reserved', 'running') THEN 1 ELSE 0 END),
       min(CASE WHEN state = 'pending' AND blocked = 0 AND run_at <= @now THEN run_at END)
FROM job_runs WHERE state <> 'done'
GROUP BY queue
ORDER BY queue;

-- name: StatsWorkers
SELECT worker_id, queue, count(*)
FROM job_runs
WHERE state IN ('reserved', 'running') AND worker_id IS NOT NULL AND lease_expires_at > @now
GROUP BY worker_id, queue
ORDER BY worker_id, queue;

-- name: StatsNodes
SELECT node_id, count(*) FROM sessions WHERE active = 1 GROUP BY node_id ORDER BY node_id;
