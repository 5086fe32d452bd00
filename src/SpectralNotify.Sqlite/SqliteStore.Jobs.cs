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
            return (job, run is null ? null : SqliteRunRows.Run(w, _time.GetUtcNow(), async work => (await work.EnqueueAsync([run], ct))[0]));
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

    public Task<SweepResult> JobFireDueAsync(SweepParams p, IScheduleMath math, CancellationToken ct) =>
        _writer.RunAsync(w => SqliteRunRows.Run(w, p.Now, work => work.FireDueAsync(p, math, ct)), ct);

    public async Task<DateTimeOffset?> JobNextFireAtAsync(CancellationToken ct)
    {
        await using var c = await OpenReadAsync(ct);
        using var cmd = Cmd(c, Sql["JobNextFire"]);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        return await r.ReadAsync(ct) ? SqliteRows.Time(r, 0) : null;
    }

    public Task<IReadOnlyList<RunChange>> RunEnqueueAsync(IReadOnlyList<NewRun> runs, CancellationToken ct) =>
        _writer.RunAsync(w => SqliteRunRows.Run(w, _time.GetUtcNow(), work => work.EnqueueAsync(runs, ct)), ct);

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
        _writer.RunAsync(w => SqliteRunRows.Run(w, _time.GetUtcNow(), work => work.ClaimAsync(request, ct)), ct);

    public Task<IReadOnlyList<JobRun>> RunReserveAsync(ClaimRequest request, CancellationToken ct) =>
        _writer.RunAsync(w => SqliteRunRows.Run(w, _time.GetUtcNow(), work => work.ReserveAsync(request, ct)), ct);

    public async Task<RunChange> RunStartAsync(string taskId, string leaseToken, TimeSpan lease, CancellationToken ct) =>
        (await Lease(LeaseOp.Start(taskId, leaseToken, lease), ct)).Value;

    public async Task<RunChange> RunCompleteAsync(string taskId, string leaseToken, string? result, CancellationToken ct) =>
        (await Lease(LeaseOp.Completion(taskId, leaseToken, result), ct)).Value;

    private Task<RunOutcome> Lease(LeaseOp op, CancellationToken ct) =>
        _writer.RunAsync(w => SqliteRunRows.Run(w, _time.GetUtcNow(), async work => (await work.LeaseAsync([op], ct))[0]), ct);

    public Task<JobRun> RunHeartbeatAsync(string taskId, string leaseToken, TimeSpan lease, CancellationToken ct) =>
        _writer.RunAsync(w => SqliteRunRows.Run(w, _time.GetUtcNow(), work => work.HeartbeatAsync(taskId, leaseToken, lease, ct)), ct);

    public Task<RunChange> RunFailAsync(RunFailParams p, CancellationToken ct) =>
        _writer.RunAsync(w => SqliteRunRows.Run(w, _time.GetUtcNow(),
            work => work.FailAsync(p.TaskId, p.LeaseToken, p.Error, p.Retryable, p.RetryAt, ct)), ct);

    public Task<IReadOnlyList<RunChange>> RunUnclaimAsync(IReadOnlyList<RunLease> leases, string reason, CancellationToken ct) =>
        _writer.RunAsync(w => SqliteRunRows.Run(w, _time.GetUtcNow(), work => work.UnclaimAsync(leases, reason, ct)), ct);

    public Task<RunChange?> RunCancelAsync(string taskId, CancellationToken ct) =>
        _writer.RunAsync(w => SqliteRunRows.Run(w, _time.GetUtcNow(), work => work.CancelAsync(taskId, ct)), ct);

    public Task<SweepResult> RunSweepAsync(SweepParams p, CancellationToken ct) =>
        _writer.RunAsync(w => SqliteRunRows.Run(w, p.Now, work => work.ExpireAsync(p, ct)), ct);

    private static Job? ReadJob(WriteContext w, string id)
    {
        using var r = w.Command(Sql["JobGet"]).With("@id", id).ExecuteReader();
        return r.Read() ? SqliteRows.Rows.Job(r) : null;
    }

    private static SqliteCommand BindJob(SqliteCommand cmd, Job j) => cmd
        .With("@id", j.Id).With("@type", j.Type).With("@payload", j.Payload).With("@queue", j.Queue).With("@priority", j.Priority)
        .With("@max_retries", j.MaxRetries).With("@timeout_seconds", j.TimeoutSeconds).With("@schedule", JobScheduleJson.Format(j.Schedule))
        .With("@misfire", j.Misfire).With("@unique_key", j.UniqueKey).With("@state", j.State).With("@updated_at", j.UpdatedAt)
        .With("@deleted_at", j.DeletedAt).With("@version", j.Version).With("@next_fire_at", j.NextFireAt);
}
