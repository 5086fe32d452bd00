using SpectralNotify.Health;
using SpectralNotify.Realtime;
using SpectralNotify.Storage;

namespace SpectralNotify.Jobs;

/// <summary>
/// Jobs and runs through the store. Every run change is a task change, announced on the feed after
/// commit, so a run's progress and events stream like any task's. <see cref="WorkArrived"/> wakes
/// waiting workers on this node when runs are enqueued or come back for a retry.
/// </summary>
public sealed partial class JobService(IStore store, TaskFeed feed, IScheduleMath math, TimeProvider time)
{
    private TaskCompletionSource _work = NewSignal();

    public IStore Store => store;
    public DateTimeOffset Now => Clock.Truncate(time.GetUtcNow());
    public IScheduleMath Math => math;

    /// <summary>Completes the next time work may have become claimable here; a waiting worker then tries again.</summary>
    public Task WorkArrived => Volatile.Read(ref _work).Task;

    public async Task<(Job Job, RunChange? Run)> CreateAsync(Job job, bool runNow, CancellationToken ct)
    {
        var now = Clock.Truncate(time.GetUtcNow());
        job = job with
        {
            CreatedAt = now, UpdatedAt = now, Version = 1,
            NextFireAt = job.Schedule is null || job.State != Job.Active ? null : FirstFire(job.Schedule, now),
        };
        var (created, run) = await store.JobCreateAsync(job, runNow && job.Schedule is null ? NewRun.For(job) : null, ct);
        SignalSchedules();
        Announce(run is null ? [] : [run]);
        return (created, run);
    }

    /// <summary>
    /// Saves <paramref name="job"/> if <paramref name="expectedVersion"/> is current. A changed schedule or
    /// a resume starts the schedule again from now; a pause or delete stops it.
    /// </summary>
    public async Task<Job> UpdateAsync(Job current, Job job, long expectedVersion, CancellationToken ct)
    {
        var now = Clock.Truncate(time.GetUtcNow());
        var scheduleChanged = JobScheduleJson.Format(current.Schedule) != JobScheduleJson.Format(job.Schedule);
        var firing = job.Schedule is not null && job.State == Job.Active && job.DeletedAt is null;
        DateTimeOffset? next = !firing ? null
            : scheduleChanged || current.NextFireAt is null ? FirstFire(job.Schedule!, now)
            : current.NextFireAt;
        var updated = await store.JobUpdateAsync(job with { UpdatedAt = now, NextFireAt = next }, expectedVersion, ct);
        SignalSchedules();
        return updated;
    }

    public async Task<RunChange> TriggerAsync(Job job, CancellationToken ct) =>
        (await EnqueueAsync([NewRun.For(job)], ct))[0];

    public async Task<IReadOnlyList<RunChange>> EnqueueAsync(IReadOnlyList<NewRun> runs, CancellationToken ct)
    {
        var changes = await store.RunEnqueueAsync(runs, ct);
        Announce(changes);
        return changes;
    }

    public async Task<IReadOnlyList<RunChange>> ClaimAsync(ClaimRequest request, CancellationToken ct)
    {
        var changes = await store.RunClaimAsync(request, ct);
        Announce(changes);
        return changes;
    }

    /// <summary>Reserves runs for this node's local queue; nothing is announced until each one starts.</summary>
    public Task<IReadOnlyList<JobRun>> ReserveAsync(ClaimRequest request, CancellationToken ct) => store.RunReserveAsync(request, ct);

    public async Task<RunChange> StartAsync(string taskId, string leaseToken, TimeSpan lease, CancellationToken ct) =>
        Announce(await store.RunStartAsync(taskId, leaseToken, lease, ct));

    public Task<JobRun> HeartbeatAsync(string taskId, string leaseToken, TimeSpan lease, CancellationToken ct) =>
        store.RunHeartbeatAsync(taskId, leaseToken, lease, ct);

    public async Task<RunChange> CompleteAsync(string taskId, string leaseToken, string? result, CancellationToken ct) =>
        Announce(await store.RunCompleteAsync(taskId, leaseToken, result, ct));

    public async Task<RunChange> FailAsync(RunFailParams p, CancellationToken ct) =>
        Announce(await store.RunFailAsync(p, ct));

