using Npgsql;
using SpectralNotify.Jobs;
using SpectralNotify.Storage;
using SpectralNotify.Tasks;

namespace SpectralNotify.Postgres;

/// <summary>
/// Jobs and runs. Claims, lease expiry and schedule firing lock their rows with
/// <c>FOR UPDATE SKIP LOCKED</c>, so any number of nodes share the work without taking the same
/// run or firing the same schedule twice. A run's row is always locked before its task's row.
/// </summary>
public sealed partial class PostgresStore
{
    private const string UniqueRunIndex = "ux_job_runs_unique";

    public async Task<(Job Job, RunChange? Run)> JobCreateAsync(Job job, NewRun? run, CancellationToken ct)
    {
        await using var tx = await BeginAsync(ct);
        if (await tx.ExecuteAsync(Sql["JobInsert"], ps => BindJob(ps, job).With("created_by", job.CreatedBy).With("created_at", job.CreatedAt), ct) == 0)
        {
            throw new JobAlreadyExistsException(job.Id);
        }
        var change = run is null ? null : await EnqueueAsync(tx, run, _time.GetUtcNow(), ct);
        await CommitRunsAsync(tx, ct);
        return (job, change);
    }

    public async Task<Job?> JobGetAsync(string id, CancellationToken ct)
    {
        await using var cmd = Command(Sql["JobGet"]);
        cmd.Parameters.With("id", id);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        return await r.ReadAsync(ct) ? PostgresRows.Rows.Job(r) : null;
    }

    public async Task<JobPage> JobListAsync(JobListParams p, CancellationToken ct)
    {
        await using var cmd = Command(Sql["JobList"]);
        cmd.Parameters.With("type", p.Type).With("queue", p.Queue).With("state", p.State).With("include_deleted", p.IncludeDeleted)
            .With("cursor_created_at", p.Cursor?.CreatedAt).With("cursor_id", p.Cursor?.Id).With("limit", p.Limit + 1);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        var items = new List<Job>();
        while (await r.ReadAsync(ct))
        {
            items.Add(PostgresRows.Rows.Job(r));
        }
        return new JobPage(items, KeysetPage.Trim(items, p.Limit, x => new TaskCursor(x.CreatedAt, x.Id)));
    }

    public async Task<Job> JobUpdateAsync(Job job, long expectedVersion, CancellationToken ct)
    {
        var updated = job with { Version = expectedVersion + 1 };
        await using var cmd = Command(Sql["JobUpdate"]);
        BindJob(cmd.Parameters, updated).With("expected_version", expectedVersion);
        if (await cmd.ExecuteNonQueryAsync(ct) == 1)
        {
            return updated;
        }
        var current = await JobGetAsync(job.Id, ct) ?? throw new JobNotFoundException(job.Id);
        throw new JobVersionMismatchException(job.Id, expectedVersion, current.Version);
    }

    public async Task<IReadOnlyList<RunChange>> JobFireDueAsync(DateTimeOffset now, IScheduleMath math, int limit, CancellationToken ct)
    {
        await using var tx = await BeginAsync(ct);
        var due = await tx.ReadAsync(Sql["JobDue"], ps => ps.With("now", now).With("limit", limit), PostgresRows.Rows.Job, ct);
        var changes = new List<RunChange>();
        foreach (var job in due)
        {
            var (run, next) = JobRules.Fire(job, now, math);
            if (run is not null && (run.UniqueKey is null || await PendingWithKeyAsync(tx, run.UniqueKey, ct) is null))
            {
                changes.Add(await EnqueueAsync(tx, run, now, ct));
            }
            tx.Queue(Sql["JobSetNextFire"], expectedRows: 1).With("id", job.Id).With("next_fire_at", next);
        }
        await tx.CommitAsync(ct);
        return changes;
    }

    public async Task<IReadOnlyList<RunChange>> RunEnqueueAsync(IReadOnlyList<NewRun> runs, CancellationToken ct)
    {
        await using var tx = await BeginAsync(ct);
        var now = _time.GetUtcNow();
        var changes = new List<RunChange>(runs.Count);
        foreach (var run in runs)
        {
            changes.Add(await EnqueueAsync(tx, run, now, ct));
        }
        await CommitRunsAsync(tx, ct);
        return changes;
    }

