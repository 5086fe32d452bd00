using SpectralNotify.Jobs;
using SpectralNotify.Tasks;

namespace SpectralNotify.Tests.Core;

/// <summary>The run state machine (<see cref="RunRules"/>), as tables: each step from each state, with no database.</summary>
public sealed class RunRulesTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 2, 3, 4, 5, 678, TimeSpan.Zero);
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);

    private static JobRun Run(string state, string? token = null, int attempt = 0, int maxRetries = 3, int? timeout = null,
        DateTimeOffset? deadline = null, DateTimeOffset? leaseEnd = null, bool cancelRequested = false) => new()
    {
        TaskId = "r1", Type = "email", State = state, WorkerId = token is null ? null : "w1", LeaseToken = token, Attempt = attempt,
        MaxRetries = maxRetries, TimeoutSeconds = timeout, Deadline = deadline, LeaseExpiresAt = leaseEnd, CancelRequested = cancelRequested,
        RunAt = T0, ScheduledAt = T0, CreatedAt = T0,
    };

    private static JobRun Running(int attempt = 1, int maxRetries = 3, bool cancelRequested = false, DateTimeOffset? deadline = null) =>
        Run(JobRun.Running, "tok", attempt, maxRetries, deadline: deadline, leaseEnd: T0 + Lease, cancelRequested: cancelRequested);

    [Fact]
    public void Reserve_leases_without_starting_an_attempt()
    {
        var reserved = RunRules.Reserve(Run(JobRun.Pending), "w1", "tok", Lease, T0);

        Assert.Equal((JobRun.Reserved, "w1", "tok", 0, T0 + Lease, (DateTimeOffset?)null),
            (reserved.State, reserved.WorkerId, reserved.LeaseToken, reserved.Attempt, reserved.LeaseExpiresAt!.Value, reserved.Deadline));
    }

    [Fact]
    public void Claim_reserves_and_starts_attempt_one()
    {
        var (run, mutation) = RunRules.Claim(Run(JobRun.Pending), "w1", "tok", Lease, T0);

        Assert.Equal((JobRun.Running, 1, "tok"), (run.State, run.Attempt, run.LeaseToken));
        Assert.Equal(new RunStartMutation(1, "w1"), mutation);
    }

    public static TheoryData<int?, int, DateTimeOffset?, DateTimeOffset> StartTable() => new()
    {
        // timeout (s), lease (s), expected deadline, expected lease end: a lease never reaches past the deadline.
        { null, 30, null, T0.AddSeconds(30) },
        { 60, 30, T0.AddSeconds(60), T0.AddSeconds(30) },
        { 10, 30, T0.AddSeconds(10), T0.AddSeconds(10) },
    };

    [Theory]
    [MemberData(nameof(StartTable))]
    public void Start_sets_the_deadline_and_caps_the_lease_at_it(int? timeout, int leaseSeconds, DateTimeOffset? deadline, DateTimeOffset leaseEnd)
    {
        var reserved = Run(JobRun.Reserved, "tok", attempt: 2, timeout: timeout) with { WorkerId = "w1" };

        var (run, mutation) = RunRules.Start(reserved, "tok", TimeSpan.FromSeconds(leaseSeconds), T0);

        Assert.Equal((JobRun.Running, 3, deadline, (DateTimeOffset?)leaseEnd), (run.State, run.Attempt, run.Deadline, run.LeaseExpiresAt));
        Assert.Equal(new RunStartMutation(3, "w1"), mutation);
    }

    public static TheoryData<string, string, string> StartRefusals() => new()
    {
        // state, token offered, reason in the LeaseLostException
        { JobRun.Done, "tok", "the run has finished" },
        { JobRun.Running, "tok", "it has started already" },
        { JobRun.Pending, "tok", "the reservation lapsed" },
        { JobRun.Reserved, "other", "the reservation lapsed" },
    };

    [Theory]
    [MemberData(nameof(StartRefusals))]
    public void Start_without_the_reservation_is_a_lost_lease(string state, string token, string reason)
    {
        var ex = Assert.Throws<LeaseLostException>(() => RunRules.Start(Run(state, "tok"), token, Lease, T0));

        Assert.Contains(reason, ex.Message, StringComparison.Ordinal);
    }

    public static TheoryData<DateTimeOffset?, int, DateTimeOffset> HeartbeatTable() => new()
    {
        { null, 30, T0.AddSeconds(30) },
        { T0.AddSeconds(60), 30, T0.AddSeconds(30) },
        { T0.AddSeconds(5), 30, T0.AddSeconds(5) },
    };

    [Theory]
    [MemberData(nameof(HeartbeatTable))]
    public void Heartbeat_extends_the_lease_up_to_the_deadline(DateTimeOffset? deadline, int leaseSeconds, DateTimeOffset leaseEnd)
    {
        var run = RunRules.Heartbeat(Running(deadline: deadline), "tok", TimeSpan.FromSeconds(leaseSeconds), T0);

        Assert.Equal(leaseEnd, run.LeaseExpiresAt);
    }

    public static TheoryData<string, string, string> LeaseLostTable() => new()
    {
        // state, token offered, reason: the same check guards heartbeat, complete and fail.
        { JobRun.Done, "tok", "the run has finished" },
        { JobRun.Reserved, "tok", "the run has not been started" },
        { JobRun.Reserved, "other", "the lease expired and the run was rescheduled" },
        { JobRun.Pending, "tok", "the lease expired and the run was rescheduled" },
        { JobRun.Running, "other", "another worker holds it now" },
    };

    [Theory]
    [MemberData(nameof(LeaseLostTable))]
    public void Heartbeat_complete_and_fail_need_the_lease(string state, string token, string reason)
    {
        var run = Run(state, "tok", attempt: 1);

        foreach (var step in new Action[]
        {
            () => RunRules.Heartbeat(run, token, Lease, T0),
            () => RunRules.Complete(run, token, null),
            () => RunRules.Fail(run, token, "boom", retryable: true, retryAt: null, T0, 0),
        })
        {
            Assert.Contains(reason, Assert.Throws<LeaseLostException>(step).Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Complete_ends_the_run_with_its_result_and_frees_the_lease()
    {
        var (run, mutation) = RunRules.Complete(Running(deadline: T0.AddSeconds(60)), "tok", """{"ok":true}""");

        Assert.Equal((JobRun.Done, """{"ok":true}""", (string?)null, (DateTimeOffset?)null, (DateTimeOffset?)null),
            (run.State, run.Result, run.LeaseToken, run.LeaseExpiresAt, run.Deadline));
        Assert.IsType<CompleteMutation>(mutation);
    }

    public static TheoryData<int, int, bool, bool, string, string> FailTable() => new()
    {
        // attempt, maxRetries, retryable, cancelRequested → run state, mutation
        { 1, 3, true, false, JobRun.Pending, nameof(RunRetryMutation) },
        { 3, 3, true, false, JobRun.Pending, nameof(RunRetryMutation) },
        { 4, 3, true, false, JobRun.Done, nameof(FailMutation) },
        { 1, 0, true, false, JobRun.Done, nameof(FailMutation) },
        { 1, 3, false, false, JobRun.Done, nameof(FailMutation) },
        { 1, 3, true, true, JobRun.Done, nameof(CancelMutation) },
        { 4, 3, false, true, JobRun.Done, nameof(CancelMutation) },
    };

    [Theory]
    [MemberData(nameof(FailTable))]
    public void Fail_retries_dead_letters_or_cancels(int attempt, int maxRetries, bool retryable, bool cancelRequested, string state, string mutation)
    {
        var (run, m) = RunRules.Fail(Running(attempt, maxRetries, cancelRequested), "tok", "boom", retryable, retryAt: null, T0, 0);

        Assert.Equal((state, mutation, (string?)null, (DateTimeOffset?)null), (run.State, m.GetType().Name, run.LeaseToken, run.LeaseExpiresAt));
        Assert.Equal(attempt, run.Attempt);
    }

    [Fact]
    public void A_retry_waits_the_backoff_and_frees_the_worker()
    {
        var (run, m) = RunRules.Fail(Running(attempt: 2), "tok", "boom", retryable: true, retryAt: null, T0, 0);

        Assert.Equal((T0.AddSeconds(4), (string?)null), (run.RunAt, run.WorkerId));
        Assert.Equal(new RunRetryMutation(2, "boom", T0.AddSeconds(4)), m);
    }

    public static TheoryData<DateTimeOffset, DateTimeOffset> RetryAtTable() => new()
    {
        // asked for → retried at: never in the past.
        { T0.AddMinutes(5), T0.AddMinutes(5) },
        { T0.AddMinutes(-5), T0 },
    };

    [Theory]
    [MemberData(nameof(RetryAtTable))]
    public void A_retry_at_a_requested_time_is_never_earlier_than_now(DateTimeOffset asked, DateTimeOffset at)
    {
        var (run, _) = RunRules.Fail(Running(), "tok", "later", retryable: true, retryAt: asked, T0, 0.9);

        Assert.Equal(at, run.RunAt);
    }

    [Theory]
    [InlineData(4, 3, "boom (attempt 4 of 4; no retries left)")]
    [InlineData(1, 3, "boom (not retryable)")]
    public void The_dead_letter_says_why(int attempt, int maxRetries, string error)
    {
        var (_, m) = RunRules.Fail(Running(attempt, maxRetries), "tok", "boom", retryable: attempt > maxRetries, null, T0, 0);

        Assert.Equal(error, Assert.IsType<FailMutation>(m).Error);
    }

    [Fact]
    public void A_retry_whose_unique_key_is_taken_ends_the_run_failed()
    {
        var running = Running() with { UniqueKey = "k" };
        var (_, retry) = RunRules.Fail(running, "tok", "boom", retryable: true, retryAt: null, T0, 0);

        var (run, m) = RunRules.Unretried(running, Assert.IsType<RunRetryMutation>(retry), "other");

        Assert.Equal((JobRun.Done, (string?)null), (run.State, run.LeaseToken));
        Assert.Equal("boom (not retried: run other holds unique key k)", Assert.IsType<FailMutation>(m).Error);
    }

    [Fact]
    public void The_server_fails_an_attempt_without_a_token()
    {
        var (run, _) = RunRules.Fail(Running(), leaseToken: null, "lease expired", retryable: true, retryAt: null, T0, 0);

        Assert.Equal(JobRun.Pending, run.State);
    }

    public static TheoryData<DateTimeOffset?, bool, string> ExpireTable() => new()
    {
        // deadline, cancelRequested → the retry's reason (or the cancel)
        { null, false, "lease expired (worker w1 stopped heartbeating)" },
        { T0.AddSeconds(1), false, "lease expired (worker w1 stopped heartbeating)" },
        { T0, false, "timed out after 10 s" },
        { T0.AddSeconds(-1), false, "timed out after 10 s" },
        { T0, true, "cancel requested" },
    };

    [Theory]
    [MemberData(nameof(ExpireTable))]
    public void Expire_says_whether_the_lease_or_the_timeout_ran_out(DateTimeOffset? deadline, bool cancelRequested, string reason)
    {
        var running = Running(cancelRequested: cancelRequested, deadline: deadline) with { TimeoutSeconds = 10 };

        var (_, m) = RunRules.Expire(running, T0, 0);

        Assert.Equal(reason, m switch
        {
            RunRetryMutation retry => retry.Error,
            CancelMutation cancel => cancel.Reason,
            _ => m.GetType().Name,
        });
    }

    [Theory]
    [InlineData(JobRun.Pending)]
    [InlineData(JobRun.Reserved)]
    public void Cancel_ends_a_run_not_started_at_once(string state)
    {
        var (run, m) = RunRules.Cancel(Run(state, "tok"), T0)!.Value;

        Assert.Equal(JobRun.Done, run.State);
        Assert.IsType<CancelMutation>(m);
    }

    public static TheoryData<DateTimeOffset?, DateTimeOffset, DateTimeOffset> CancelRunningTable() => new()
    {
        // deadline before, lease end before → deadline after (grace), and the lease never past it
        { null, T0.AddSeconds(60), T0 + RunRules.CancelGrace },
        { null, T0.AddSeconds(10), T0 + RunRules.CancelGrace },
        { T0.AddSeconds(5), T0.AddSeconds(5), T0.AddSeconds(5) },
    };

    [Theory]
    [MemberData(nameof(CancelRunningTable))]
    public void Cancel_asks_a_running_worker_to_stop_within_the_grace(DateTimeOffset? deadline, DateTimeOffset leaseEnd, DateTimeOffset after)
    {
        var running = Running(deadline: deadline) with { LeaseExpiresAt = leaseEnd };

        var (run, m) = RunRules.Cancel(running, T0)!.Value;

        Assert.Equal((JobRun.Running, true, (DateTimeOffset?)after), (run.State, run.CancelRequested, run.Deadline));
        Assert.Equal(leaseEnd < after ? leaseEnd : after, run.LeaseExpiresAt);
        Assert.Equal(TaskEventType.Log, Assert.IsType<AddEventMutation>(m).Type);
    }

    [Fact]
    public void Cancel_of_a_finished_run_or_a_second_cancel_does_nothing()
    {
        Assert.Null(RunRules.Cancel(Run(JobRun.Done), T0));
        Assert.Null(RunRules.Cancel(Running(cancelRequested: true), T0));
    }

    [Fact]
    public void CancelPending_ends_the_run_with_the_reason()
    {
        var (run, m) = RunRules.CancelPending(Run(JobRun.Pending), "dependency d did not succeed");

        Assert.Equal(JobRun.Done, run.State);
        Assert.Equal("dependency d did not succeed", Assert.IsType<CancelMutation>(m).Reason);
    }

    [Fact]
    public void Release_gives_a_lapsed_reservation_back_with_its_attempts()
    {
        var run = RunRules.Release(Run(JobRun.Reserved, "tok", attempt: 2, leaseEnd: T0));

        Assert.Equal((JobRun.Pending, (string?)null, (string?)null, (DateTimeOffset?)null, 2), (run.State, run.WorkerId, run.LeaseToken, run.LeaseExpiresAt, run.Attempt));
    }

    [Theory]
    [InlineData(1, 0, 2)]
    [InlineData(2, 0, 4)]
    [InlineData(5, 0, 32)]
    [InlineData(0, 0, 2)]
    [InlineData(1, 1, 2.5)]
    [InlineData(1, 0.5, 2.25)]
    [InlineData(12, 0, 3600)]
    [InlineData(50, 0, 3600)]
    [InlineData(50, 1, 4500)]
    [InlineData(1, -3, 2)]
    [InlineData(1, 7, 2.5)]
    public void Backoff_doubles_from_2_s_to_an_hour_plus_at_most_a_quarter(int attempt, double jitter, double seconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(seconds), RunRules.Backoff(attempt, jitter));
    }
}
