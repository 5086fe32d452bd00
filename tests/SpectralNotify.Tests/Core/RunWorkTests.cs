using Microsoft.Extensions.Time.Testing;
using SpectralNotify.Jobs;
using SpectralNotify.Tasks;

namespace SpectralNotify.Tests.Core;

/// <summary>
/// The job algorithm (<see cref="RunWork"/>) over <see cref="InMemoryRunRows"/>: each test runs
/// one or more "transactions" (a <see cref="RunWork"/> and its flushed plan) and checks the rows.
/// </summary>
public sealed class RunWorkTests
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);

    private readonly InMemoryRunRows _rows = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 4, 5, 6, 7, TimeSpan.Zero));

    /// <summary>One transaction: the algorithm decides at the fake clock's now, then its plan is written.</summary>
    private async Task<T> Tx<T>(Func<RunWork, ValueTask<T>> decide)
    {
        var work = new RunWork(_rows, _time.GetUtcNow());
        var result = await decide(work);
        work.Flush();
        return result;
    }

    private Task<IReadOnlyList<RunChange>> EnqueueAsync(params NewRun[] runs) => Tx(w => w.EnqueueAsync(runs, default));

    private static NewRun New(string id, params string[] dependsOn) => new() { Id = id, Type = "email", DependsOn = dependsOn };

    private static ClaimRequest Claim(int max = 10) => new("w1", ["default"], null, max, Lease);

    private Task<IReadOnlyList<RunChange>> ClaimAsync(int max = 10) => Tx(w => w.ClaimAsync(Claim(max), default));

    /// <summary>The task ends some other way than through its run (a delete elsewhere, the compatible surface).</summary>
    private void EndTaskElsewhere(string id, TaskState status) =>
        _rows.Tasks[id] = _rows.Tasks[id] with { Status = status, Version = _rows.Tasks[id].Version + 1 };

    private TaskState StatusOf(string id) => _rows.Tasks[id].Status;

    [Fact]
    public async Task A_failure_cancels_dependents_through_two_levels()
    {
        await EnqueueAsync(New("a"), New("b", "a"), New("c", "b"));
        var token = Assert.Single(await ClaimAsync()).Run.LeaseToken!;

        var failed = await Tx(w => w.FailAsync("a", token, "boom", retryable: false, retryAt: null, default));

        Assert.Equal(["a", "b", "c"], failed.All().Select(c => c.Run.TaskId));
        Assert.Equal([TaskState.Failed, TaskState.Canceled, TaskState.Canceled], new[] { "a", "b", "c" }.Select(StatusOf));
        Assert.Equal("Task canceled: dependency b did not succeed", _rows.EventsOf("c")[^1].Message);
        Assert.All(_rows.Runs.Values, r => Assert.Equal(JobRun.Done, r.State));
    }

    [Fact]
    public async Task A_success_unblocks_its_dependents()
    {
        await EnqueueAsync(New("a"), New("b", "a"));
        Assert.Equal(1, _rows.Runs["b"].Blocked);
        var token = Assert.Single(await ClaimAsync()).Run.LeaseToken!;

        await Tx(w => w.LeaseAsync([LeaseOp.Completion("a", token, null)], default));

        Assert.Equal(0, _rows.Runs["b"].Blocked);
        Assert.Equal("b", Assert.Single(await ClaimAsync()).Run.TaskId);
    }

    [Fact]
    public async Task A_dependency_that_already_failed_cancels_the_new_run_at_once()
    {
        await EnqueueAsync(New("a"));
        var token = Assert.Single(await ClaimAsync()).Run.LeaseToken!;
        await Tx(w => w.FailAsync("a", token, "boom", retryable: false, retryAt: null, default));

        var b = Assert.Single(await EnqueueAsync(New("b", "a")));

        Assert.Equal((JobRun.Done, TaskState.Canceled), (b.Run.State, StatusOf("b")));
        Assert.Empty(_rows.Deps);
    }

    [Theory]
    [InlineData(TaskState.Success, JobRun.Pending, TaskState.Pending)]
    [InlineData(TaskState.Canceled, JobRun.Done, TaskState.Canceled)]
    [InlineData(TaskState.Failed, JobRun.Done, TaskState.Canceled)]
    public async Task A_claim_closes_a_run_whose_task_ended_and_its_dependents_follow(TaskState ended, string dependentRun, TaskState dependentTask)
    {
        await EnqueueAsync(New("a"), New("b", "a"));
        EndTaskElsewhere("a", ended);

        var (claimed, detached) = await Tx(async w => (await w.ClaimAsync(Claim(), default), w.Detached));

        Assert.Empty(claimed);
        Assert.Equal(JobRun.Done, _rows.Runs["a"].State);
        Assert.Equal((dependentRun, dependentTask), (_rows.Runs["b"].State, StatusOf("b")));
        Assert.Equal(dependentRun == JobRun.Done ? new[] { "b" } : [], detached.Select(c => c.Run.TaskId));
        Assert.Equal(ended == TaskState.Success ? 0 : 1, _rows.Runs["b"].Blocked);
    }

    [Fact]
    public async Task A_start_of_a_run_whose_task_ended_is_a_lost_lease()
    {
        await EnqueueAsync(New("a"));
        var token = Assert.Single(await Tx(w => w.ReserveAsync(Claim(), default))).LeaseToken!;
        EndTaskElsewhere("a", TaskState.Canceled);

        var outcome = Assert.Single(await Tx(w => w.LeaseAsync([LeaseOp.Start("a", token, Lease)], default)));

        var lost = Assert.IsType<LeaseLostException>(outcome.Error);
        Assert.Contains("its task has already ended (canceled)", lost.Message, StringComparison.Ordinal);
        Assert.Equal(JobRun.Done, _rows.Runs["a"].State);
    }

    [Fact]
    public async Task The_sweep_closes_an_expired_run_whose_task_ended_without_retrying_it()
    {
        await EnqueueAsync(New("a"), New("b", "a"));
        await ClaimAsync();
        EndTaskElsewhere("a", TaskState.Canceled);
        var events = _rows.EventsOf("a").Count;
        _time.Advance(Lease + TimeSpan.FromSeconds(1));

        var swept = await Tx(w => w.ExpireAsync(new SweepParams(_time.GetUtcNow(), 100), default));

        Assert.Equal(["b"], swept.Changes.Select(c => c.Run.TaskId));
        Assert.Empty(swept.Poisoned);
        Assert.Equal((JobRun.Done, 1), (_rows.Runs["a"].State, _rows.Runs["a"].Attempt));
        Assert.Equal(events, _rows.EventsOf("a").Count);
        Assert.Equal(TaskState.Canceled, StatusOf("b"));
    }

    [Fact]
    public async Task The_sweep_retries_a_lapsed_attempt_and_releases_a_lapsed_reservation()
    {
        await EnqueueAsync(New("a"), New("b"));
        await Tx(w => w.ClaimAsync(Claim(max: 1), default));
        await Tx(w => w.ReserveAsync(Claim(max: 1), default));
        _time.Advance(Lease + TimeSpan.FromSeconds(1));

        var swept = await Tx(w => w.ExpireAsync(new SweepParams(_time.GetUtcNow(), 100), default));

        Assert.Equal(["a"], swept.Changes.Select(c => c.Run.TaskId));
        Assert.Equal((JobRun.Pending, 1, TaskState.Pending), (_rows.Runs["a"].State, _rows.Runs["a"].Attempt, StatusOf("a")));
        Assert.Equal((JobRun.Pending, 0, (string?)null), (_rows.Runs["b"].State, _rows.Runs["b"].Attempt, _rows.Runs["b"].LeaseToken));
    }

    [Fact]
    public async Task A_run_not_started_before_its_ttl_ends_canceled()
    {
        await EnqueueAsync(New("a") with { ExpiresAt = _time.GetUtcNow().AddMinutes(1) });
        _time.Advance(TimeSpan.FromMinutes(1));

        Assert.Empty(await ClaimAsync());
        var swept = await Tx(w => w.ExpireAsync(new SweepParams(_time.GetUtcNow(), 100), default));

        Assert.Equal(["a"], swept.Changes.Select(c => c.Run.TaskId));
        Assert.Equal("Task canceled: expired before it started", _rows.EventsOf("a")[^1].Message);
    }

    [Fact]
    public async Task A_start_and_a_completion_of_one_run_go_in_one_batch()
    {
        await EnqueueAsync(New("a"));
        var token = Assert.Single(await Tx(w => w.ReserveAsync(Claim(), default))).LeaseToken!;

        var outcomes = await Tx(w => w.LeaseAsync([LeaseOp.Start("a", token, Lease), LeaseOp.Completion("a", token, """{"n":1}""")], default));

        Assert.All(outcomes, o => Assert.Null(o.Error));
        Assert.Equal((JobRun.Done, """{"n":1}""", 1), (_rows.Runs["a"].State, _rows.Runs["a"].Result, _rows.Runs["a"].Attempt));
        Assert.Equal(TaskState.Success, StatusOf("a"));
        Assert.Equal([1L, 2L, 3L], _rows.EventsOf("a").Select(e => e.Seq));
        Assert.Equal(3, _rows.Tasks["a"].Version);
    }

    [Fact]
    public async Task One_lost_lease_in_a_batch_fails_alone()
    {
        await EnqueueAsync(New("a"), New("b"));
        var tokens = (await Tx(w => w.ReserveAsync(Claim(), default))).ToDictionary(r => r.TaskId, r => r.LeaseToken!);

        var outcomes = await Tx(w => w.LeaseAsync([LeaseOp.Start("a", "stale", Lease), LeaseOp.Start("b", tokens["b"], Lease)], default));

        Assert.IsType<LeaseLostException>(outcomes[0].Error);
        Assert.Equal(JobRun.Running, outcomes[1].Value.Run.State);
        Assert.Equal((JobRun.Reserved, JobRun.Running), (_rows.Runs["a"].State, _rows.Runs["b"].State));
    }

    [Fact]
    public async Task A_unique_key_taken_earlier_in_the_same_enqueue_conflicts()
    {
        var ex = await Assert.ThrowsAsync<RunUniqueConflictException>(async () =>
            await EnqueueAsync(New("x") with { UniqueKey = "k" }, New("y") with { UniqueKey = "k" }));

        Assert.Equal("x", ex.ExistingTaskId);
    }

    [Fact]
    public async Task A_unique_key_released_in_a_transaction_can_be_taken_again_in_it()
    {
        await EnqueueAsync(New("x") with { UniqueKey = "k" });

        await Tx(async w =>
        {
            await w.CancelAsync("x", default);
            return await w.EnqueueAsync([New("y") with { UniqueKey = "k" }], default);
        });

        Assert.Equal((JobRun.Done, JobRun.Pending), (_rows.Runs["x"].State, _rows.Runs["y"].State));
        Assert.Equal(TaskState.Canceled, StatusOf("x"));
    }

    /// <summary>A running run does not hold its key (docs/jobs.md: one pending run per key), so another may take it meanwhile.</summary>
    private async Task<string> RunningWhileAnotherTakesItsKeyAsync()
    {
        await EnqueueAsync(New("x") with { UniqueKey = "k" });
        var token = Assert.Single(await ClaimAsync()).Run.LeaseToken!;
        await EnqueueAsync(New("y") with { UniqueKey = "k" });
        return token;
    }

    [Fact]
    public async Task A_failed_attempt_whose_unique_key_was_taken_meanwhile_ends_instead_of_retrying()
    {
        var token = await RunningWhileAnotherTakesItsKeyAsync();

        await Tx(w => w.FailAsync("x", token, "boom", retryable: true, retryAt: null, default));

        Assert.Equal((JobRun.Done, TaskState.Failed), (_rows.Runs["x"].State, StatusOf("x")));
        Assert.Equal("boom (not retried: run y holds unique key k)", _rows.Tasks["x"].Error);
        Assert.Equal(JobRun.Pending, _rows.Runs["y"].State);
    }

    [Fact]
    public async Task A_lapsed_attempt_whose_unique_key_was_taken_meanwhile_ends_without_failing_the_sweep()
    {
        await RunningWhileAnotherTakesItsKeyAsync();
        _time.Advance(Lease + TimeSpan.FromSeconds(1));

        var swept = await Tx(w => w.ExpireAsync(new SweepParams(_time.GetUtcNow(), 100), default));

        Assert.Equal(["x"], swept.Changes.Select(c => c.Run.TaskId));
        Assert.Equal((JobRun.Done, TaskState.Failed), (_rows.Runs["x"].State, StatusOf("x")));
    }

    [Fact]
    public async Task Cancel_of_a_running_run_asks_its_worker_and_its_next_failure_ends_it_canceled()
    {
        await EnqueueAsync(New("a"));
        var token = Assert.Single(await ClaimAsync()).Run.LeaseToken!;

        await Tx(w => w.CancelAsync("a", default));
        var beat = await Tx(w => w.HeartbeatAsync("a", token, Lease, default));
        await Tx(w => w.FailAsync("a", token, "stopped", retryable: true, retryAt: null, default));

        Assert.True(beat.CancelRequested);
        Assert.Equal((JobRun.Done, TaskState.Canceled), (_rows.Runs["a"].State, StatusOf("a")));
        Assert.Null(await Tx(w => w.CancelAsync("a", default)));
    }

    [Fact]
    public async Task A_poisoned_schedule_is_reported_and_the_other_jobs_fire()
    {
        var now = _time.GetUtcNow();
        _rows.Jobs["good"] = Job("good", "every-minute", now);
        _rows.Jobs["bad"] = Job("bad", "broken", now);

        var fired = await Tx(w => w.FireDueAsync(new SweepParams(now, 100), new ThrowingScheduleMath("broken"), default));

        var poison = Assert.Single(fired.Poisoned);
        Assert.Equal(("job", "bad"), (poison.Entity, poison.Id));
        Assert.Contains("its schedule could not be evaluated", poison.Problem, StringComparison.Ordinal);
        Assert.Equal("good", Assert.Single(fired.Changes).Run.JobId);
        Assert.Equal([now.AddMinutes(1), now], new[] { "good", "bad" }.Select(id => _rows.Jobs[id].NextFireAt!.Value));
        Assert.DoesNotContain(_rows.Runs.Values, r => r.JobId == "bad");
    }

    [Fact]
    public async Task The_passes_skip_quarantined_rows()
    {
        var now = _time.GetUtcNow();
        _rows.Jobs["j"] = Job("j", "every-minute", now);
        await EnqueueAsync(New("a"));
        await ClaimAsync();
        _time.Advance(Lease + TimeSpan.FromSeconds(1));
        var skip = new HashSet<string>(["a", "j"], StringComparer.Ordinal);

        var swept = await Tx(w => w.ExpireAsync(new SweepParams(_time.GetUtcNow(), 100, skip), default));
        var fired = await Tx(w => w.FireDueAsync(new SweepParams(_time.GetUtcNow(), 100, skip), new ThrowingScheduleMath("none"), default));

        Assert.Equal((0, 0, 0, 0), (swept.Changes.Count, swept.Poisoned.Count, fired.Changes.Count, fired.Poisoned.Count));
        Assert.Equal(JobRun.Running, _rows.Runs["a"].State);
        Assert.Equal(now, _rows.Jobs["j"].NextFireAt);
    }

    private static Job Job(string id, string cron, DateTimeOffset due) => new()
    {
        Id = id, Type = "report", Schedule = new JobSchedule { Cron = cron }, NextFireAt = due, CreatedAt = due, UpdatedAt = due,
    };

    /// <summary>Fires every minute, except for the schedule whose cron it is told to fail on.</summary>
    private sealed class ThrowingScheduleMath(string broken) : IScheduleMath
    {
        public DateTimeOffset? NextAfter(JobSchedule schedule, DateTimeOffset after, DateTimeOffset? anchor = null) =>
            schedule.Cron == broken ? throw new FormatException($"'{broken}' is not a cron expression") : after.AddMinutes(1);
    }
}