    public async Task<JobRun?> RunGetAsync(string taskId, CancellationToken ct)
    {
        await using var cmd = Command(Sql["RunGet"]);
        cmd.Parameters.With("task_id", taskId);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        return await r.ReadAsync(ct) ? PostgresRows.Rows.Run(r) : null;
    }

    public async Task<IReadOnlyList<(JobRun Run, Tasks.TaskState Status)>> RunListByJobAsync(string jobId, int limit, CancellationToken ct)
    {
        await using var cmd = Command(Sql["RunListByJob"]);
        cmd.Parameters.With("job_id", jobId).With("limit", limit);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        var list = new List<(JobRun, Tasks.TaskState)>();
        while (await r.ReadAsync(ct))
        {
            list.Add(PostgresRows.Rows.RunWithStatus(r));
        }
        return list;
    }

    public async Task<IReadOnlyList<RunChange>> RunClaimAsync(ClaimRequest request, CancellationToken ct)
    {
        await using var tx = await BeginAsync(ct);
        var now = _time.GetUtcNow();
        var claimable = await ClaimableAsync(tx, request, now, ct);
        var claims = claimable.Select(run => RunRules.Claim(run, request.WorkerId, Guid.NewGuid().ToString("N"), request.Lease, now)).ToList();
        var results = await ApplyManyAsync(tx, claims, now, ct);
        var changes = new List<RunChange>(claims.Count);
        for (var i = 0; i < claims.Count; i++)
        {
            if (results[i] is RunChange change)
            {
                changes.Add(change);
            }
            else
            {
                // Its task was ended some other way (e.g. through the compatible API): the run is over too.
                BindRun(tx.Queue(Sql["RunUpdate"], expectedRows: 1), claimable[i] with { State = JobRun.Done });
            }
        }
        await tx.CommitAsync(ct);
        return changes;
    }

    /// <summary>One statement writes all the reservations; their tasks are not touched, so nothing is announced.</summary>
    public async Task<IReadOnlyList<JobRun>> RunReserveAsync(ClaimRequest request, CancellationToken ct)
    {
        await using var tx = await BeginAsync(ct);
        var now = _time.GetUtcNow();
        var reserved = (await ClaimableAsync(tx, request, now, ct))
            .Select(run => RunRules.Reserve(run, request.WorkerId, Guid.NewGuid().ToString("N"), request.Lease, now)).ToList();
        if (reserved.Count > 0)
        {
            QueueRunRows(tx, reserved);
        }
        await tx.CommitAsync(ct);
        return reserved;
    }

    /// <summary>Locks due runs of the request's queues, served in the order the worker lists them.</summary>
    private static async Task<List<JobRun>> ClaimableAsync(PostgresWriteTransaction tx, ClaimRequest request, DateTimeOffset now, CancellationToken ct)
    {
        var claimable = new List<JobRun>();
        foreach (var queue in request.Queues.Distinct(StringComparer.Ordinal))
        {
            var left = request.Max - claimable.Count;
            claimable.AddRange(await tx.ReadAsync(Sql["RunClaimable"], ps => ps.With("now", now).With("queue", queue)
                .With("types", request.Types).With("limit", left), PostgresRows.Rows.Run, ct));
            if (claimable.Count >= request.Max)
            {
                break;
            }
        }
        return claimable;
    }

    public async Task<JobRun> RunHeartbeatAsync(string taskId, string leaseToken, TimeSpan lease, CancellationToken ct)
    {
        await using var tx = await BeginAsync(ct);
        var run = RunRules.Heartbeat(await ReadRunAsync(tx, taskId, ct), leaseToken, lease, _time.GetUtcNow());
        BindRun(tx.Queue(Sql["RunUpdate"], expectedRows: 1), run);
        await tx.CommitAsync(ct);
        return run;
    }

    /// <summary>A start (<see cref="Lease"/> set) or a completion of a leased run.</summary>
    private sealed record LeaseOp(string TaskId, string LeaseToken, string? Result, TimeSpan? Lease);

    private readonly KeyedCombiner<LeaseOp, RunChange> _leaseOps = new();

