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
        var change = run is null ? null : (await RunWorkAsync(tx, _time.GetUtcNow(), work => work.EnqueueAsync([run], ct)))[0];
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

    public Task<SweepResult> JobFireDueAsync(SweepParams p, IScheduleMath math, CancellationToken ct) =>
        RunWorkAsync(p.Now, work => work.FireDueAsync(p, math, ct), ct);

    public async Task<DateTimeOffset?> JobNextFireAtAsync(CancellationToken ct)
    {
        await using var cmd = Command(Sql["JobNextFire"]);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        return await r.ReadAsync(ct) ? PostgresRows.Rows.Time(r, 0) : null;
    }

    private readonly KeyedCombiner<IReadOnlyList<NewRun>, IReadOnlyList<RunChange>> _enqueueGroup = new();

    /// <summary>
    /// Enqueues that arrive while one is committing share the next transaction (one WAL flush and
    /// one NOTIFY lock for all of them), as task writes do (PostgresStore.TaskGroup.cs). Each call
    /// stays all-or-nothing: if any call of a group is refused (a taken id or unique key, a missing
    /// dependency) nothing of the group was committed, and every call runs again in a transaction
    /// of its own, so the refusal reaches only its caller.
    /// </summary>
    public Task<IReadOnlyList<RunChange>> RunEnqueueAsync(IReadOnlyList<NewRun> runs, CancellationToken ct) =>
        _enqueueGroup.RunAsync(GroupKey, runs, ApplyEnqueueGroupAsync);

    private async Task<IReadOnlyList<object>> ApplyEnqueueGroupAsync(string _, IReadOnlyList<IReadOnlyList<NewRun>> calls)
    {
        if (calls.Count > 1)
        {
            try
            {
                await using var tx = await BeginAsync(CancellationToken.None);
                var results = await RunWorkAsync(tx, _time.GetUtcNow(), async work =>
                {
                    var each = new List<object>(calls.Count);
                    foreach (var call in calls)
                    {
                        each.Add(await work.EnqueueAsync(call, CancellationToken.None));
                    }
                    return each;
                });
                await CommitRunsAsync(tx, CancellationToken.None);
                return results;
            }
            catch (Exception ex) when (ex is SpectralException || MayBeOneWritesOwn(ex))
            {
                // Nothing of the group was written (refused before or at the flush; a failed COMMIT
                // is a StoreUnavailableException, not caught here): one by one below.
            }
        }
        var alone = new List<object>(calls.Count);
        foreach (var call in calls)
        {
            try
            {
                alone.Add(await RunWorkAsync(_time.GetUtcNow(), work => work.EnqueueAsync(call, CancellationToken.None), CancellationToken.None));
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                alone.Add(ex);
            }
        }
        return alone;
    }

    public async Task<JobRun?> RunGetAsync(string taskId, CancellationToken ct)
    {
        await using var cmd = Command(Sql["RunGet"]);
        cmd.Parameters.With("task_id", taskId);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        return await r.ReadAsync(ct) ? PostgresRows.Rows.Run(r) : null;
    }

    public async Task<IReadOnlyList<(JobRun Run, TaskState Status)>> RunListByJobAsync(string jobId, int limit, CancellationToken ct)
    {
        await using var cmd = Command(Sql["RunListByJob"]);
        cmd.Parameters.With("job_id", jobId).With("limit", limit);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        var list = new List<(JobRun, TaskState)>();
        while (await r.ReadAsync(ct))
        {
            list.Add(PostgresRows.Rows.RunWithStatus(r));
        }
        return list;
    }

    public Task<IReadOnlyList<RunChange>> RunClaimAsync(ClaimRequest request, CancellationToken ct) =>
        RunWorkAsync(_time.GetUtcNow(), work => work.ClaimAsync(request, ct), ct);

    /// <summary>One statement writes all the reservations; their tasks are not touched, so nothing is announced.</summary>
    public Task<IReadOnlyList<JobRun>> RunReserveAsync(ClaimRequest request, CancellationToken ct) =>
        RunWorkAsync(_time.GetUtcNow(), work => work.ReserveAsync(request, ct), ct);

    public Task<JobRun> RunHeartbeatAsync(string taskId, string leaseToken, TimeSpan lease, CancellationToken ct) =>
        RunWorkAsync(_time.GetUtcNow(), work => work.HeartbeatAsync(taskId, leaseToken, lease, ct), ct);

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
        _leaseOps.RunAsync(LaneOf(Lanes, taskId), LeaseOp.Start(taskId, leaseToken, lease), LeaseBatchAsync);

    /// <inheritdoc cref="RunStartAsync"/>
    public Task<RunChange> RunCompleteAsync(string taskId, string leaseToken, string? result, CancellationToken ct) =>
        _leaseOps.RunAsync(LaneOf(Lanes, taskId), LeaseOp.Completion(taskId, leaseToken, result), LeaseBatchAsync);

    private const int LeaseLanes = 2;
    private static readonly string[] Lanes = [.. Enumerable.Range(0, LeaseLanes).Select(i => $"runs{i}")];

    private async Task<IReadOnlyList<object>> LeaseBatchAsync(string _, IReadOnlyList<LeaseOp> ops)
    {
        var outcomes = await RunWorkAsync(_time.GetUtcNow(), work => work.LeaseAsync(ops, CancellationToken.None), CancellationToken.None);
        return [.. outcomes.Select(o => (object?)o.Change ?? o.Error!)];
    }

    public Task<RunChange> RunFailAsync(RunFailParams p, CancellationToken ct) =>
        RunWorkAsync(_time.GetUtcNow(), work => work.FailAsync(p.TaskId, p.LeaseToken, p.Error, p.Retryable, p.RetryAt, ct), ct);

    public Task<IReadOnlyList<RunChange>> RunUnclaimAsync(IReadOnlyList<RunLease> leases, string reason, CancellationToken ct) =>
        RunWorkAsync(_time.GetUtcNow(), work => work.UnclaimAsync(leases, reason, ct), ct);

    public Task<RunChange?> RunCancelAsync(string taskId, CancellationToken ct) =>
        RunWorkAsync(_time.GetUtcNow(), work => work.CancelAsync(taskId, ct), ct);

    public Task<SweepResult> RunSweepAsync(SweepParams p, CancellationToken ct) =>
        RunWorkAsync(p.Now, work => work.ExpireAsync(p, ct), ct);

    /// <summary>One transaction around the job algorithm: it decides, its plan is queued, and everything goes with the commit.</summary>
    private async Task<T> RunWorkAsync<T>(DateTimeOffset now, Func<RunWork, ValueTask<T>> decide, CancellationToken ct)
    {
        await using var tx = await BeginAsync(ct);
        var result = await RunWorkAsync(tx, now, decide);
        await CommitRunsAsync(tx, ct);
        return result;
    }

    private async Task<T> RunWorkAsync<T>(PostgresWriteTransaction tx, DateTimeOffset now, Func<RunWork, ValueTask<T>> decide)
    {
        var work = new RunWork(new PostgresRunRows(tx, _channel, _nodeId), now);
        var result = await decide(work);
        work.Flush();
        return result;
    }

    /// <summary>
    /// Sends the plan, then commits. Two concurrent enqueues of one unique key meet at the unique
    /// index, and the loser gets the 409; a new run's id already taken gets the 409 naming it.
    /// </summary>
    private async Task CommitRunsAsync(PostgresWriteTransaction tx, CancellationToken ct)
    {
        try
        {
            await tx.FlushAsync(ct);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation && e.ConstraintName == UniqueRunIndex)
        {
            throw new RunUniqueConflictException("(concurrent)", "another run enqueued at the same moment");
        }
        catch (TakenIdsException e)
        {
            throw new TaskAlreadyExistsException(await TakenIdAsync(e.Ids, ct));
        }
        await tx.CommitAsync(ct);
    }

    /// <summary>
    /// Which of <paramref name="ids"/> is taken. A unique violation means a committed row holds it
    /// (an uncommitted one is waited for, and a rolled-back one frees the id), so it is found unless
    /// deleted in the meantime; the first id stands in for that rare case.
    /// </summary>
    private async Task<string> TakenIdAsync(IReadOnlyList<string> ids, CancellationToken ct)
    {
        await using var cmd = Command("SELECT id FROM tasks WHERE id = ANY(@ids) ORDER BY id LIMIT 1");
        cmd.Parameters.Add(new NpgsqlParameter<string[]>("ids", [.. ids]));
        return await cmd.ExecuteScalarAsync(ct) as string ?? ids[0];
    }

    private static NpgsqlParameterCollection BindJob(NpgsqlParameterCollection ps, Job j) => ps
        .With("id", j.Id).With("type", j.Type).With("payload", j.Payload).With("queue", j.Queue).With("priority", j.Priority)
        .With("max_retries", j.MaxRetries).With("timeout_seconds", j.TimeoutSeconds).With("schedule", JobScheduleJson.Format(j.Schedule))
        .With("misfire", j.Misfire).With("unique_key", j.UniqueKey).With("state", j.State).With("updated_at", j.UpdatedAt)
        .With("deleted_at", j.DeletedAt).With("version", j.Version).With("next_fire_at", j.NextFireAt);
}
