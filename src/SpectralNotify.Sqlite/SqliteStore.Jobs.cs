using System.Text.Json;
using Microsoft.Data.Sqlite;
using SpectralNotify.Jobs;
using SpectralNotify.Storage;

namespace SpectralNotify.Sqlite;

/// <summary>Jobs and runs. Every write goes through the single writer, which also serializes claims.</summary>
public sealed partial class SqliteStore
{
    public Task<(Job Job, RunChange? Run)> JobCreateAsync(Job job, NewRun? run, CancellationToken ct) =>
        _writer.RunAsync<(Job, RunChange?)>(w =>
        {
            if (BindJob(w.Command(Sql["JobInsert"]), job).With("@created_by", job.CreatedBy).With("@created_at", job.CreatedAt).ExecuteNonQuery() == 0)
            {
                throw new JobAlreadyExistsException(job.Id);
            }
            return (job, run is null ? null : Enqueue(w, run, _time.GetUtcNow()));
        }, ct);

    public async Task<Job?> JobGetAsync(string id, CancellationToken ct)
    {
        await using var c = await OpenReadAsync(ct);
        using var cmd = Cmd(c, Sql["JobGet"]).With("@id", id);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        return await r.ReadAsync(ct) ? SqliteRows.Rows.Job(r) : null;
    }

    public async Task<JobPage> JobListAsync(JobListParams p, CancellationToken ct)
    {
        await using var c = await OpenReadAsync(ct);
        using var cmd = Cmd(c, Sql["JobList"]).With("@type", p.Type).With("@queue", p.Queue).With("@state", p.State)
            .With("@include_deleted", p.IncludeDeleted).With("@cursor_created_at", p.Cursor?.CreatedAt).With("@cursor_id", p.Cursor?.Id)
            .With("@limit", p.Limit + 1);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        var items = new List<Job>();
        while (await r.ReadAsync(ct))
        {
            items.Add(SqliteRows.Rows.Job(r));
        }
        return new JobPage(items, KeysetPage.Trim(items, p.Limit, x => new TaskCursor(x.CreatedAt, x.Id)));
    }

    public Task<Job> JobUpdateAsync(Job job, long expectedVersion, CancellationToken ct) =>
        _writer.RunAsync(w =>
        {
            var updated = job with { Version = expectedVersion + 1 };
            if (BindJob(w.Command(Sql["JobUpdate"]), updated).With("@expected_version", expectedVersion).ExecuteNonQuery() == 1)
            {
                return updated;
            }
            var current = ReadJob(w, job.Id) ?? throw new JobNotFoundException(job.Id);
            throw new JobVersionMismatchException(job.Id, expectedVersion, current.Version);
        }, ct);

    public Task<IReadOnlyList<RunChange>> JobFireDueAsync(DateTimeOffset now, IScheduleMath math, int limit, CancellationToken ct) =>
        _writer.RunAsync<IReadOnlyList<RunChange>>(w =>
        {
            var due = new List<Job>();
            using (var r = w.Command(Sql["JobDue"]).With("@now", Clock.Truncate(now)).With("@limit", limit).ExecuteReader())
            {
                while (r.Read())
                {
                    due.Add(SqliteRows.Rows.Job(r));
                }
            }
            var changes = new List<RunChange>();
            foreach (var job in due)
            {
                var (run, next) = JobRules.Fire(job, now, math);
                if (run is not null && (run.UniqueKey is null || PendingWithKey(w, run.UniqueKey) is null))
                {
                    changes.Add(Enqueue(w, run, now));
                }
                w.Command(Sql["JobSetNextFire"]).With("@id", job.Id).With("@next_fire_at", next).ExecuteNonQuery();
            }
            return changes;
        }, ct);

    public Task<IReadOnlyList<RunChange>> RunEnqueueAsync(IReadOnlyList<NewRun> runs, CancellationToken ct) =>
        _writer.RunAsync<IReadOnlyList<RunChange>>(w =>
        {
            var now = _time.GetUtcNow();
            var changes = new List<RunChange>(runs.Count);
            foreach (var run in runs)
            {
                changes.Add(Enqueue(w, run, now));
            }
            return changes;
        }, ct);