    /// <summary>
    /// Starts and completions that arrive together share one transaction (see <see cref="KeyedCombiner{TOp, TResult}"/>):
    /// a burn-down of short runs would otherwise pay a commit and three round trips per run, and a
    /// short run's start and completion often land in the same batch, where its task row is written
    /// once. Each operation still gets its own result; one with a lost lease fails alone. Operations
    /// are applied in the order they arrived, so a run's start always precedes its completion.
    /// </summary>
    /// <remarks>
    /// Runs are spread over <see cref="LeaseLanes"/> lanes by id, each with its own batch in flight: one
    /// lane would make throughput a batch size per round trip time. A run always takes the same lane,
    /// which keeps its operations in order, and lanes never lock the same rows.
    /// </remarks>
    public Task<RunChange> RunStartAsync(string taskId, string leaseToken, TimeSpan lease, CancellationToken ct) =>
        _leaseOps.RunAsync(LaneOf(taskId), new LeaseOp(taskId, leaseToken, null, lease), LeaseBatchAsync);

    /// <inheritdoc cref="RunStartAsync"/>
    public Task<RunChange> RunCompleteAsync(string taskId, string leaseToken, string? result, CancellationToken ct) =>
        _leaseOps.RunAsync(LaneOf(taskId), new LeaseOp(taskId, leaseToken, result, null), LeaseBatchAsync);

    private const int LeaseLanes = 2;
    private static readonly string[] Lanes = [.. Enumerable.Range(0, LeaseLanes).Select(i => $"runs{i}")];

    private static string LaneOf(string taskId) => Lanes[(int)((uint)StringComparer.Ordinal.GetHashCode(taskId) % LeaseLanes)];

    private async Task<IReadOnlyList<object>> LeaseBatchAsync(string _, IReadOnlyList<LeaseOp> ops)
    {
        await using var tx = await BeginAsync(CancellationToken.None);
        var ids = ops.Select(o => o.TaskId).Distinct(StringComparer.Ordinal).ToArray();
        var runs = (await tx.ReadAsync(Sql["PgRunGetMany"], ps => ps.With("task_ids", ids), PostgresRows.Rows.Run, CancellationToken.None))
            .ToDictionary(r => r.TaskId, StringComparer.Ordinal);
        var now = _time.GetUtcNow();
        var results = new object[ops.Count];
        var applied = new List<(JobRun Run, TaskMutation Mutation)>();
        var slots = new List<int>();
        for (var i = 0; i < ops.Count; i++)
        {
            try
            {
                var op = ops[i];
                var run = runs.TryGetValue(op.TaskId, out var r) ? r : throw new RunNotFoundException(op.TaskId);
                var (next, mutation) = op.Lease is { } lease
                    ? RunRules.Start(run, op.LeaseToken, lease, now)
                    : RunRules.Complete(run, op.LeaseToken, op.Result);
                runs[run.TaskId] = next; // the same run twice in one batch: the second sees the first's outcome
                applied.Add((next, mutation));
                slots.Add(i);
            }
            catch (SpectralException ex)
            {
                results[i] = ex;
            }
        }
        var changes = await ApplyManyAsync(tx, applied, now, CancellationToken.None);
        for (var k = 0; k < slots.Count; k++)
        {
            results[slots[k]] = changes[k];
        }
        await tx.CommitAsync(CancellationToken.None);
        return results;
    }

    public async Task<RunChange> RunFailAsync(string taskId, string leaseToken, string error, bool retryable, DateTimeOffset? retryAt, CancellationToken ct)
    {
        await using var tx = await BeginAsync(ct);
        var now = _time.GetUtcNow();
        var (run, mutation) = RunRules.Fail(await ReadRunAsync(tx, taskId, ct), leaseToken, error, retryable, retryAt, now, Random.Shared.NextDouble());
        var change = await ApplyAsync(tx, run, mutation, now, ct);
        await tx.CommitAsync(ct);
        return change;
    }

    public async Task<RunChange?> RunCancelAsync(string taskId, CancellationToken ct)
    {
        await using var tx = await BeginAsync(ct);
        var now = _time.GetUtcNow();
        if (RunRules.Cancel(await ReadRunAsync(tx, taskId, ct), now) is not var (run, mutation))
        {
            return null;
        }
        var change = await ApplyAsync(tx, run, mutation, now, ct);
        await tx.CommitAsync(ct);
        return change;
    }

