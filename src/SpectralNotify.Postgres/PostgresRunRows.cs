using Npgsql;
using SpectralNotify.Jobs;
using SpectralNotify.Storage;
using SpectralNotify.Tasks;

namespace SpectralNotify.Postgres;

/// <summary>
/// The job algorithm's rows (<see cref="IRunRows"/>) in one PostgreSQL transaction. Reads lock with
/// <c>FOR UPDATE</c> (claims and sweeps <c>SKIP LOCKED</c>), runs before their tasks, in id order.
/// The plan is written with one statement per kind of row for the whole batch (unnest arrays), queued
/// to go with the commit: a burn-down of short runs pays a handful of statements per batch, not per run.
/// </summary>
internal sealed class PostgresRunRows(PostgresWriteTransaction tx, string channel, string nodeId) : IRunRows
{
    private static NamedQueries Sql => PostgresStore.Queries;

    public async ValueTask<IReadOnlyList<JobRun>> RunGetManyAsync(IReadOnlyCollection<string> taskIds, CancellationToken ct) =>
        await tx.ReadAsync(Sql["PgRunGetMany"], ps => ps.With("task_ids", taskIds.ToArray()), PostgresRows.Rows.Run, ct);

    public async ValueTask<IReadOnlyList<JobRun>> RunClaimableAsync(IReadOnlyList<string> queues, IReadOnlyList<string>? types, DateTimeOffset now,
        int limit, CancellationToken ct) =>
        await tx.ReadAsync(Sql["RunClaimable"], ps => ps.With("now", now).With("queues", queues.ToArray()).With("types", types).With("limit", limit),
            PostgresRows.Rows.Run, ct);

    public async ValueTask<IReadOnlyList<JobRun>> RunLeaseExpiredAsync(DateTimeOffset now, int limit, CancellationToken ct) =>
        await tx.ReadAsync(Sql["RunExpired"], ps => ps.With("now", now).With("limit", limit), PostgresRows.Rows.Run, ct);

    public async ValueTask<IReadOnlyList<JobRun>> RunTtlExpiredAsync(DateTimeOffset now, int limit, CancellationToken ct) =>
        await tx.ReadAsync(Sql["RunTtlExpired"], ps => ps.With("now", now).With("limit", limit), PostgresRows.Rows.Run, ct);

    public async ValueTask<IReadOnlyList<JobRun>> RunDependentsAsync(string dependsOn, CancellationToken ct) =>
        await tx.ReadAsync(Sql["RunDependents"], ps => ps.With("depends_on", dependsOn), PostgresRows.Rows.Run, ct);

    public async ValueTask<string?> RunPendingByUniqueKeyAsync(string uniqueKey, CancellationToken ct) =>
        (await tx.ReadAsync(Sql["RunPendingByUniqueKey"], ps => ps.With("unique_key", uniqueKey), r => r.GetString(0), ct)).FirstOrDefault();

    public async ValueTask<IReadOnlyList<TaskItem>> TaskGetManyAsync(IReadOnlyCollection<string> ids, CancellationToken ct) =>
        await tx.ReadAsync(Sql["PgRunTasksGetMany"], ps => ps.With("task_ids", ids.ToArray()), PostgresRows.Rows.Task, ct);

    public async ValueTask<IReadOnlyList<Job>> JobDueAsync(DateTimeOffset dueBy, int limit, CancellationToken ct) =>
        await tx.ReadAsync(Sql["JobDue"], ps => ps.With("due_by", dueBy).With("limit", limit), PostgresRows.Rows.Job, ct);

    /// <summary>
    /// Not sent: kept for <see cref="Write"/>, which inserts every task of the transaction in one
    /// statement (as it does the run rows, which this engine also defers to then). The algorithm never
    /// reads a task it has just created back from storage (it keeps it), so nothing needs it earlier.
    /// A taken id fails that statement, which the store answers with <see cref="TaskAlreadyExistsException"/>
    /// (see <see cref="TakenIdsException"/>), before anything commits.
    /// </summary>
    public ValueTask<bool> TaskInsertAsync(TaskChange created, CancellationToken ct)
    {
        _created.Add(created);
        return ValueTask.FromResult(true);
    }

    private readonly List<TaskChange> _created = [];

