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

    public async ValueTask<IReadOnlyList<Job>> JobDueAsync(DateTimeOffset now, int limit, CancellationToken ct) =>
        await tx.ReadAsync(Sql["JobDue"], ps => ps.With("now", now).With("limit", limit), PostgresRows.Rows.Job, ct);

    /// <summary>
    /// Queued, not sent: a bulk enqueue of 250 runs is one round trip, not 250. A taken id surfaces
    /// at the flush as <see cref="TaskAlreadyExistsException"/>, which abandons the whole transaction,
    /// exactly as the algorithm's own refusal would (it refuses the whole enqueue on a taken id).
    /// </summary>
    public ValueTask<bool> TaskInsertAsync(TaskChange created, CancellationToken ct)
    {
        // A concurrent insert of the same id waits for the first to commit and then fails with the
        // unique violation, so exactly one creator wins.
        var id = created.Task.Id;
        tx.QueueInsert(Sql["PgTaskInsertStrict"], () => new TaskAlreadyExistsException(id)).WithTask(created.Task);
        tx.Queue(Sql["TaskEventInsert"]).WithEvent(created.Event);
        tx.Notify(channel, ChangeNotice.ForPosition(nodeId, created));
        return ValueTask.FromResult(true);
    }

    public void Write(RunWrites writes)
    {
        var events = writes.Changes.Select(c => c.Event).ToList();
        if (events.Count > 0)
        {
            tx.Queue(Sql["PgRunBatchEventInsert"], expectedRows: events.Count)
                .Array("task_ids", events.Select(e => e.TaskId)).Array("seqs", events.Select(e => e.Seq)).Array("types", events.Select(e => e.Type))
                .Array("kinds", events.Select(e => e.Kind)).Array("messages", events.Select(e => e.Message))
                .Array("progresses", events.Select(e => e.Progress)).Array("metadatas", events.Select(e => e.Metadata))
                .Array("timestamps", events.Select(e => (DateTimeOffset?)e.Timestamp));
            var tasks = writes.Tasks.ToList();
            tx.Queue(Sql["PgRunBatchTaskUpdate"], expectedRows: tasks.Count)
                .Array("ids", tasks.Select(t => t.Task.Id)).Array("titles", tasks.Select(t => t.Task.Title))
                .Array("descriptions", tasks.Select(t => t.Task.Description)).Array("statuses", tasks.Select(t => t.Task.Status.ToWire()))
                .Array("progresses", tasks.Select(t => (double?)t.Task.Progress)).Array("metadatas", tasks.Select(t => t.Task.Metadata))
                .Array("configs", tasks.Select(t => t.Task.Config)).Array("errors", tasks.Select(t => t.Task.Error))
                .Array("updated", tasks.Select(t => (DateTimeOffset?)t.Task.UpdatedAt)).Array("started", tasks.Select(t => t.Task.StartedAt))
                .Array("completed", tasks.Select(t => t.Task.CompletedAt)).Array("failed", tasks.Select(t => t.Task.FailedAt))
                .Array("canceled", tasks.Select(t => t.Task.CanceledAt)).Array("last_seqs", tasks.Select(t => t.Task.LastSeq))
                .Array("versions", tasks.Select(t => t.Task.Version)).Array("expected", tasks.Select(t => t.Expected));
        }
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
        foreach (var run in writes.RunInserts)
        {
            tx.Queue(Sql["RunInsert"], expectedRows: 1)
                .With("task_id", run.TaskId).With("attempt", run.Attempt).With("run_at", run.RunAt).With("state", run.State)
                .With("worker_id", run.WorkerId).With("lease_token", run.LeaseToken).With("lease_expires_at", run.LeaseExpiresAt)
                .With("deadline", run.Deadline).With("cancel_requested", run.CancelRequested).With("result", run.Result)
                .With("job_id", run.JobId).With("type", run.Type).With("queue", run.Queue).With("priority", run.Priority)
                .With("payload", run.Payload).With("max_retries", run.MaxRetries).With("timeout_seconds", run.TimeoutSeconds)
                .With("scheduled_at", run.ScheduledAt).With("unique_key", run.UniqueKey).With("created_at", run.CreatedAt)
                .With("expires_at", run.ExpiresAt).With("blocked", run.Blocked);
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
        if (writes.Changes.Count > 0)
        {
            // Positions only: runs change at queue speed and are rarely watched; a watcher elsewhere reads storage.
            tx.QueueQuery(Sql["PgRunBatchNotify"]).With("channel", channel)
                .Array("payloads", writes.Changes.Select(c => ChangeNotice.ForPosition(nodeId, c)));
        }
    }
}