    public async Task<IReadOnlyList<RunChange>> RunExpireLeasesAsync(DateTimeOffset now, int limit, CancellationToken ct)
    {
        await using var tx = await BeginAsync(ct);
        var expired = await tx.ReadAsync(Sql["RunExpired"], ps => ps.With("now", now).With("limit", limit), PostgresRows.Rows.Run, ct);
        var changes = new List<RunChange>(expired.Count);
        foreach (var run in expired)
        {
            if (run.State == JobRun.Reserved)
            {
                BindRun(tx.Queue(Sql["RunUpdate"], expectedRows: 1), RunRules.Release(run));
                continue;
            }
            var (next, mutation) = RunRules.Expire(run, now, Random.Shared.NextDouble());
            try
            {
                changes.Add(await ApplyAsync(tx, next, mutation, now, ct));
            }
            catch (TaskTerminalException)
            {
                // Its task was ended some other way: the run is over too (and must not block the sweep).
                BindRun(tx.Queue(Sql["RunUpdate"], expectedRows: 1), run with { State = JobRun.Done, LeaseToken = null, LeaseExpiresAt = null });
            }
        }
        foreach (var run in await tx.ReadAsync(Sql["RunTtlExpired"], ps => ps.With("now", now).With("limit", limit), PostgresRows.Rows.Run, ct))
        {
            // A cascade above may have ended it already.
            if ((await ReadRunAsync(tx, run.TaskId, ct)).State is JobRun.Pending or JobRun.Reserved)
            {
                var (canceled, mutation) = RunRules.CancelPending(run, "expired before it started");
                changes.Add(await ApplyAsync(tx, canceled, mutation, now, ct));
            }
        }
        await tx.CommitAsync(ct);
        return changes;
    }

    /// <summary>
    /// Creates the run's task (event 1) and its queue row. Each dependency still running blocks it;
    /// one that already ended without success cancels it at once. Dependencies are locked (FOR
    /// UPDATE) so none can end between this check and the commit without seeing the new dependent.
    /// </summary>
    private async Task<RunChange> EnqueueAsync(PostgresWriteTransaction tx, NewRun input, DateTimeOffset now, CancellationToken ct)
    {
        var (task, run) = JobRules.NewRunRecords(input, now);
        if (run.UniqueKey is not null && await PendingWithKeyAsync(tx, run.UniqueKey, ct) is { } existing)
        {
            throw new RunUniqueConflictException(run.UniqueKey, existing);
        }
        string? failed = null;
        var blocking = new List<string>();
        foreach (var dependency in (input.DependsOn ?? []).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            var depRun = await ReadRunAsync(tx, dependency, ct);
            if (depRun.State != JobRun.Done)
            {
                blocking.Add(dependency);
            }
            else if ((await tx.ReadAsync(Sql["TaskGet"], ps => ps.With("id", dependency), PostgresRows.Rows.Task, ct)).FirstOrDefault()?.Status != TaskState.Success)
            {
                failed ??= dependency;
            }
        }
        run = run with { Blocked = blocking.Count };
        var change = await CreateAsync(tx, task, now, ct);
        BindRun(tx.Queue(Sql["RunInsert"], expectedRows: 1), run).With("job_id", run.JobId).With("type", run.Type).With("queue", run.Queue)
            .With("priority", run.Priority).With("payload", run.Payload).With("max_retries", run.MaxRetries)
            .With("timeout_seconds", run.TimeoutSeconds).With("scheduled_at", run.ScheduledAt).With("unique_key", run.UniqueKey)
            .With("created_at", run.CreatedAt).With("expires_at", run.ExpiresAt).With("blocked", run.Blocked);
        foreach (var dependency in blocking)
        {
            tx.Queue(Sql["RunDependencyInsert"], expectedRows: 1).With("task_id", run.TaskId).With("depends_on", dependency);
        }
        if (failed is not null)
        {
            var (canceled, mutation) = RunRules.CancelPending(run, $"dependency {failed} did not succeed");
            return await ApplyAsync(tx, canceled, mutation, now, ct);
        }
        return new RunChange(run, change);
    }

    /// <summary>Commits; two concurrent enqueues of one unique key meet at the unique index, and the loser gets the 409.</summary>
    private static async Task CommitRunsAsync(PostgresWriteTransaction tx, CancellationToken ct)
    {
        try
        {
            await tx.CommitAsync(ct);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation && e.ConstraintName == UniqueRunIndex)
        {
            throw new RunUniqueConflictException("(concurrent)", "another run enqueued at the same moment");
        }
    }

