using SpectralNotify.Tasks;

namespace SpectralNotify.Jobs;

/// <summary>
/// The job algorithm, once for both engines: one instance per write transaction. It reads and locks
/// rows through <see cref="IRunRows"/>, decides with <see cref="RunRules"/>, <see cref="JobRules"/>
/// and <see cref="TaskLifecycle"/>, keeps what it decided in memory (so a later step of the same
/// transaction sees it), and collects the writes in <see cref="Writes"/>, which the engine applies
/// with its own SQL before committing.
/// </summary>
/// <remarks>
/// <para>
/// Rules that hold on every path: a run's task changes only through its run; a run whose task has
/// ended (or vanished) some other way is closed, never left to block its queue or be retried; a run
/// that ends without success cancels its waiting dependents (and theirs), one that succeeds
/// unblocks them; a run whose dependency is deleted is canceled with that reason.
/// </para>
/// <para>
/// Decisions are planned before anything is written, so a decision that throws leaves nothing
/// half-written: the passes (<see cref="ExpireAsync"/>, <see cref="FireDueAsync"/>) skip and report
/// such a row instead of failing the pass.
/// </para>
/// </remarks>
public sealed partial class RunWork(IRunRows rows, DateTimeOffset now)
{
    private readonly Dictionary<string, JobRun> _runs = new(StringComparer.Ordinal);
    private readonly HashSet<string> _inserted = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TaskItem?> _tasks = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _readVersions = new(StringComparer.Ordinal);

    private readonly List<RunChange> _detached = [];

    /// <summary>
    /// Changes not attached to any answer: dependents canceled because a closed run's task had not
    /// succeeded. Passes return them with their own changes so they are announced too.
    /// </summary>
    public IReadOnlyList<RunChange> Detached => _detached;

    /// <summary>What this transaction writes; the engine applies it with <see cref="IRunRows.Write"/>.</summary>
    public RunWrites Writes { get; } = new();

    public DateTimeOffset Now { get; } = now;

    /// <summary>Applies <see cref="Writes"/> through the engine.</summary>
    public void Flush() => rows.Write(Writes);

    /// <summary>
    /// Writes run transitions and their task mutations, in order (a later item sees an earlier one's
    /// outcome). A run whose task has ended or vanished is closed instead; a run that ends unblocks
    /// or cancels its dependents.
    /// </summary>
    private async ValueTask<List<RunOutcome>> ApplyAsync(IReadOnlyList<(JobRun Run, TaskMutation Mutation)> items, CancellationToken ct)
    {
        await LoadTasksAsync(items.Select(i => i.Run.TaskId), ct);
        var outcomes = new List<RunOutcome>(items.Count);
        foreach (var (run, mutation) in items)
        {
            var task = _tasks[run.TaskId];
            if (task is null || task.Status.IsTerminal())
            {
                outcomes.Add(new RunOutcome(null, await CloseAsync(run, task, ct)));
                continue;
            }
            TaskChange change;
            try
            {
                change = TaskLifecycle.Apply(task, mutation, Now);
            }
            catch (SpectralException refused)
            {
                outcomes.Add(new RunOutcome(null, refused)); // nothing of it is written
                continue;
            }
            _tasks[run.TaskId] = change.Task;
            Writes.Task(change, _readVersions[run.TaskId]);
            SetRun(run);
            outcomes.Add(new RunOutcome(new RunChange(run, change, await SettleAsync(run, change.Task, ct)), null));
        }
        return outcomes;
    }

    /// <summary>A run that ended: its dependents are unblocked (it succeeded) or canceled (it did not).</summary>
    private async ValueTask<IReadOnlyList<RunChange>?> SettleAsync(JobRun run, TaskItem task, CancellationToken ct)
    {
        if (run.State != JobRun.Done)
        {
            return null;
        }
        if (task.Status == TaskState.Success)
        {
            Writes.Unblocks.Add(run.TaskId);
            return null;
        }
        return await CancelDependentsAsync(run.TaskId, $"dependency {run.TaskId} did not succeed", ct);
    }

    private async ValueTask<IReadOnlyList<RunChange>?> CancelDependentsAsync(string dependsOn, string reason, CancellationToken ct)
    {
        var waiting = (await rows.RunDependentsAsync(dependsOn, ct)).Select(Current)
            .Where(d => d.State is JobRun.Pending or JobRun.Reserved).ToList();
        if (waiting.Count == 0)
        {
            return null;
        }
        var outcomes = await ApplyAsync([.. waiting.Select(d => RunRules.CancelPending(d, reason))], ct);
        return [.. outcomes.Where(o => o.Change is not null).Select(o => o.Change!)];
    }

    /// <summary>
    /// The run's task ended (or was deleted) some other way: the run is over too. Its dependents
    /// follow the task's outcome. The answer to whoever asked (a worker's lease, a cancel) says so.
    /// </summary>
    private async ValueTask<SpectralException> CloseAsync(JobRun run, TaskItem? task, CancellationToken ct)
    {
        var current = Current(run);
        if (current.State != JobRun.Done)
        {
            SetRun(current with { State = JobRun.Done, LeaseToken = null, LeaseExpiresAt = null, Deadline = null });
            if (task is not null && await SettleAsync(current with { State = JobRun.Done }, task, ct) is { } cascade)
            {
                _detached.AddRange(cascade);
            }
        }
        return task is null
            ? new TaskNotFoundException(run.TaskId)
            : new TaskTerminalException(run.TaskId, task.Status);
    }

    /// <summary>The run as this transaction last decided it (or as read).</summary>
    private JobRun Current(JobRun read) => _runs.TryGetValue(read.TaskId, out var mine) ? mine : _runs[read.TaskId] = read;

    private void SetRun(JobRun run)
    {
        _runs[run.TaskId] = run;
        Writes.Run(run, _inserted.Contains(run.TaskId));
    }

    /// <summary>The runs with these ids as this transaction sees them (missing ones absent).</summary>
    private async ValueTask<Dictionary<string, JobRun>> RunsAsync(IEnumerable<string> ids, CancellationToken ct)
    {
        var wanted = ids.Distinct(StringComparer.Ordinal).ToList();
        var missing = wanted.Where(id => !_runs.ContainsKey(id)).ToList();
        if (missing.Count > 0)
        {
            foreach (var run in await rows.RunGetManyAsync(missing, ct))
            {
                _runs[run.TaskId] = run;
            }
        }
        return wanted.Where(_runs.ContainsKey).ToDictionary(id => id, id => _runs[id], StringComparer.Ordinal);
    }

    private async ValueTask LoadTasksAsync(IEnumerable<string> ids, CancellationToken ct)
    {
        var missing = ids.Where(id => !_tasks.ContainsKey(id)).Distinct(StringComparer.Ordinal).ToList();
        if (missing.Count == 0)
        {
            return;
        }
        foreach (var id in missing)
        {
            _tasks[id] = null;
        }
        foreach (var task in await rows.TaskGetManyAsync(missing, ct))
        {
            _tasks[task.Id] = task;
            _readVersions[task.Id] = task.Version;
        }
    }

    private static string NewLeaseToken() => Guid.NewGuid().ToString("N");
}
