using System.Text.Json;
using Microsoft.Data.Sqlite;
using SpectralNotify.Jobs;
using SpectralNotify.Storage;
using SpectralNotify.Tasks;

namespace SpectralNotify.Sqlite;

/// <summary>
/// The job algorithm's rows (<see cref="IRunRows"/>) inside a writer item. The single writer holds
/// the database's write lock for the whole transaction, so every read is a locked read, and every
/// call completes synchronously.
/// </summary>
internal sealed class SqliteRunRows(WriteContext w) : IRunRows
{
    private static NamedQueries Sql => SqliteStore.Queries;

    /// <summary>Runs the algorithm inside the writer item: its steps complete synchronously (nothing here awaits I/O), then the plan is written.</summary>
    public static T Run<T>(WriteContext w, DateTimeOffset now, Func<RunWork, ValueTask<T>> decide)
    {
        var work = new RunWork(new SqliteRunRows(w), now);
        var pending = decide(work);
        var result = pending.IsCompleted ? pending.GetAwaiter().GetResult()
            : throw new InvalidOperationException("The SQLite job algorithm must complete synchronously inside the writer.");
        work.Flush();
        return result;
    }

    public ValueTask<IReadOnlyList<JobRun>> RunGetManyAsync(IReadOnlyCollection<string> taskIds, CancellationToken ct) =>
        Done(taskIds.Order(StringComparer.Ordinal).SelectMany(id => Runs(w.Command(Sql["RunGet"]).With("@task_id", id))).ToList());

    public ValueTask<IReadOnlyList<JobRun>> RunClaimableAsync(IReadOnlyList<string> queues, IReadOnlyList<string>? types, DateTimeOffset now, int limit,
        CancellationToken ct) =>
        Done(Runs(w.Command(Sql["RunClaimable"]).With("@now", Clock.Truncate(now)).With("@queues", JsonSerializer.Serialize(queues))
            .With("@types", types is null ? null : JsonSerializer.Serialize(types)).With("@limit", limit)));

    public ValueTask<IReadOnlyList<JobRun>> RunLeaseExpiredAsync(DateTimeOffset now, int limit, CancellationToken ct) =>
        Done(Runs(w.Command(Sql["RunExpired"]).With("@now", Clock.Truncate(now)).With("@limit", limit)));

    public ValueTask<IReadOnlyList<JobRun>> RunTtlExpiredAsync(DateTimeOffset now, int limit, CancellationToken ct) =>
        Done(Runs(w.Command(Sql["RunTtlExpired"]).With("@now", Clock.Truncate(now)).With("@limit", limit)));

    public ValueTask<IReadOnlyList<JobRun>> RunDependentsAsync(string dependsOn, CancellationToken ct) =>
        Done(Runs(w.Command(Sql["RunDependents"]).With("@depends_on", dependsOn)));

    public ValueTask<string?> RunPendingByUniqueKeyAsync(string uniqueKey, CancellationToken ct) =>
        ValueTask.FromResult(w.Command(Sql["RunPendingByUniqueKey"]).With("@unique_key", uniqueKey).ExecuteScalar() as string);

    public ValueTask<IReadOnlyList<TaskItem>> TaskGetManyAsync(IReadOnlyCollection<string> ids, CancellationToken ct)
    {
        var tasks = new List<TaskItem>(ids.Count);
        foreach (var id in ids)
        {
            using var r = w.Command(Sql["TaskGet"]).With("@id", id).ExecuteReader();
            if (r.Read())
            {
                tasks.Add(SqliteRows.Rows.Task(r));
            }
        }
        return Done(tasks);
    }

    public ValueTask<IReadOnlyList<Job>> JobDueAsync(DateTimeOffset dueBy, int limit, CancellationToken ct)
    {
        var due = new List<Job>();
        using var r = w.Command(Sql["JobDue"]).With("@due_by", Clock.Truncate(dueBy)).With("@limit", limit).ExecuteReader();
        while (r.Read())
        {
            due.Add(SqliteRows.Rows.Job(r));
        }
        return Done(due);
    }

    public ValueTask<bool> TaskInsertAsync(TaskChange created, CancellationToken ct)
    {
        if (w.Command(Sql["TaskInsert"]).WithTask(created.Task).ExecuteNonQuery() == 0)
        {
            return ValueTask.FromResult(false);
        }
        w.Command(Sql["TaskEventInsert"]).WithEvent(created.Event).ExecuteNonQuery();
        return ValueTask.FromResult(true);
    }

    public void Write(RunWrites writes)
    {
        foreach (var change in writes.Changes)
        {
            w.Command(Sql["TaskEventInsert"]).WithEvent(change.Event).ExecuteNonQuery();
        }
        foreach (var (task, expected) in writes.Tasks)
        {
            // The single writer makes the algorithm's reads and these updates atomic; the version check is a guard.
            if (w.Command(Sql["TaskUpdate"]).WithTask(task).With("@expected_version", expected).ExecuteNonQuery() != 1)
            {
                throw new InvalidOperationException($"Task '{task.Id}' changed under the single writer.");
            }
        }
        foreach (var run in writes.RunUpdates)
        {
            BindRun(w.Command(Sql["RunUpdate"]), run).ExecuteNonQuery();
        }
        foreach (var run in writes.RunInserts)
        {
            BindRun(w.Command(Sql["RunInsert"]), run).With("@job_id", run.JobId).With("@type", run.Type).With("@queue", run.Queue)
                .With("@priority", run.Priority).With("@payload", run.Payload).With("@max_retries", run.MaxRetries)
                .With("@timeout_seconds", run.TimeoutSeconds).With("@scheduled_at", run.ScheduledAt).With("@unique_key", run.UniqueKey)
                .With("@created_at", run.CreatedAt).With("@expires_at", run.ExpiresAt).With("@blocked", run.Blocked).ExecuteNonQuery();
        }
        foreach (var (taskId, dependsOn) in writes.Dependencies)
        {
            w.Command(Sql["RunDependencyInsert"]).With("@task_id", taskId).With("@depends_on", dependsOn).ExecuteNonQuery();
        }
        foreach (var succeeded in writes.Unblocks)
        {
            w.Command(Sql["RunUnblock"]).With("@depends_on", succeeded).ExecuteNonQuery();
        }
        foreach (var (jobId, next) in writes.NextFires)
        {
            w.Command(Sql["JobSetNextFire"]).With("@id", jobId).With("@next_fire_at", next).ExecuteNonQuery();
        }
    }

    /// <summary>The columns a run changes over its life (RunUpdate); RunInsert adds the fixed ones.</summary>
    private static SqliteCommand BindRun(SqliteCommand cmd, JobRun r) => cmd
        .With("@task_id", r.TaskId).With("@attempt", r.Attempt).With("@run_at", r.RunAt).With("@state", r.State)
        .With("@worker_id", r.WorkerId).With("@lease_token", r.LeaseToken).With("@lease_expires_at", r.LeaseExpiresAt)
        .With("@deadline", r.Deadline).With("@cancel_requested", r.CancelRequested).With("@result", r.Result);

    private static List<JobRun> Runs(SqliteCommand cmd)
    {
        var runs = new List<JobRun>();
        using var r = cmd.ExecuteReader();
        while (r.Read())
        {
            runs.Add(SqliteRows.Rows.Run(r));
        }
        return runs;
    }

    private static ValueTask<IReadOnlyList<T>> Done<T>(List<T> items) => ValueTask.FromResult<IReadOnlyList<T>>(items);
}