    /// <summary>Gives back runs a claim leased to a worker that never received them; waiting workers are woken for them.</summary>
    public async Task<IReadOnlyList<RunChange>> UnclaimAsync(IReadOnlyList<RunLease> leases, string reason, CancellationToken ct)
    {
        var changes = await store.RunUnclaimAsync(leases, reason, ct);
        Announce(changes);
        return changes;
    }

    /// <summary>Enqueues a new run doing again what a failed or canceled run did (<see cref="JobRules.Retry"/>).</summary>
    /// <exception cref="RunNotFoundException"/>
    /// <exception cref="RunNotRetryableException"/>
    public async Task<RunChange> RetryAsync(string taskId, string? createdBy, CancellationToken ct)
    {
        // An ended run never changes again, so reading it outside the enqueue's transaction is safe.
        var run = await store.RunGetAsync(taskId, ct) ?? throw new RunNotFoundException(taskId);
        var task = await store.TaskGetAsync(taskId, ct) ?? throw new RunNotFoundException(taskId);
        return (await EnqueueAsync([JobRules.Retry(run, task.Status, task.Title, createdBy)], ct))[0];
    }

    public async Task<RunChange?> CancelAsync(string taskId, CancellationToken ct)
    {
        if (await store.RunCancelAsync(taskId, ct) is not { } change)
        {
            return null;
        }
        if (change.Run.CancelRequested)
        {
            CancelRequested?.Invoke(taskId);
        }
        return Announce(change);
    }

    /// <summary>
    /// Raised when a cancel of a running run is recorded through this node, so an in-process worker
    /// holding it stops at once; a worker elsewhere learns of it from its next heartbeat.
    /// </summary>
    public event Action<string>? CancelRequested;

    /// <summary>Most rows one pass handles; a full pass means more may be due, and the scheduler goes again at once.</summary>
    public const int PassLimit = 500;

    /// <summary>Rows the passes could not handle: skipped for 10 minutes, then tried again.</summary>
    public Quarantine Quarantine { get; } = new(TimeSpan.FromMinutes(10));

    /// <summary>Raised once per row put in quarantine, so the host can log it with its id.</summary>
    public event Action<PoisonRow>? Poisoned;

    /// <summary>Fires due schedules; returns how many rows the pass handled.</summary>
    public async Task<int> FireDueAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        NoteFirePass(now);
        var result = await store.JobFireDueAsync(new SweepParams(now, PassLimit, Quarantine.Active(now), FireAhead), math, ct);
        return Settle(result, now);
    }

    /// <summary>Fails (retries) runs whose lease ran out, returns lapsed reservations to the queue, cancels runs past their TTL.</summary>
    public async Task<int> SweepAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var result = await store.RunSweepAsync(new SweepParams(now, PassLimit, Quarantine.Active(now)), ct);
        return Settle(result, now);
    }

    private int Settle(SweepResult result, DateTimeOffset now)
    {
        Announce(result.Changes);
        foreach (var row in Quarantine.Add(result.Poisoned, now))
        {
            Poisoned?.Invoke(row);
        }
        return result.Changes.Count + result.Poisoned.Count;
    }

    /// <summary>Wakes this node's waiting workers (also called when another node announces new work).</summary>
    public void SignalWork() => Interlocked.Exchange(ref _work, NewSignal()).TrySetResult();

    private RunChange Announce(RunChange change)
    {
        Announce([change]);
        return change;
    }

    private void Announce(IReadOnlyList<RunChange> changes)
    {
        var now = time.GetUtcNow();
        var claimableNow = false;
        foreach (var c in changes.SelectMany(c => c.All()))
        {
            feed.Publish(FeedItem.ForTask(c.Task.Task.Id, c.Task.Event.Seq, c.Task) with { Run = c.Run });
            if (c.Run is { State: JobRun.Pending, Blocked: 0 } run && run.RunAt > now)
            {
                Alarm.At(run.RunAt); // claimable later: wake the workers then, not at their next poll
            }
            else
            {
                claimableNow = true;
            }
        }
        // New, retried or unblocked (a dependency succeeded) runs may be claimable now. A pass that only
        // made runs for later wakes nobody: every waiting worker's claim would be a write for nothing.
        if (claimableNow)
        {
            SignalWork();
        }
    }

    /// <summary>A schedule (re)starting at <paramref name="now"/>: a fire time equal to now still counts.</summary>
    private DateTimeOffset? FirstFire(JobSchedule schedule, DateTimeOffset now) => math.NextAfter(schedule, now.AddMilliseconds(-1));

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
