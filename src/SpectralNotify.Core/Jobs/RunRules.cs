using SpectralNotify.Tasks;

namespace SpectralNotify.Jobs;

/// <summary>
/// What each step of a run does to the run and to its task. Stores call these inside their write
/// transaction with the locked current run, so the check (is the lease still held?) and the write
/// are atomic.
/// </summary>
/// <remarks>
/// Attempts: a run gets <c>1 + MaxRetries</c> attempts. A failed attempt with attempts left goes
/// back to <c>pending</c> at <c>now + backoff</c> (exponential, 2 s doubling to at most 1 h, plus up
/// to 25% jitter so retries of many runs spread out) or at the time the handler asked for; the last
/// failure ends the task <c>failed</c> (the dead letter), every attempt's error kept in its events.
/// A run whose cancel was requested ends <c>canceled</c> at its next failure or lost lease.
/// </remarks>
public static class RunRules
{
    public static readonly TimeSpan MaxBackoff = TimeSpan.FromHours(1);

    /// <summary>A lease taken and the attempt started at once (what an HTTP worker's claim does).</summary>
    public static (JobRun Run, TaskMutation Mutation) Claim(JobRun run, string workerId, string leaseToken, TimeSpan lease, DateTimeOffset now) =>
        Start(Reserve(run, workerId, leaseToken, lease, now), leaseToken, lease, now);

    /// <summary>
    /// A lease taken for a run the worker will start shortly (it waits in the worker's local queue).
    /// Nothing happens to its task: watchers still see it pending, and a reservation that lapses
    /// gives the run back without using an attempt (<see cref="Release"/>).
    /// </summary>
    public static JobRun Reserve(JobRun run, string workerId, string leaseToken, TimeSpan lease, DateTimeOffset now) =>
        run with
        {
            State = JobRun.Reserved, WorkerId = workerId, LeaseToken = leaseToken, Deadline = null,
            LeaseExpiresAt = Clock.Truncate(Clock.Truncate(now) + lease),
        };

    /// <summary>The reserving worker starts the attempt: the task goes in progress and the timeout starts counting.</summary>
    public static (JobRun Run, TaskMutation Mutation) Start(JobRun run, string leaseToken, TimeSpan lease, DateTimeOffset now)
    {
        if (run.State != JobRun.Reserved || !string.Equals(run.LeaseToken, leaseToken, StringComparison.Ordinal))
        {
            throw new LeaseLostException(run.TaskId, run.State switch
            {
                JobRun.Done => "the run has finished",
                JobRun.Running => "it has started already",
                _ => "the reservation lapsed and the run went back to the queue",
            });
        }
        now = Clock.Truncate(now);
        var attempt = run.Attempt + 1;
        DateTimeOffset? deadline = run.TimeoutSeconds is { } t ? now.AddSeconds(t) : null;
        return (run with { State = JobRun.Running, Attempt = attempt, Deadline = deadline, LeaseExpiresAt = Cap(now + lease, deadline) },
            new RunStartMutation(attempt, run.WorkerId!));
    }

    /// <summary>A reservation whose lease ran out before its worker started it: the run is claimable again, its attempts untouched.</summary>
    public static JobRun Release(JobRun run) =>
        run with { State = JobRun.Pending, WorkerId = null, LeaseToken = null, LeaseExpiresAt = null, Deadline = null };

    /// <summary>
    /// A claim whose answer never reached its worker (its connection closed while the claim ran): the
    /// run goes back to the queue in its old place and the attempt it started does not count, as if
    /// the claim had not happened. A cancel requested meanwhile ends the run instead.
    /// </summary>
    public static (JobRun Run, TaskMutation Mutation) Unclaim(JobRun run, string leaseToken, string reason)
    {
        EnsureHeld(run, leaseToken);
        if (run.CancelRequested)
        {
            return (run with { State = JobRun.Done, LeaseToken = null, LeaseExpiresAt = null, Deadline = null }, new CancelMutation("cancel requested", null));
        }
        return (run with
        {
            State = JobRun.Pending, Attempt = run.Attempt - 1, WorkerId = null, LeaseToken = null, LeaseExpiresAt = null, Deadline = null,
        }, new RunUnclaimMutation(run.Attempt, run.WorkerId!, reason));
    }

    /// <summary>Extends the lease; throws when the caller no longer holds it.</summary>
    public static JobRun Heartbeat(JobRun run, string leaseToken, TimeSpan lease, DateTimeOffset now)
    {
        EnsureHeld(run, leaseToken);
        return run with { LeaseExpiresAt = Cap(now + lease, run.Deadline) };
    }

    /// <summary>
    /// A running run whose lease ran out: its worker is gone or it passed its timeout (leases never
    /// reach past the deadline). Either way the attempt failed and is retried while attempts remain.
    /// </summary>
    public static (JobRun Run, TaskMutation Mutation) Expire(JobRun run, DateTimeOffset now, double jitter)
    {
        var reason = run.Deadline is { } d && now >= d && !run.CancelRequested
            ? $"timed out after {run.TimeoutSeconds} s"
            : $"lease expired (worker {run.WorkerId} stopped heartbeating)";
        return Fail(run, null, reason, retryable: true, retryAt: null, now, jitter);
    }

    private static DateTimeOffset Cap(DateTimeOffset leaseEnd, DateTimeOffset? deadline) =>
        Clock.Truncate(deadline is { } d && d < leaseEnd ? d : leaseEnd);

