using SpectralNotify.Tasks;

namespace SpectralNotify.Jobs;

public sealed partial class RunWork
{
    /// <summary>Leases and starts up to <c>Max</c> claimable runs (what an HTTP worker's claim does). Runs whose task has ended are closed and skipped.</summary>
    public async ValueTask<IReadOnlyList<RunChange>> ClaimAsync(ClaimRequest request, CancellationToken ct)
    {
        var claimable = await ClaimableAsync(request, ct);
        var outcomes = await ApplyAsync([.. claimable.Select(run => RunRules.Claim(run, request.WorkerId, NewLeaseToken(), request.Lease, Now))], ct);
        return [.. outcomes.Where(o => o.Change is not null).Select(o => o.Change!)];
    }

    /// <summary>Reserves claimable runs for a worker's local queue: only their run rows change (the task stays pending until the start).</summary>
    public async ValueTask<IReadOnlyList<JobRun>> ReserveAsync(ClaimRequest request, CancellationToken ct)
    {
        var reserved = (await ClaimableAsync(request, ct)).Select(run => RunRules.Reserve(run, request.WorkerId, NewLeaseToken(), request.Lease, Now)).ToList();
        reserved.ForEach(SetRun);
        return reserved;
    }

    /// <summary>Due runs of the request's queues, in the order the worker lists them (one read for all queues).</summary>
    private async ValueTask<List<JobRun>> ClaimableAsync(ClaimRequest request, CancellationToken ct) =>
        [.. (await rows.RunClaimableAsync([.. request.Queues.Distinct(StringComparer.Ordinal)], request.Types, Now, request.Max, ct)).Select(Current)];

    /// <summary>
    /// Starts and completions, in order: the same run twice (a short run's start and completion)
    /// sees its first outcome. Each gets its own outcome; one with a lost lease fails alone.
    /// </summary>
    public async ValueTask<IReadOnlyList<RunOutcome>> LeaseAsync(IReadOnlyList<LeaseOp> ops, CancellationToken ct)
    {
        var runs = await RunsAsync(ops.Select(o => o.TaskId), ct);
        await LoadTasksAsync(runs.Keys, ct);
        var outcomes = new List<RunOutcome>(ops.Count);
        foreach (var op in ops)
        {
            try
            {
                var run = _runs.TryGetValue(op.TaskId, out var r) ? r : throw new RunNotFoundException(op.TaskId);
                var step = op.StartLease is { } lease ? RunRules.Start(run, op.LeaseToken, lease, Now)
                    : op.Complete ? RunRules.Complete(run, op.LeaseToken, op.Result)
                    : throw new ArgumentException("A lease op is a start or a completion.", nameof(ops));
                outcomes.Add(Leased((await ApplyAsync([step], ct))[0], op.TaskId));
            }
            catch (SpectralException ex)
            {
                outcomes.Add(new RunOutcome(null, ex));
            }
        }
        return outcomes;
    }

    /// <summary>A failed attempt: retried with backoff (or at <paramref name="retryAt"/>) while attempts remain and its unique key is free, else the run fails.</summary>
    public async ValueTask<RunChange> FailAsync(string taskId, string leaseToken, string error, bool retryable, DateTimeOffset? retryAt,
        CancellationToken ct)
    {
        var run = await RunAsync(taskId, ct);
        var step = await UnlessKeyTakenAsync(run, RunRules.Fail(run, leaseToken, error, retryable, retryAt, Now, Random.Shared.NextDouble()), ct);
        return Leased((await ApplyAsync([step], ct))[0], taskId).Value;
    }

    /// <summary>
    /// Gives back runs a claim leased to a worker that never received them (<see cref="RunRules.Unclaim"/>).
    /// A run that moved on meanwhile (finished, canceled, leased again) is left as it is, and so is one
    /// whose unique key another pending run has taken since the claim: the partial unique index would
    /// refuse the transaction, so that run keeps its lease and is retried when it expires.
    /// </summary>
    public async ValueTask<IReadOnlyList<RunChange>> UnclaimAsync(IReadOnlyList<RunLease> leases, string reason, CancellationToken ct)
    {
        var runs = await RunsAsync(leases.Select(l => l.TaskId), ct);
        await LoadTasksAsync(runs.Keys, ct);
        var changes = new List<RunChange>(leases.Count);
        foreach (var lease in leases)
        {
            if (!_runs.TryGetValue(lease.TaskId, out var run) || run.State != JobRun.Running
                || !string.Equals(run.LeaseToken, lease.LeaseToken, StringComparison.Ordinal)
                || (run.UniqueKey is { } key && !run.CancelRequested && await PendingWithKeyAsync(key, ct) is not null))
            {
                continue;
            }
            if ((await ApplyAsync([RunRules.Unclaim(run, lease.LeaseToken, reason)], ct))[0].Change is { } change)
            {
                changes.Add(change);
            }
        }
        return changes;
    }

    /// <summary>Extends the caller's lease; the answer says whether a cancel was requested.</summary>
    public async ValueTask<JobRun> HeartbeatAsync(string taskId, string leaseToken, TimeSpan lease, CancellationToken ct)
    {
        var run = RunRules.Heartbeat(await RunAsync(taskId, ct), leaseToken, lease, Now);
        SetRun(run);
        return run;
    }

    /// <summary>A pending run is canceled at once; a running one records the request for its worker. Null when it had already finished.</summary>
    public async ValueTask<RunChange?> CancelAsync(string taskId, CancellationToken ct) =>
        RunRules.Cancel(await RunAsync(taskId, ct), Now) is { } step ? (await ApplyAsync([step], ct))[0].Value : null;

    private async ValueTask<JobRun> RunAsync(string taskId, CancellationToken ct) =>
        (await RunsAsync([taskId], ct)).TryGetValue(taskId, out var run) ? run : throw new RunNotFoundException(taskId);

    /// <summary>To a worker, a run whose task ended some other way is a lost lease.</summary>
    private static RunOutcome Leased(RunOutcome outcome, string taskId) => outcome.Error switch
    {
        TaskTerminalException t => new RunOutcome(null, new LeaseLostException(taskId, $"its task has already ended ({t.Status.ToWire()})")),
        TaskNotFoundException => new RunOutcome(null, new LeaseLostException(taskId, "its task was deleted")),
        _ => outcome,
    };
}
