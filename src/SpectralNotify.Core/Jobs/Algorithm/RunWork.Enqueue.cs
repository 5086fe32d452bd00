using SpectralNotify.Tasks;

namespace SpectralNotify.Jobs;

public sealed partial class RunWork
{
    /// <summary>Creates the runs (each a task); any refusal throws, and the caller's transaction then writes none of them.</summary>
    /// <exception cref="RunUniqueConflictException"/>
    /// <exception cref="RunNotFoundException">A dependency does not exist.</exception>
    /// <exception cref="TaskAlreadyExistsException"/>
    public async ValueTask<IReadOnlyList<RunChange>> EnqueueAsync(IReadOnlyList<NewRun> inputs, CancellationToken ct)
    {
        var changes = new List<RunChange>(inputs.Count);
        foreach (var input in inputs)
        {
            changes.Add(await EnqueueOneAsync(input, ct));
        }
        return changes;
    }

    /// <summary>
    /// Creates the run's task (event 1) and its queue row. Each dependency still running blocks it;
    /// one that already ended without success cancels it at once.
    /// </summary>
    private async ValueTask<RunChange> EnqueueOneAsync(NewRun input, CancellationToken ct)
    {
        var (newTask, run) = JobRules.NewRunRecords(input, Now);
        if (run.UniqueKey is { } key && await PendingWithKeyAsync(key, ct) is { } existing)
        {
            throw new RunUniqueConflictException(key, existing);
        }
        var dependencies = (input.DependsOn ?? []).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var depRuns = await RunsAsync(dependencies, ct);
        var blocking = new List<string>();
        string? failed = null;
        foreach (var dependency in dependencies)
        {
            var depRun = depRuns.TryGetValue(dependency, out var d) ? d : throw new RunNotFoundException(dependency);
            if (depRun.State != JobRun.Done)
            {
                blocking.Add(dependency);
                continue;
            }
            await LoadTasksAsync([dependency], ct);
            if (_tasks[dependency]?.Status != TaskState.Success)
            {
                failed ??= dependency;
            }
        }
        run = run with { Blocked = blocking.Count };
        var (task, ev) = TaskLifecycle.Create(newTask, Now);
        if (_inserted.Contains(task.Id))
        {
            // Twice in one transaction: refused here, so an engine that inserts the whole batch in
            // one statement only has to meet ids taken before it.
            throw new TaskAlreadyExistsException(task.Id);
        }
        var created = new TaskChange(task, ev);
        if (!await rows.TaskInsertAsync(created, ct))
        {
            throw new TaskAlreadyExistsException(task.Id);
        }
        _tasks[task.Id] = task;
        _readVersions[task.Id] = task.Version;
        _runs[run.TaskId] = run;
        _inserted.Add(run.TaskId);
        Writes.RunInserts.Add(run);
        Writes.Dependencies.AddRange(blocking.Select(b => (run.TaskId, b)));
        if (failed is null)
        {
            return new RunChange(run, created);
        }
        return (await ApplyAsync([RunRules.CancelPending(run, $"dependency {failed} did not succeed")], ct))[0].Value;
    }

    /// <summary>The run holding <paramref name="key"/> as this transaction sees it: one enqueued here, or a stored one not ended here.</summary>
    private async ValueTask<string?> PendingWithKeyAsync(string key, CancellationToken ct)
    {
        if (_runs.Values.FirstOrDefault(r => r.UniqueKey == key && r.State is JobRun.Pending or JobRun.Reserved) is { } mine)
        {
            return mine.TaskId;
        }
        var stored = await rows.RunPendingByUniqueKeyAsync(key, ct);
        return stored is not null && _runs.TryGetValue(stored, out var decided) && decided.State is not (JobRun.Pending or JobRun.Reserved)
            ? null
            : stored;
    }

    /// <summary>
    /// A failed attempt of <paramref name="run"/> as decided, unless its retry would take a unique
    /// key another run holds now: the partial unique index would refuse the whole transaction (a
    /// worker's failure, or every row of a sweep), so the run ends instead (<see cref="RunRules.Unretried"/>).
    /// </summary>
    private async ValueTask<(JobRun Run, TaskMutation Mutation)> UnlessKeyTakenAsync(JobRun run, (JobRun Run, TaskMutation Mutation) step,
        CancellationToken ct) =>
        step.Mutation is RunRetryMutation retry && run.UniqueKey is { } key && await PendingWithKeyAsync(key, ct) is { } holder
            ? RunRules.Unretried(run, retry, holder)
            : step;

    /// <summary>
    /// A task is being deleted: runs waiting for it can never run, so they are canceled, with the reason.
    /// (Its own run goes with it.) Call before the delete, in the same transaction.
    /// </summary>
    public async ValueTask<IReadOnlyList<RunChange>> DependencyDeletedAsync(string taskId, CancellationToken ct)
    {
        // A dependency that already succeeded has unblocked its dependents: deleting it afterwards
        // (a clean-up) changes nothing for them.
        if ((await RunsAsync([taskId], ct)).TryGetValue(taskId, out var run) && run.State == JobRun.Done)
        {
            await LoadTasksAsync([taskId], ct);
            if (_tasks[taskId]?.Status == TaskState.Success)
            {
                return [];
            }
        }
        return await CancelDependentsAsync(taskId, $"dependency {taskId} was deleted", ct) ?? [];
    }
}