    public async Task<JobRun?> RunGetAsync(string taskId, CancellationToken ct)
    {
        await using var c = await OpenReadAsync(ct);
        using var cmd = Cmd(c, Sql["RunGet"]).With("@task_id", taskId);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        return await r.ReadAsync(ct) ? SqliteRows.Rows.Run(r) : null;
    }

    public async Task<IReadOnlyList<(JobRun Run, Tasks.TaskState Status)>> RunListByJobAsync(string jobId, int limit, CancellationToken ct)
    {
        await using var c = await OpenReadAsync(ct);
        using var cmd = Cmd(c, Sql["RunListByJob"]).With("@job_id", jobId).With("@limit", limit);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        var list = new List<(JobRun, Tasks.TaskState)>();
        while (await r.ReadAsync(ct))
        {
            list.Add(SqliteRows.Rows.RunWithStatus(r));
        }
        return list;
    }

    public Task<IReadOnlyList<RunChange>> RunClaimAsync(ClaimRequest request, CancellationToken ct) =>
        _writer.RunAsync<IReadOnlyList<RunChange>>(w =>
        {
            var now = _time.GetUtcNow();
            var changes = new List<RunChange>();
            foreach (var run in Claimable(w, request, now))
            {
                var (claimed, mutation) = RunRules.Claim(run, request.WorkerId, Guid.NewGuid().ToString("N"), request.Lease, now);
                changes.Add(Apply(w, claimed, mutation, now));
            }
            return changes;
        }, ct);

    public Task<IReadOnlyList<JobRun>> RunReserveAsync(ClaimRequest request, CancellationToken ct) =>
        _writer.RunAsync<IReadOnlyList<JobRun>>(w =>
        {
            var now = _time.GetUtcNow();
            var reserved = new List<JobRun>();
            foreach (var run in Claimable(w, request, now))
            {
                var next = RunRules.Reserve(run, request.WorkerId, Guid.NewGuid().ToString("N"), request.Lease, now);
                BindRun(w.Command(Sql["RunUpdate"]), next).ExecuteNonQuery();
                reserved.Add(next);
            }
            return reserved;
        }, ct);

    public Task<RunChange> RunStartAsync(string taskId, string leaseToken, TimeSpan lease, CancellationToken ct) =>
        _writer.RunAsync(w =>
        {
            var now = _time.GetUtcNow();
            var (run, mutation) = RunRules.Start(ReadRun(w, taskId), leaseToken, lease, now);
            return Apply(w, run, mutation, now);
        }, ct);

    /// <summary>Due runs of the request's queues, served in the order the worker lists them.</summary>
    private static List<JobRun> Claimable(WriteContext w, ClaimRequest request, DateTimeOffset now)
    {
        var claimable = new List<JobRun>();
        var types = request.Types is null ? null : JsonSerializer.Serialize(request.Types);
        foreach (var queue in request.Queues.Distinct(StringComparer.Ordinal))
        {
            using var r = w.Command(Sql["RunClaimable"]).With("@now", Clock.Truncate(now)).With("@queue", queue)
                .With("@types", types)
                .With("@limit", request.Max - claimable.Count).ExecuteReader();
            while (r.Read())
            {
                claimable.Add(SqliteRows.Rows.Run(r));
            }
            if (claimable.Count >= request.Max)
            {
                break;
            }
        }
        return claimable;
    }

    public Task<JobRun> RunHeartbeatAsync(string taskId, string leaseToken, TimeSpan lease, CancellationToken ct) =>
        _writer.RunAsync(w =>
        {
            var run = RunRules.Heartbeat(ReadRun(w, taskId), leaseToken, lease, _time.GetUtcNow());
            BindRun(w.Command(Sql["RunUpdate"]), run).ExecuteNonQuery();
            return run;
        }, ct);

    public Task<RunChange> RunCompleteAsync(string taskId, string leaseToken, string? result, CancellationToken ct) =>
        _writer.RunAsync(w =>
        {
            var (run, mutation) = RunRules.Complete(ReadRun(w, taskId), leaseToken, result);
            return Apply(w, run, mutation, _time.GetUtcNow());
        }, ct);