    /// <summary>
    /// Locks the task (the run row is locked already), writes its event and the run's new state. A run
    /// that ends unblocks its dependents when it succeeded, and cancels them (and theirs) when it did not.
    /// </summary>
    private async Task<RunChange> ApplyAsync(PostgresWriteTransaction tx, JobRun run, TaskMutation mutation, DateTimeOffset now, CancellationToken ct)
    {
        var change = await MutateAsync(tx, run.TaskId, mutation, now, ct);
        BindRun(tx.Queue(Sql["RunUpdate"], expectedRows: 1), run);
        if (run.State != JobRun.Done)
        {
            return new RunChange(run, change);
        }
        if (change.Task.Status == TaskState.Success)
        {
            tx.Queue(Sql["RunUnblock"]).With("depends_on", run.TaskId);
            return new RunChange(run, change);
        }
        var dependents = await tx.ReadAsync(Sql["RunDependents"], ps => ps.With("depends_on", run.TaskId), PostgresRows.Rows.Run, ct);
        var cascade = new List<RunChange>(dependents.Count);
        foreach (var dependent in dependents)
        {
            var (canceled, cancel) = RunRules.CancelPending(dependent, $"dependency {run.TaskId} did not succeed");
            cascade.Add(await ApplyAsync(tx, canceled, cancel, now, ct));
        }
        return new RunChange(run, change, cascade.Count > 0 ? cascade : null);
    }

    /// <summary>
    /// Applies run changes that end neither in failure nor in cancellation (claims, starts, completions): one
    /// locking read for all their tasks, then one statement each for the events, task rows, run rows,
    /// unblocked dependents and notifications of the whole batch. Returns, per item, its
    /// <see cref="RunChange"/> or the exception that refused its task mutation (nothing of it is written).
    /// </summary>
    /// <remarks>Only claims, starts and completions come here: their mutations change the lifecycle columns alone.</remarks>
    private async Task<List<object>> ApplyManyAsync(PostgresWriteTransaction tx, IReadOnlyList<(JobRun Run, TaskMutation Mutation)> items,
        DateTimeOffset now, CancellationToken ct)
    {
        var results = new List<object>(items.Count);
        if (items.Count == 0)
        {
            return results;
        }
        var ids = items.Select(i => i.Run.TaskId).Distinct(StringComparer.Ordinal).ToArray();
        var originals = (await tx.ReadAsync(Sql["PgRunTasksGetMany"], ps => ps.With("task_ids", ids), PostgresRows.Rows.Task, ct))
            .ToDictionary(t => t.Id, StringComparer.Ordinal);
        var tasks = new Dictionary<string, TaskItem>(originals, StringComparer.Ordinal);
        var events = new List<TaskEvent>(items.Count);
        var runs = new Dictionary<string, JobRun>(StringComparer.Ordinal);
        var succeeded = new List<string>();
        var notices = new List<string>(items.Count);
        foreach (var (run, mutation) in items)
        {
            try
            {
                var task = tasks.TryGetValue(run.TaskId, out var t) ? t : throw new TaskNotFoundException(run.TaskId);
                var change = TaskLifecycle.Apply(task, mutation, now);
                tasks[run.TaskId] = change.Task;
                events.Add(change.Event);
                notices.Add(ChangeNotice.ForPosition(_nodeId, change));
                runs[run.TaskId] = run;
                if (run.State == JobRun.Done && change.Task.Status == TaskState.Success)
                {
                    succeeded.Add(run.TaskId);
                }
                results.Add(new RunChange(run, change));
            }
            catch (SpectralException ex)
            {
                results.Add(ex);
            }
        }
        if (events.Count == 0)
        {
            return results;
        }
        var changed = tasks.Where(kv => !ReferenceEquals(kv.Value, originals[kv.Key])).Select(kv => (Task: kv.Value, Expected: originals[kv.Key].Version)).ToList();
        QueueBatch(tx, events, changed, runs.Values.ToList(), succeeded, notices);
        return results;
    }

