-- Counts for GET /api/v1/stats (IStatsStore). Names are ordered COLLATE "C" (byte order), as in SQLite.

-- name: StatsTaskCounts
SELECT status, count(*) FROM tasks GROUP BY status ORDER BY status COLLATE "C";

-- name: StatsFinished
-- Times are stored at whole milliseconds, so the millisecond count since @from is exact; floor before the
-- cast, which would round.
SELECT status, floor(extract(epoch FROM (finished_at - @from)) * 1000 / @bucket_ms)::bigint, count(*)
FROM (SELECT status,
             CASE status WHEN 'success' THEN completed_at WHEN 'failed' THEN failed_at ELSE canceled_at END AS finished_at
      FROM tasks WHERE status IN ('success', 'failed', 'canceled')) AS f
WHERE finished_at >= @from AND finished_at < @to
GROUP BY 1, 2
ORDER BY status COLLATE "C", 2;

-- name: StatsQueues
SELECT queue,
       count(*) FILTER (WHERE state = 'pending' AND blocked = 0 AND run_at <= @now),
       count(*) FILTER (WHERE state = 'pending' AND (blocked <> 0 OR run_at > @now)),
       count(*) FILTER (WHERE state IN ('reserved', 'running')),
       min(run_at) FILTER (WHERE state = 'pending' AND blocked = 0 AND run_at <= @now)
FROM job_runs WHERE state <> 'done'
GROUP BY queue
ORDER BY queue COLLATE "C";

-- name: StatsWorkers
SELECT worker_id, queue, count(*)
FROM job_runs
WHERE state IN ('reserved', 'running') AND worker_id IS NOT NULL AND lease_expires_at > @now
GROUP BY worker_id, queue
ORDER BY worker_id COLLATE "C", queue COLLATE "C";

-- name: StatsNodes
SELECT node_id, count(*) FROM sessions WHERE active GROUP BY node_id ORDER BY node_id COLLATE "C";