    public static (JobRun Run, TaskMutation Mutation) Complete(JobRun run, string leaseToken, string? result)
    {
        EnsureHeld(run, leaseToken);
        return (run with { State = JobRun.Done, Result = result, LeaseToken = null, LeaseExpiresAt = null, Deadline = null },
            new CompleteMutation(null));
    }

    /// <summary>
    /// A failed attempt: retried while attempts remain and the failure is retryable, otherwise the end
    /// of the run. <paramref name="leaseToken"/> is null when the server fails it (lease expired,
    /// timeout). <paramref name="jitter"/> is a number in [0, 1).
    /// </summary>
    public static (JobRun Run, TaskMutation Mutation) Fail(JobRun run, string? leaseToken, string error, bool retryable,
        DateTimeOffset? retryAt, DateTimeOffset now, double jitter)
    {
        if (leaseToken is not null)
        {
            EnsureHeld(run, leaseToken);
        }
        now = Clock.Truncate(now);
        var done = run with { State = JobRun.Done, LeaseToken = null, LeaseExpiresAt = null, Deadline = null };
        if (run.CancelRequested)
        {
            return (done, new CancelMutation("cancel requested", null));
        }
        if (retryable && run.Attempt <= run.MaxRetries)
        {
            var at = Clock.Truncate(retryAt is { } asked ? (asked > now ? asked : now) : now + Backoff(run.Attempt, jitter));
            return (run with { State = JobRun.Pending, RunAt = at, LeaseToken = null, LeaseExpiresAt = null, Deadline = null, WorkerId = null },
                new RunRetryMutation(run.Attempt, error, at));
        }
        var why = retryable ? $"{error} (attempt {run.Attempt} of {run.MaxRetries + 1}; no retries left)" : $"{error} (not retryable)";
        return (done, new FailMutation(why, null));
    }

    /// <summary>
    /// A retry that would make the run a second holder of its unique key: a running run holds none
    /// (docs/jobs.md: one pending run per key), so <paramref name="holder"/> may have taken it
    /// meanwhile. As a firing that would add a second pending run is skipped, so is the retry, and
    /// the failed attempt ends the run.
    /// </summary>
    public static (JobRun Run, TaskMutation Mutation) Unretried(JobRun run, RunRetryMutation retry, string holder) =>
        (run with { State = JobRun.Done, LeaseToken = null, LeaseExpiresAt = null, Deadline = null },
            new FailMutation($"{retry.Error} (not retried: run {holder} holds unique key {run.UniqueKey})", null));

    /// <summary>
    /// A cancel: a pending (or reserved, not yet started) run ends canceled at once; a running one is marked so its worker learns of it
    /// (heartbeat answer, or its CancellationToken in process) and ends canceled when it stops or its
    /// lease runs out. Null when the run has already finished.
    /// </summary>
    /// <remarks>
    /// A worker gets <see cref="CancelGrace"/> to stop: the attempt's deadline moves to at most then,
    /// and since leases never reach past the deadline, a worker that ignores the request loses its
    /// lease and the run ends canceled.
    /// </remarks>
    public static (JobRun Run, TaskMutation Mutation)? Cancel(JobRun run, DateTimeOffset now)
    {
        switch (run.State)
        {
            case JobRun.Pending or JobRun.Reserved:
                return (run with { State = JobRun.Done }, new CancelMutation(null, null));
            case JobRun.Running when !run.CancelRequested:
                var grace = Clock.Truncate(now + CancelGrace);
                var deadline = run.Deadline is { } d && d < grace ? d : grace;
                return (run with
                {
                    CancelRequested = true, Deadline = deadline,
                    LeaseExpiresAt = run.LeaseExpiresAt is { } l && l < deadline ? l : deadline,
                }, new AddEventMutation(TaskEventType.Log, $"Cancel requested; the worker has until {Clock.ToWire(deadline)} to stop", null, null));
            default:
                return null;
        }
    }

    /// <summary>How long a worker may take to stop after a cancel request before it loses its lease.</summary>
    public static readonly TimeSpan CancelGrace = TimeSpan.FromSeconds(30);

    /// <summary>A pending run whose dependency ended without success, or whose TTL passed before it started, ends canceled.</summary>
    public static (JobRun Run, TaskMutation Mutation) CancelPending(JobRun run, string reason) =>
        (run with { State = JobRun.Done }, new CancelMutation(reason, null));

    /// <summary>2 s × 2^(attempt−1), at most <see cref="MaxBackoff"/>, plus up to 25% jitter.</summary>
    public static TimeSpan Backoff(int attempt, double jitter)
    {
        var seconds = Math.Min(2 * Math.Pow(2, Math.Max(0, attempt - 1)), MaxBackoff.TotalSeconds);
        return TimeSpan.FromSeconds(seconds * (1 + 0.25 * Math.Clamp(jitter, 0, 1)));
    }

    private static void EnsureHeld(JobRun run, string leaseToken)
    {
        if (run.State != JobRun.Running)
        {
            throw new LeaseLostException(run.TaskId, run.State switch
            {
                JobRun.Done => "the run has finished",
                JobRun.Reserved when string.Equals(run.LeaseToken, leaseToken, StringComparison.Ordinal) => "the run has not been started",
                _ => "the lease expired and the run was rescheduled",
            });
        }
        if (!string.Equals(run.LeaseToken, leaseToken, StringComparison.Ordinal))
        {
            throw new LeaseLostException(run.TaskId, "another worker holds it now");
        }
    }
}