    public Task<RunChange> RunFailAsync(string taskId, string leaseToken, string error, bool retryable, DateTimeOffset? retryAt, CancellationToken ct) =>
        _writer.RunAsync(w =>
        {
            var now = _time.GetUtcNow();
            var (run, mutation) = RunRules.Fail(ReadRun(w, taskId), leaseToken, error, retryable, retryAt, now, Random.Shared.NextDouble());
            return Apply(w, run, mutation, now);
        }, ct);

    public Task<RunChange?> RunCancelAsync(string taskId, CancellationToken ct) =>
        _writer.RunAsync(w =>
        {
            var now = _time.GetUtcNow();
            return RunRules.Cancel(ReadRun(w, taskId), now) is var (run, mutation) ? Apply(w, run, mutation, now) : null;
        }, ct);

    public Task<IReadOnlyList<RunChange>> RunExpireLeasesAsync(DateTimeOffset now, int limit, CancellationToken ct) =>
        _writer.RunAsync<IReadOnlyList<RunChange>>(w =>
        {
            var changes = new List<RunChange>();
            foreach (var run in ReadRuns(w, "RunExpired", now, limit))
            {
                if (run.State == JobRun.Reserved)
                {
                    BindRun(w.Command(Sql["RunUpdate"]), RunRules.Release(run)).ExecuteNonQuery();
                    continue;
                }
                var (next, mutation) = RunRules.Expire(run, now, Random.Shared.NextDouble());
                try
                {
                    changes.Add(Apply(w, next, mutation, now));
                }
                catch (Tasks.TaskTerminalException)
                {
                    // Its task was ended some other way: the run is over too (and must not block the sweep).
                    BindRun(w.Command(Sql["RunUpdate"]), run with { State = JobRun.Done, LeaseToken = null, LeaseExpiresAt = null }).ExecuteNonQuery();
                }
            }
            foreach (var run in ReadRuns(w, "RunTtlExpired", now, limit))
            {
                // A cascade above may have ended it already.
                if (ReadRun(w, run.TaskId).State is JobRun.Pending or JobRun.Reserved)
                {
                    var (canceled, mutation) = RunRules.CancelPending(run, "expired before it started");
                    changes.Add(Apply(w, canceled, mutation, now));
                }
            }
            return changes;
        }, ct);

    private static List<JobRun> ReadRuns(WriteContext w, string query, DateTimeOffset now, int limit)
    {
        var runs = new List<JobRun>();
        using var r = w.Command(Sql[query]).With("@now", Clock.Truncate(now)).With("@limit", limit).ExecuteReader();
        while (r.Read())
        {
            runs.Add(SqliteRows.Rows.Run(r));
        }
        return runs;
    }

    /// <summary>
    /// Creates the run's task (event 1) and its queue row. Each dependency still running blocks it;
    /// one that already ended without success cancels it at once.
    /// </summary>
    private static RunChange Enqueue(WriteContext w, NewRun input, DateTimeOffset now)
    {
        var (task, run) = JobRules.NewRunRecords(input, now);
        if (run.UniqueKey is not null && PendingWithKey(w, run.UniqueKey) is { } existing)
        {
            throw new RunUniqueConflictException(run.UniqueKey, existing);
        }
        string? failed = null;
        var blocking = new List<string>();
        foreach (var dependency in (input.DependsOn ?? []).Distinct(StringComparer.Ordinal))
        {
            var depRun = ReadRun(w, dependency);
            if (depRun.State != JobRun.Done)
            {
                blocking.Add(dependency);
            }
            else if (ReadTaskStatus(w, dependency) != Tasks.TaskState.Success)
            {
                failed ??= dependency;
            }
        }
        run = run with { Blocked = blocking.Count };
        var change = Create(w, task, now);
        BindRun(w.Command(Sql["RunInsert"]), run).With("@job_id", run.JobId).With("@type", run.Type).With("@queue", run.Queue)
            .With("@priority", run.Priority).With("@payload", run.Payload).With("@max_retries", run.MaxRetries)
            .With("@timeout_seconds", run.TimeoutSeconds).With("@scheduled_at", run.ScheduledAt).With("@unique_key", run.UniqueKey)
            .With("@created_at", run.CreatedAt).With("@expires_at", run.ExpiresAt).With("@blocked", run.Blocked).ExecuteNonQuery();
        foreach (var dependency in blocking)
        {
            w.Command(Sql["RunDependencyInsert"]).With("@task_id", run.TaskId).With("@depends_on", dependency).ExecuteNonQuery();
        }
        if (failed is not null)
        {
            var (canceled, mutation) = RunRules.CancelPending(run, $"dependency {failed} did not succeed");
            return Apply(w, canceled, mutation, now);
        }
        return new RunChange(run, change);
    }