    private void QueueBatch(PostgresWriteTransaction tx, List<TaskEvent> events, List<(TaskItem Task, long Expected)> tasks, List<JobRun> runs,
        List<string> succeeded, List<string> notices)
    {
        tx.Queue(Sql["PgRunBatchEventInsert"], expectedRows: events.Count)
            .Array("task_ids", events.Select(e => e.TaskId)).Array("seqs", events.Select(e => e.Seq)).Array("types", events.Select(e => e.Type))
            .Array("kinds", events.Select(e => e.Kind)).Array("messages", events.Select(e => e.Message)).Array("progresses", events.Select(e => e.Progress))
            .Array("metadatas", events.Select(e => e.Metadata)).Array("timestamps", events.Select(e => (DateTimeOffset?)e.Timestamp));
        tx.Queue(Sql["PgRunBatchTaskUpdate"], expectedRows: tasks.Count)
            .Array("ids", tasks.Select(t => t.Task.Id)).Array("statuses", tasks.Select(t => t.Task.Status.ToWire()))
            .Array("progresses", tasks.Select(t => (double?)t.Task.Progress)).Array("errors", tasks.Select(t => t.Task.Error))
            .Array("updated", tasks.Select(t => (DateTimeOffset?)t.Task.UpdatedAt)).Array("started", tasks.Select(t => t.Task.StartedAt))
            .Array("completed", tasks.Select(t => t.Task.CompletedAt)).Array("failed", tasks.Select(t => t.Task.FailedAt))
            .Array("canceled", tasks.Select(t => t.Task.CanceledAt)).Array("last_seqs", tasks.Select(t => t.Task.LastSeq))
            .Array("versions", tasks.Select(t => t.Task.Version)).Array("expected", tasks.Select(t => t.Expected));
        QueueRunRows(tx, runs);
        if (succeeded.Count > 0)
        {
            tx.Queue(Sql["PgRunBatchUnblock"]).Array("depends_on", succeeded);
        }
        tx.QueueQuery(Sql["PgRunBatchNotify"]).With("channel", _channel).Array("payloads", notices);
    }

    private static void QueueRunRows(PostgresWriteTransaction tx, List<JobRun> runs) =>
        tx.Queue(Sql["PgRunBatchRunUpdate"], expectedRows: runs.Count)
            .Array("task_ids", runs.Select(r => r.TaskId)).Array("attempts", runs.Select(r => r.Attempt)).Array("run_ats", runs.Select(r => (DateTimeOffset?)r.RunAt))
            .Array("states", runs.Select(r => r.State)).Array("worker_ids", runs.Select(r => r.WorkerId)).Array("lease_tokens", runs.Select(r => r.LeaseToken))
            .Array("lease_expires", runs.Select(r => r.LeaseExpiresAt)).Array("deadlines", runs.Select(r => r.Deadline))
            .Array("cancels", runs.Select(r => r.CancelRequested)).Array("results", runs.Select(r => r.Result));

    private static async Task<string?> PendingWithKeyAsync(PostgresWriteTransaction tx, string key, CancellationToken ct) =>
        (await tx.ReadAsync(Sql["RunPendingByUniqueKey"], ps => ps.With("unique_key", key), r => r.GetString(0), ct)).FirstOrDefault();

    private static async Task<JobRun> ReadRunAsync(PostgresWriteTransaction tx, string taskId, CancellationToken ct)
    {
        var rows = await tx.ReadAsync(ForUpdate("RunGet"), ps => ps.With("task_id", taskId), PostgresRows.Rows.Run, ct);
        return rows.Count == 1 ? rows[0] : throw new RunNotFoundException(taskId);
    }

    private static NpgsqlParameterCollection BindRun(NpgsqlParameterCollection ps, JobRun r) => ps
        .With("task_id", r.TaskId).With("attempt", r.Attempt).With("run_at", r.RunAt).With("state", r.State)
        .With("worker_id", r.WorkerId).With("lease_token", r.LeaseToken).With("lease_expires_at", r.LeaseExpiresAt)
        .With("deadline", r.Deadline).With("cancel_requested", r.CancelRequested).With("result", r.Result);

    private static NpgsqlParameterCollection BindJob(NpgsqlParameterCollection ps, Job j) => ps
        .With("id", j.Id).With("type", j.Type).With("payload", j.Payload).With("queue", j.Queue).With("priority", j.Priority)
        .With("max_retries", j.MaxRetries).With("timeout_seconds", j.TimeoutSeconds).With("schedule", JobScheduleJson.Format(j.Schedule))
        .With("misfire", j.Misfire).With("unique_key", j.UniqueKey).With("state", j.State).With("updated_at", j.UpdatedAt)
        .With("deleted_at", j.DeletedAt).With("version", j.Version).With("next_fire_at", j.NextFireAt);
}