    public void Write(RunWrites writes)
    {
        if (_created.Count > 0)
        {
            var tasks = _created.Select(c => c.Task).ToList();
            var ids = tasks.Select(t => t.Id).ToArray();
            tx.QueueInsert(Sql["PgRunBatchTaskInsert"], () => new TakenIdsException(ids))
                .Array("ids", ids).Array("titles", tasks.Select(t => t.Title)).Array("descriptions", tasks.Select(t => t.Description))
                .Array("types", tasks.Select(t => t.Type)).Array("statuses", tasks.Select(t => t.Status.ToWire()))
                .Array("progresses", tasks.Select(t => (double?)t.Progress)).Array("metadatas", tasks.Select(t => t.Metadata))
                .Array("configs", tasks.Select(t => t.Config)).Array("workspace_paths", tasks.Select(t => t.WorkspacePath))
                .Array("errors", tasks.Select(t => t.Error)).Array("created_bys", tasks.Select(t => t.CreatedBy))
                .Array("created", tasks.Select(t => (DateTimeOffset?)t.CreatedAt)).Array("updated", tasks.Select(t => (DateTimeOffset?)t.UpdatedAt))
                .Array("started", tasks.Select(t => t.StartedAt)).Array("completed", tasks.Select(t => t.CompletedAt))
                .Array("failed", tasks.Select(t => t.FailedAt)).Array("canceled", tasks.Select(t => t.CanceledAt))
                .Array("expires", tasks.Select(t => t.ExpiresAt)).Array("last_seqs", tasks.Select(t => t.LastSeq))
                .Array("versions", tasks.Select(t => t.Version)).Array("workflow_ids", tasks.Select(t => t.WorkflowId))
                .Array("sequences", tasks.Select(t => t.Sequence));
        }
        // The created tasks' first events and notifications go with the changes', ahead of them.
        var allChanges = _created.Count == 0 ? writes.Changes : [.. _created, .. writes.Changes];
        _created.Clear();
        PostgresTaskWrites.QueueEvents(tx, [.. allChanges.Select(c => c.Event)]);
        PostgresTaskWrites.QueueTaskUpdates(tx, writes.Tasks);
        var runs = writes.RunUpdates.ToList();
        if (runs.Count > 0)
        {
            tx.Queue(Sql["PgRunBatchRunUpdate"], expectedRows: runs.Count)
                .Array("task_ids", runs.Select(r => r.TaskId)).Array("attempts", runs.Select(r => r.Attempt))
                .Array("run_ats", runs.Select(r => (DateTimeOffset?)r.RunAt)).Array("states", runs.Select(r => r.State))
                .Array("worker_ids", runs.Select(r => r.WorkerId)).Array("lease_tokens", runs.Select(r => r.LeaseToken))
                .Array("lease_expires", runs.Select(r => r.LeaseExpiresAt)).Array("deadlines", runs.Select(r => r.Deadline))
                .Array("cancels", runs.Select(r => r.CancelRequested)).Array("results", runs.Select(r => r.Result));
        }
        var inserts = writes.RunInserts;
        if (inserts.Count > 0)
        {
            tx.Queue(Sql["PgRunBatchRunInsert"], expectedRows: inserts.Count)
                .Array("task_ids", inserts.Select(r => r.TaskId)).Array("job_ids", inserts.Select(r => r.JobId))
                .Array("types", inserts.Select(r => r.Type)).Array("queues", inserts.Select(r => r.Queue))
                .Array("priorities", inserts.Select(r => r.Priority)).Array("payloads", inserts.Select(r => r.Payload))
                .Array("attempts", inserts.Select(r => r.Attempt)).Array("max_retries", inserts.Select(r => r.MaxRetries))
                .Array("timeouts", inserts.Select(r => r.TimeoutSeconds)).Array("run_ats", inserts.Select(r => (DateTimeOffset?)r.RunAt))
                .Array("scheduled", inserts.Select(r => (DateTimeOffset?)r.ScheduledAt)).Array("states", inserts.Select(r => r.State))
                .Array("worker_ids", inserts.Select(r => r.WorkerId)).Array("lease_tokens", inserts.Select(r => r.LeaseToken))
                .Array("lease_expires", inserts.Select(r => r.LeaseExpiresAt)).Array("deadlines", inserts.Select(r => r.Deadline))
                .Array("cancels", inserts.Select(r => r.CancelRequested)).Array("results", inserts.Select(r => r.Result))
                .Array("unique_keys", inserts.Select(r => r.UniqueKey)).Array("created", inserts.Select(r => (DateTimeOffset?)r.CreatedAt))
                .Array("expires", inserts.Select(r => r.ExpiresAt)).Array("blocked", inserts.Select(r => r.Blocked));
        }
        foreach (var (taskId, dependsOn) in writes.Dependencies)
        {
            tx.Queue(Sql["RunDependencyInsert"], expectedRows: 1).With("task_id", taskId).With("depends_on", dependsOn);
        }
        if (writes.Unblocks.Count > 0)
        {
            tx.Queue(Sql["PgRunBatchUnblock"]).Array("depends_on", writes.Unblocks);
        }
        foreach (var (jobId, next) in writes.NextFires)
        {
            tx.Queue(Sql["JobSetNextFire"], expectedRows: 1).With("id", jobId).With("next_fire_at", next);
        }
        // Positions only: runs change at queue speed and are rarely watched; a watcher elsewhere reads storage.
        PostgresTaskWrites.QueueNotices(tx, channel, [.. allChanges.Select(c => ChangeNotice.ForPosition(nodeId, c))]);
    }
}
