namespace SpectralNotify.Jobs;

public sealed partial class RunWork
{
    /// <summary>
    /// The lease and TTL sweep: reservations that lapsed go back to the queue (no event); running
    /// runs whose lease ran out fail their attempt (retry or end); runs not started before their TTL
    /// end canceled. A row whose handling throws is skipped and reported, never failing the pass.
    /// </summary>
    public async ValueTask<SweepResult> ExpireAsync(SweepParams p, CancellationToken ct)
    {
        var changes = new List<RunChange>();
        var poisoned = new List<PoisonRow>();
        var expired = (await rows.RunLeaseExpiredAsync(Now, p.ReadLimit, ct)).Where(r => p.Skip?.Contains(r.TaskId) != true).ToList();
        await LoadTasksAsync(expired.Where(r => r.State == JobRun.Running).Select(r => r.TaskId), ct);
        foreach (var read in expired)
        {
            await IsolateAsync(poisoned, read.TaskId, async () =>
            {
                var run = Current(read);
                if (run.State == JobRun.Reserved)
                {
                    SetRun(RunRules.Release(run));
                }
                else if (run.State == JobRun.Running)
                {
                    var step = await UnlessKeyTakenAsync(run, RunRules.Expire(run, Now, Random.Shared.NextDouble()), ct);
                    Add(changes, (await ApplyAsync([step], ct))[0]);
                }
            });
        }
        var stale = (await rows.RunTtlExpiredAsync(Now, p.ReadLimit, ct)).Where(r => p.Skip?.Contains(r.TaskId) != true).ToList();
        await LoadTasksAsync(stale.Select(r => r.TaskId), ct);
        foreach (var read in stale)
        {
            await IsolateAsync(poisoned, read.TaskId, async () =>
            {
                // A cascade above may have ended it already.
                if (Current(read) is { State: JobRun.Pending or JobRun.Reserved } run)
                {
                    Add(changes, (await ApplyAsync([RunRules.CancelPending(run, "expired before it started")], ct))[0]);
                }
            });
        }
        return new SweepResult([.. changes, .. _detached], poisoned);
    }

    /// <summary>
    /// Fires due schedules: each job gets a run (unless its misfire policy skips a late firing, or a
    /// pending run holds its unique key) and its next fire time, so no firing is lost or doubled
    /// across restarts and nodes. A job whose schedule cannot be evaluated is skipped and reported.
    /// </summary>
    public async ValueTask<SweepResult> FireDueAsync(SweepParams p, IScheduleMath math, CancellationToken ct)
    {
        var changes = new List<RunChange>();
        var poisoned = new List<PoisonRow>();
        foreach (var job in await rows.JobDueAsync(Now + p.Ahead, p.ReadLimit, ct))
        {
            if (p.Skip?.Contains(job.Id) == true)
            {
                continue;
            }
            // Everything that can throw for a bad row is decided before anything of it is written.
            (NewRun? Run, DateTimeOffset? Next) firing;
            try
            {
                firing = JobRules.Fire(job, Now, math);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                poisoned.Add(new PoisonRow("job", job.Id, $"its schedule could not be evaluated: {ex.Message}"));
                continue;
            }
            if (firing.Run is { } run && (run.UniqueKey is null || await PendingWithKeyAsync(run.UniqueKey, ct) is null))
            {
                changes.Add(await EnqueueOneAsync(run, ct));
            }
            Writes.NextFires.Add((job.Id, firing.Next));
        }
        return new SweepResult(changes, poisoned);
    }

    private static void Add(List<RunChange> changes, RunOutcome outcome)
    {
        if (outcome.Change is { } change)
        {
            changes.Add(change);
        }
    }

    /// <summary>
    /// Runs one row's decision; a failure of the decision itself (a rule that throws for this row)
    /// is the row's alone, and since a rule throws before the step plans its writes, nothing of it is
    /// written. A database failure is not a bad row: it fails the whole pass, whose transaction then
    /// writes nothing, and the pass is retried with backoff.
    /// </summary>
    private static async ValueTask IsolateAsync(List<PoisonRow> poisoned, string id, Func<ValueTask> decide)
    {
        try
        {
            await decide();
        }
        catch (Exception ex) when (ex is not (OutOfMemoryException or OperationCanceledException or System.Data.Common.DbException
            or Storage.StoreUnavailableException))
        {
            poisoned.Add(new PoisonRow("run", id, $"{ex.GetType().Name}: {ex.Message}"));
        }
    }
}
