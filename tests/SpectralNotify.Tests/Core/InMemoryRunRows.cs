using SpectralNotify.Jobs;
using SpectralNotify.Tasks;

namespace SpectralNotify.Tests.Core;

/// <summary>
/// <see cref="IRunRows"/> over dictionaries, for testing <see cref="RunWork"/> without a database.
/// It follows the named queries of both engines (<c>Sql/jobs.sql</c>): the same filters and order,
/// <see cref="Write"/> in the order <see cref="RunWrites"/> documents, and the constraints the SQL
/// would enforce (task version check, the partial unique index on pending and reserved runs' keys,
/// unique event seqs), so a plan the database would reject throws here too.
/// </summary>
/// <remarks>Rows are immutable records, so a read hands out values the algorithm cannot change behind the store's back.</remarks>
internal sealed class InMemoryRunRows : IRunRows
{
    public Dictionary<string, JobRun> Runs { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, TaskItem> Tasks { get; } = new(StringComparer.Ordinal);
    public List<TaskEvent> Events { get; } = [];
    public List<(string TaskId, string DependsOn)> Deps { get; } = [];
    public Dictionary<string, Job> Jobs { get; } = new(StringComparer.Ordinal);

    /// <summary>How many plans were written.</summary>
    public int Writes { get; private set; }

    public IReadOnlyList<TaskEvent> EventsOf(string taskId) => [.. Events.Where(e => e.TaskId == taskId).OrderBy(e => e.Seq)];

    public ValueTask<IReadOnlyList<JobRun>> RunGetManyAsync(IReadOnlyCollection<string> taskIds, CancellationToken ct) =>
        Rows(taskIds.Where(Runs.ContainsKey).Order(StringComparer.Ordinal).Select(id => Runs[id]));

    public ValueTask<IReadOnlyList<JobRun>> RunClaimableAsync(IReadOnlyList<string> queues, IReadOnlyList<string>? types, DateTimeOffset now, int limit,
        CancellationToken ct) =>
        Rows(queues.SelectMany(queue => Runs.Values
            .Where(r => r.Queue == queue && r.State == JobRun.Pending && r.Blocked == 0 && r.RunAt <= now && (r.ExpiresAt is null || r.ExpiresAt > now))
            .Where(r => types is null || types.Contains(r.Type))
            .OrderByDescending(r => r.Priority).ThenBy(r => r.RunAt).ThenBy(r => r.TaskId, StringComparer.Ordinal))
            .Take(limit));

    public ValueTask<IReadOnlyList<JobRun>> RunLeaseExpiredAsync(DateTimeOffset now, int limit, CancellationToken ct) =>
        Rows(Runs.Values.Where(r => r.State is JobRun.Reserved or JobRun.Running && r.LeaseExpiresAt <= now)
            .OrderBy(r => r.LeaseExpiresAt).Take(limit));

    public ValueTask<IReadOnlyList<JobRun>> RunTtlExpiredAsync(DateTimeOffset now, int limit, CancellationToken ct) =>
        Rows(Runs.Values.Where(r => r.State is JobRun.Pending or JobRun.Reserved && r.ExpiresAt is { } e && e <= now)
            .OrderBy(r => r.ExpiresAt).Take(limit));

    public ValueTask<IReadOnlyList<JobRun>> RunDependentsAsync(string dependsOn, CancellationToken ct) =>
        Rows(Deps.Where(d => d.DependsOn == dependsOn).Select(d => Runs[d.TaskId]).Where(r => r.State == JobRun.Pending)
            .OrderBy(r => r.TaskId, StringComparer.Ordinal));

    public ValueTask<string?> RunPendingByUniqueKeyAsync(string uniqueKey, CancellationToken ct) =>
        ValueTask.FromResult(Runs.Values.FirstOrDefault(r => r.UniqueKey == uniqueKey && HoldsKey(r))?.TaskId);

    public ValueTask<IReadOnlyList<TaskItem>> TaskGetManyAsync(IReadOnlyCollection<string> ids, CancellationToken ct) =>
        Rows(ids.Where(Tasks.ContainsKey).Select(id => Tasks[id]));

    public ValueTask<IReadOnlyList<Job>> JobDueAsync(DateTimeOffset now, int limit, CancellationToken ct) =>
        Rows(Jobs.Values.Where(j => j.NextFireAt is { } n && n <= now && j.State == Job.Active && j.DeletedAt is null)
            .OrderBy(j => j.NextFireAt).Take(limit));

    public ValueTask<bool> TaskInsertAsync(TaskChange created, CancellationToken ct)
    {
        if (!Tasks.TryAdd(created.Task.Id, created.Task))
        {
            return ValueTask.FromResult(false);
        }
        AddEvent(created.Event);
        return ValueTask.FromResult(true);
    }

    public void Write(RunWrites writes)
    {
        Writes++;
        foreach (var change in writes.Changes)
        {
            AddEvent(change.Event);
        }
        foreach (var (task, expected) in writes.Tasks)
        {
            var stored = Tasks[task.Id];
            if (stored.Version != expected)
            {
                throw new InvalidOperationException($"Task '{task.Id}' is at version {stored.Version}, the plan expected {expected}.");
            }
            Tasks[task.Id] = task;
        }
        foreach (var run in writes.RunUpdates)
        {
            // RunUpdate sets the lifecycle columns only; the rest stays as stored.
            Runs[run.TaskId] = Runs[run.TaskId] with
            {
                Attempt = run.Attempt, RunAt = run.RunAt, State = run.State, WorkerId = run.WorkerId, LeaseToken = run.LeaseToken,
                LeaseExpiresAt = run.LeaseExpiresAt, Deadline = run.Deadline, CancelRequested = run.CancelRequested, Result = run.Result,
            };
            CheckUniqueKey(Runs[run.TaskId]);
        }
        foreach (var run in writes.RunInserts)
        {
            if (!Runs.TryAdd(run.TaskId, run))
            {
                throw new InvalidOperationException($"Run '{run.TaskId}' exists.");
            }
            CheckUniqueKey(run);
        }
        Deps.AddRange(writes.Dependencies);
        foreach (var succeeded in writes.Unblocks)
        {
            foreach (var (dependent, _) in Deps.Where(d => d.DependsOn == succeeded).ToList())
            {
                if (Runs[dependent].State == JobRun.Pending)
                {
                    Runs[dependent] = Runs[dependent] with { Blocked = Runs[dependent].Blocked - 1 };
                }
            }
        }
        foreach (var (jobId, next) in writes.NextFires)
        {
            Jobs[jobId] = Jobs[jobId] with { NextFireAt = next };
        }
    }

    /// <summary>The partial unique index <c>job_runs_unique</c>: one pending or reserved run per key.</summary>
    private void CheckUniqueKey(JobRun run)
    {
        if (run.UniqueKey is { } key && HoldsKey(run) && Runs.Values.Count(r => r.UniqueKey == key && HoldsKey(r)) > 1)
        {
            throw new InvalidOperationException($"Unique index job_runs_unique: key '{key}' is held twice.");
        }
    }

    private static bool HoldsKey(JobRun run) => run.State is JobRun.Pending or JobRun.Reserved;

    /// <summary>The primary key of task_events: (task_id, seq).</summary>
    private void AddEvent(TaskEvent ev)
    {
        if (Events.Any(e => e.TaskId == ev.TaskId && e.Seq == ev.Seq))
        {
            throw new InvalidOperationException($"Event {ev.Seq} of task '{ev.TaskId}' exists.");
        }
        Events.Add(ev);
    }

    private static ValueTask<IReadOnlyList<T>> Rows<T>(IEnumerable<T> rows) => ValueTask.FromResult<IReadOnlyList<T>>(rows.ToList());
}