    /// <summary>
    /// Writes the run's new queue state and the task mutation (its event) together. A run that ends
    /// unblocks its dependents when it succeeded, and cancels them (and theirs) when it did not.
    /// </summary>
    private static RunChange Apply(WriteContext w, JobRun run, Tasks.TaskMutation mutation, DateTimeOffset now)
    {
        var change = Mutate(w, run.TaskId, mutation, now);
        BindRun(w.Command(Sql["RunUpdate"]), run).ExecuteNonQuery();
        if (run.State != JobRun.Done)
        {
            return new RunChange(run, change);
        }
        if (change.Task.Status == Tasks.TaskState.Success)
        {
            w.Command(Sql["RunUnblock"]).With("@depends_on", run.TaskId).ExecuteNonQuery();
            return new RunChange(run, change);
        }
        var dependents = new List<JobRun>();
        using (var r = w.Command(Sql["RunDependents"]).With("@depends_on", run.TaskId).ExecuteReader())
        {
            while (r.Read())
            {
                dependents.Add(SqliteRows.Rows.Run(r));
            }
        }
        var cascade = dependents.Select(d =>
        {
            var (canceled, cancel) = RunRules.CancelPending(d, $"dependency {run.TaskId} did not succeed");
            return Apply(w, canceled, cancel, now);
        }).ToList();
        return new RunChange(run, change, cascade.Count > 0 ? cascade : null);
    }

    private static Tasks.TaskState? ReadTaskStatus(WriteContext w, string id)
    {
        using var r = w.Command(Sql["TaskGet"]).With("@id", id).ExecuteReader();
        return r.Read() ? SqliteRows.Rows.Task(r).Status : null;
    }

    private static string? PendingWithKey(WriteContext w, string key) =>
        w.Command(Sql["RunPendingByUniqueKey"]).With("@unique_key", key).ExecuteScalar() as string;

    private static JobRun ReadRun(WriteContext w, string taskId)
    {
        using var r = w.Command(Sql["RunGet"]).With("@task_id", taskId).ExecuteReader();
        return r.Read() ? SqliteRows.Rows.Run(r) : throw new RunNotFoundException(taskId);
    }

    private static Job? ReadJob(WriteContext w, string id)
    {
        using var r = w.Command(Sql["JobGet"]).With("@id", id).ExecuteReader();
        return r.Read() ? SqliteRows.Rows.Job(r) : null;
    }

    /// <summary>The columns a run changes over its life (RunUpdate); RunInsert adds the fixed ones.</summary>
    private static SqliteCommand BindRun(SqliteCommand cmd, JobRun r) => cmd
        .With("@task_id", r.TaskId).With("@attempt", r.Attempt).With("@run_at", r.RunAt).With("@state", r.State)
        .With("@worker_id", r.WorkerId).With("@lease_token", r.LeaseToken).With("@lease_expires_at", r.LeaseExpiresAt)
        .With("@deadline", r.Deadline).With("@cancel_requested", r.CancelRequested).With("@result", r.Result);

    private static SqliteCommand BindJob(SqliteCommand cmd, Job j) => cmd
        .With("@id", j.Id).With("@type", j.Type).With("@payload", j.Payload).With("@queue", j.Queue).With("@priority", j.Priority)
        .With("@max_retries", j.MaxRetries).With("@timeout_seconds", j.TimeoutSeconds).With("@schedule", JobScheduleJson.Format(j.Schedule))
        .With("@misfire", j.Misfire).With("@unique_key", j.UniqueKey).With("@state", j.State).With("@updated_at", j.UpdatedAt)
        .With("@deleted_at", j.DeletedAt).With("@version", j.Version).With("@next_fire_at", j.NextFireAt);
}
