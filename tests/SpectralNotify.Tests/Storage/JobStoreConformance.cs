using SpectralNotify.Jobs;
using SpectralNotify.Server.Jobs;
using SpectralNotify.Storage;
using SpectralNotify.Tasks;
using SpectralNotify.Tests.Infrastructure;

namespace SpectralNotify.Tests.Storage;

/// <summary>Jobs and runs in the store, on every engine: claims, leases, retries, timeouts, cancels, uniqueness, schedule firing.</summary>
public abstract class JobStoreConformance
{
    protected abstract Engine Engine { get; }

    private static readonly DateTimeOffset Start = new(2026, 7, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly ClaimRequest AnyDefault = new("w1", ["default"], null, 10, TimeSpan.FromSeconds(30));

    private static NewRun Run(string id, int priority = 50, string queue = "default", string type = "t") =>
        new() { Id = id, Type = type, Queue = queue, Priority = priority, Payload = $$"""{"n":"{{id}}"}""" };

    [Fact]
    public async Task Jobs_are_versioned_soft_deleted_and_listed()
    {
        await using var db = await TestDatabase.CreateAsync(Engine);
        var time = new ManualTime(Start);
        await using var store = await db.CreateStoreAsync(time);
        var job = new Job { Id = "nightly", Type = "import", Payload = """{"src":"s3"}""", Queue = "etl", CreatedAt = Start, UpdatedAt = Start,
            Schedule = new JobSchedule { Cron = "0 3 * * *", TimeZone = "Europe/Paris" }, NextFireAt = Start.AddHours(1) };
        var (created, run) = await store.JobCreateAsync(job, null, default);
        Assert.Null(run);
        await Assert.ThrowsAsync<JobAlreadyExistsException>(() => store.JobCreateAsync(job, null, default));
        Assert.Equal(job, await store.JobGetAsync("nightly", default));

        var v2 = await store.JobUpdateAsync(created with { Priority = 80 }, 1, default);
        Assert.Equal((2L, 80), (v2.Version, v2.Priority));
        var stale = await Assert.ThrowsAsync<JobVersionMismatchException>(() => store.JobUpdateAsync(created with { Priority = 1 }, 1, default));
        Assert.Equal(2, stale.Actual);
        await Assert.ThrowsAsync<JobNotFoundException>(() => store.JobUpdateAsync(created with { Id = "nope" }, 1, default));

        await store.JobCreateAsync(new Job { Id = "adhoc", Type = "mail", CreatedAt = Start.AddSeconds(1), UpdatedAt = Start }, null, default);
        await store.JobUpdateAsync(v2 with { DeletedAt = Start }, 2, default);
        Assert.Equal(["adhoc"], (await store.JobListAsync(new JobListParams(null, null, null, false, 10, null), default)).Items.Select(j => j.Id));
        Assert.Equal(["adhoc", "nightly"], (await store.JobListAsync(new JobListParams(null, null, null, true, 10, null), default)).Items.Select(j => j.Id));
        Assert.Equal(["nightly"], (await store.JobListAsync(new JobListParams("import", "etl", "active", true, 10, null), default)).Items.Select(j => j.Id));
        var page = await store.JobListAsync(new JobListParams(null, null, null, true, 1, null), default);
        Assert.Equal(["nightly"], (await store.JobListAsync(new JobListParams(null, null, null, true, 1, page.Next), default)).Items.Select(j => j.Id));
    }

    [Fact]
    public async Task One_claim_reads_its_queues_in_the_listed_order_each_by_priority_up_to_max()
    {
        await using var db = await TestDatabase.CreateAsync(Engine);
        var time = new ManualTime(Start);
        await using var store = await db.CreateStoreAsync(time);
        await store.RunEnqueueAsync([Run("a-high", 90, "a"), Run("a-low", 10, "a"), Run("b-mid", 50, "b"), Run("b-low", 40, "b"),
            Run("c-top", 100, "c"), Run("b-other", 99, "b", type: "other")], default);

        var claim = AnyDefault with { Queues = ["b", "a", "b", "nothing"], Types = ["t"], Max = 3 };
        Assert.Equal(["b-mid", "b-low", "a-high"], (await store.RunClaimAsync(claim, default)).Select(c => c.Run.TaskId));
        Assert.Equal(["a-low"], (await store.RunClaimAsync(claim, default)).Select(c => c.Run.TaskId));
        Assert.Equal(["c-top", "b-other"], (await store.RunClaimAsync(AnyDefault with { Queues = ["c", "b"] }, default)).Select(c => c.Run.TaskId));
    }

    [Fact]
    public async Task Claims_take_the_highest_priority_then_the_oldest_and_leases_guard_completion()
    {
        await using var db = await TestDatabase.CreateAsync(Engine);
        var time = new ManualTime(Start);
        await using var store = await db.CreateStoreAsync(time);
        await store.RunEnqueueAsync([Run("low", 10), Run("high", 90)], default);
        time.Advance(TimeSpan.FromSeconds(1));
        await store.RunEnqueueAsync([Run("mid-new", 50), Run("other-queue", 100, "mail"), Run("later", 100) with { RunAt = Start.AddMinutes(5) }], default);
        time.Advance(TimeSpan.FromSeconds(1));
        await store.RunEnqueueAsync([Run("high-new", 90)], default);

        var claimed = await store.RunClaimAsync(AnyDefault with { Max = 3 }, default);
        Assert.Equal(["high", "high-new", "mid-new"], claimed.Select(c => c.Run.TaskId));
        var first = claimed[0];
        Assert.Equal((JobRun.Running, 1, "w1", TaskState.InProgress), (first.Run.State, first.Run.Attempt, first.Run.WorkerId, first.Task.Task.Status));
        Assert.Equal("Attempt 1 started by worker w1", first.Task.Event.Message);
        Assert.Equal(["low"], (await store.RunClaimAsync(AnyDefault, default)).Select(c => c.Run.TaskId));
        Assert.Empty(await store.RunClaimAsync(AnyDefault, default));
        Assert.Equal(["other-queue"], (await store.RunClaimAsync(AnyDefault with { Queues = ["mail", "x"], Types = ["t"] }, default)).Select(c => c.Run.TaskId));

        time.Advance(TimeSpan.FromSeconds(20));
        var beat = await store.RunHeartbeatAsync("high", first.Run.LeaseToken!, TimeSpan.FromSeconds(30), default);
        Assert.Equal(time.GetUtcNow().AddSeconds(30), beat.LeaseExpiresAt);
        await Assert.ThrowsAsync<LeaseLostException>(() => store.RunCompleteAsync("high", "not-the-token", null, default));
        var done = await store.RunCompleteAsync("high", first.Run.LeaseToken!, """{"rows":3}""", default);
        Assert.Equal((JobRun.Done, """{"rows":3}""", TaskState.Success), (done.Run.State, done.Run.Result, done.Task.Task.Status));
        Assert.Equal("""{"rows":3}""", (await store.RunGetAsync("high", default))!.Result);
        await Assert.ThrowsAsync<LeaseLostException>(() => store.RunCompleteAsync("high", first.Run.LeaseToken!, null, default));

        time.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(["later"], (await store.RunClaimAsync(AnyDefault, default)).Select(c => c.Run.TaskId));
    }

    [Fact]
    public async Task Failures_retry_with_backoff_then_dead_letter_keeping_every_error()
    {
        await using var db = await TestDatabase.CreateAsync(Engine);
        var time = new ManualTime(Start);
        await using var store = await db.CreateStoreAsync(time);
        await store.RunEnqueueAsync([Run("r") with { MaxRetries = 1 }], default);

        var a1 = (await store.RunClaimAsync(AnyDefault, default))[0];
        var retry = await store.RunFailAsync(new RunFailParams("r", a1.Run.LeaseToken!, "disk full", true), default);
        Assert.Equal((JobRun.Pending, TaskState.Pending), (retry.Run.State, retry.Task.Task.Status));
        var delay = retry.Run.RunAt - time.GetUtcNow();
        Assert.InRange(delay, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2.5));
        Assert.StartsWith("Attempt 1 failed: disk full; retrying at ", retry.Task.Event.Message);
        Assert.Empty(await store.RunClaimAsync(AnyDefault, default));

        time.Advance(TimeSpan.FromSeconds(3));
        var a2 = (await store.RunClaimAsync(AnyDefault, default))[0];
        Assert.Equal(2, a2.Run.Attempt);
        var dead = await store.RunFailAsync(new RunFailParams("r", a2.Run.LeaseToken!, "disk still full", true), default);
        Assert.Equal((JobRun.Done, TaskState.Failed), (dead.Run.State, dead.Task.Task.Status));
        Assert.Equal("disk still full (attempt 2 of 2; no retries left)", dead.Task.Task.Error);
        var events = await store.TaskEventListAsync("r", 0, 100, default);
        Assert.Equal(["error", "error"], events.Where(e => e.Message.Contains("disk", StringComparison.Ordinal)).Select(e => e.Type));

        await store.RunEnqueueAsync([Run("asks")], default);
        var b1 = (await store.RunClaimAsync(AnyDefault, default))[0];
        var asked = await store.RunFailAsync(new RunFailParams("asks", b1.Run.LeaseToken!, "rate limited", true, time.GetUtcNow().AddMinutes(10)), default);
        Assert.Equal(time.GetUtcNow().AddMinutes(10), asked.Run.RunAt);
        time.Advance(TimeSpan.FromMinutes(10));
        var b2 = (await store.RunClaimAsync(AnyDefault, default))[0];
        var fatal = await store.RunFailAsync(new RunFailParams("asks", b2.Run.LeaseToken!, "bad input", false), default);
        Assert.Equal((TaskState.Failed, "bad input (not retryable)"), (fatal.Task.Task.Status, fatal.Task.Task.Error));
    }

    [Fact]
    public async Task Expired_leases_and_timeouts_fail_the_attempt_and_the_old_holder_is_refused()
    {
        await using var db = await TestDatabase.CreateAsync(Engine);
        var time = new ManualTime(Start);
        await using var store = await db.CreateStoreAsync(time);
        await store.RunEnqueueAsync([Run("crashy"), Run("slow") with { TimeoutSeconds = 5, Priority = 10 }], default);
        var held = await store.RunClaimAsync(AnyDefault with { Lease = TimeSpan.FromSeconds(10) }, default);
        var slow = held.Single(c => c.Run.TaskId == "slow");
        Assert.Equal(Start.AddSeconds(5), slow.Run.LeaseExpiresAt);

        time.Advance(TimeSpan.FromSeconds(6));
        var beat = await store.RunHeartbeatAsync("slow", slow.Run.LeaseToken!, TimeSpan.FromMinutes(1), default);
        Assert.Equal(Start.AddSeconds(5), beat.LeaseExpiresAt);
        var expired = (await store.RunSweepAsync(new SweepParams(time.GetUtcNow(), 10), default)).Changes;
        Assert.Equal(["slow"], expired.Select(e => e.Run.TaskId));
        Assert.StartsWith("Attempt 1 failed: timed out after 5 s", expired[0].Task.Event.Message);

        time.Advance(TimeSpan.FromSeconds(5));
        var crashed = (await store.RunSweepAsync(new SweepParams(time.GetUtcNow(), 10), default)).Changes;
        Assert.Equal(["crashy"], crashed.Select(e => e.Run.TaskId));
        Assert.Contains("lease expired (worker w1 stopped heartbeating)", crashed[0].Task.Event.Message);
        time.Advance(TimeSpan.FromSeconds(3));
        var rescued = await store.RunClaimAsync(AnyDefault with { WorkerId = "w2" }, default);
        Assert.Equal(["crashy", "slow"], rescued.Select(c => c.Run.TaskId));
        var old = held.Single(c => c.Run.TaskId == "crashy").Run.LeaseToken!;
        var late = await Assert.ThrowsAsync<LeaseLostException>(() => store.RunCompleteAsync("crashy", old, null, default));
        Assert.Contains("another worker", late.Message);
    }

    [Fact]
    public async Task A_lapsed_attempt_whose_unique_key_another_run_took_meanwhile_ends_and_the_sweep_commits()
    {
        await using var db = await TestDatabase.CreateAsync(Engine);
        var time = new ManualTime(Start);
        await using var store = await db.CreateStoreAsync(time);
        await store.RunEnqueueAsync([Run("first") with { UniqueKey = "k" }], default);
        await store.RunClaimAsync(AnyDefault with { Lease = TimeSpan.FromSeconds(5) }, default);
        // A running run does not hold its key, so a second one may take it.
        await store.RunEnqueueAsync([Run("second") with { UniqueKey = "k" }], default);
        time.Advance(TimeSpan.FromSeconds(6));

        var swept = await store.RunSweepAsync(new SweepParams(time.GetUtcNow(), 10), default);

        Assert.Equal(["first"], swept.Changes.Select(c => c.Run.TaskId));
        Assert.Equal(JobRun.Done, (await store.RunGetAsync("first", default))!.State);
        Assert.Equal(JobRun.Pending, (await store.RunGetAsync("second", default))!.State);
    }

    [Fact]
    public async Task An_unclaimed_run_goes_back_to_its_place_in_the_queue_without_using_an_attempt()
    {
        await using var db = await TestDatabase.CreateAsync(Engine);
        var time = new ManualTime(Start);
        await using var store = await db.CreateStoreAsync(time);
        await store.RunEnqueueAsync([Run("lost") with { MaxRetries = 0 }], default);
        time.Advance(TimeSpan.FromSeconds(1)); // older first: "later" sorts first by id, "lost" by age
        await store.RunEnqueueAsync([Run("later")], default);
        var claimed = await store.RunClaimAsync(AnyDefault with { Max = 1 }, default);
        Assert.Equal(("lost", 1), (claimed[0].Run.TaskId, claimed[0].Run.Attempt));

        var back = await store.RunUnclaimAsync([new RunLease("lost", claimed[0].Run.LeaseToken!)], "its connection closed", default);

        var change = Assert.Single(back);
        Assert.Equal((JobRun.Pending, 0, (string?)null, (string?)null), (change.Run.State, change.Run.Attempt, change.Run.WorkerId, change.Run.LeaseToken));
        Assert.Equal(TaskState.Pending, change.Task.Task.Status);
        Assert.Equal("Attempt 1 never reached worker w1 (its connection closed); back in the queue, the attempt not counted", change.Task.Event.Message);
        // Its old place: still ahead of the run enqueued after it, and its one attempt is still to come.
        var again = await store.RunClaimAsync(AnyDefault with { WorkerId = "w2", Max = 1 }, default);
        Assert.Equal(("lost", 1, "w2"), (again[0].Run.TaskId, again[0].Run.Attempt, again[0].Run.WorkerId));
        // The old lease is gone: giving it back again changes nothing, and the new holder keeps the run.
        Assert.Empty(await store.RunUnclaimAsync([new RunLease("lost", claimed[0].Run.LeaseToken!)], "late", default));
        Assert.Equal(JobRun.Running, (await store.RunGetAsync("lost", default))!.State);
        var done = await store.RunCompleteAsync("lost", again[0].Run.LeaseToken!, null, default);
        Assert.Equal(TaskState.Success, done.Task.Task.Status);
    }

    [Fact]
    public async Task An_unclaim_leaves_a_run_whose_key_was_taken_meanwhile_and_ends_one_whose_cancel_was_asked()
    {
        await using var db = await TestDatabase.CreateAsync(Engine);
        var time = new ManualTime(Start);
        await using var store = await db.CreateStoreAsync(time);
        await store.RunEnqueueAsync([Run("keyed") with { UniqueKey = "k" }, Run("canceled")], default);
        var claimed = (await store.RunClaimAsync(AnyDefault, default)).ToDictionary(c => c.Run.TaskId);
        // A running run does not hold its key, so a second one may take it: giving the first back would make two.
        await store.RunEnqueueAsync([Run("second") with { UniqueKey = "k" }], default);
        await store.RunCancelAsync("canceled", default);

        var back = await store.RunUnclaimAsync([.. claimed.Values.Select(c => new RunLease(c.Run.TaskId, c.Run.LeaseToken!))], "gone", default);

        var ended = Assert.Single(back);
        Assert.Equal(("canceled", JobRun.Done, TaskState.Canceled), (ended.Run.TaskId, ended.Run.State, ended.Task.Task.Status));
        var keyed = (await store.RunGetAsync("keyed", default))!;
        Assert.Equal((JobRun.Running, claimed["keyed"].Run.LeaseToken), (keyed.State, keyed.LeaseToken)); // its lease ends it as before
        Assert.Equal(JobRun.Pending, (await store.RunGetAsync("second", default))!.State);
    }

    [Fact]
    public async Task A_run_whose_task_ended_elsewhere_does_not_block_the_lease_sweep()
    {
        await using var db = await TestDatabase.CreateAsync(Engine);
        var time = new ManualTime(Start);
        await using var store = await db.CreateStoreAsync(time);
        await store.RunEnqueueAsync([Run("orphan"), Run("next", 10)], default);
        await store.RunClaimAsync(AnyDefault with { Max = 2, Lease = TimeSpan.FromSeconds(5) }, default);
        await EndAroundTheStoreAsync(db, "orphan");
        time.Advance(TimeSpan.FromSeconds(6));
        var swept = (await store.RunSweepAsync(new SweepParams(time.GetUtcNow(), 10), default)).Changes;
        Assert.Equal(["next"], swept.Select(c => c.Run.TaskId));
        Assert.Equal(JobRun.Done, (await store.RunGetAsync("orphan", default))!.State);
    }

    [Fact]
    public async Task A_run_task_changes_status_only_through_its_run_whatever_the_route()
    {
        await using var db = await TestDatabase.CreateAsync(Engine);
        await using var store = await db.CreateStoreAsync(new ManualTime(Start));
        await store.RunEnqueueAsync([Run("r")], default);
        await store.TaskCreateAsync(new NewTask { Id = "plain" }, default);
        await Assert.ThrowsAsync<TaskIsJobRunException>(() => store.TaskMutateAsync("r", new CancelMutation(null, null), default));
        await Assert.ThrowsAsync<TaskIsJobRunException>(() => store.TaskMutateAsync("r", new ProgressMutation(10, null), default));
        var batch = await Assert.ThrowsAsync<BatchOperationException>(() => store.TaskBatchAsync(
            [TaskWrite.Mutate("plain", new ProgressMutation(5, null)), TaskWrite.Mutate("r", new CompleteMutation(null))], default));
        Assert.Equal(1, batch.Index);
        Assert.IsType<TaskIsJobRunException>(batch.Inner);
        // Writes that leave the status alone are fine, and nothing of the refused writes stayed.
        await store.TaskMutateAsync("r", new UpdateMutation("renamed", null, null, null), default);
        Assert.Equal((TaskState.Pending, 2), ((await store.TaskGetAsync("r", default))!.Status, (int)(await store.TaskGetAsync("r", default))!.LastSeq));
        Assert.Equal(0, (await store.TaskGetAsync("plain", default))!.Progress);
    }

    [Fact]
    public async Task Poison_runs_whose_task_ended_are_closed_by_claims_reservations_and_the_ttl_sweep()
    {
        await using var db = await TestDatabase.CreateAsync(Engine);
        var time = new ManualTime(Start);
        await using var store = await db.CreateStoreAsync(time);
        await store.RunEnqueueAsync([Run("poison", 100), Run("good", 10), Run("ttl-poison", 100) with { Queue = "q2", ExpiresAt = Start.AddSeconds(2) },
            Run("reserved-poison", 100) with { Queue = "q3" }], default);
        await EndAroundTheStoreAsync(db, "poison");
        await EndAroundTheStoreAsync(db, "ttl-poison");

        // A claim skips (and closes) the run whose task ended; the queue keeps serving.
        var claimed = await store.RunClaimAsync(AnyDefault with { Max = 5 }, default);
        Assert.Equal(["good"], claimed.Select(c => c.Run.TaskId));
        Assert.Equal(JobRun.Done, (await store.RunGetAsync("poison", default))!.State);

        // A reservation of such a run fails to start as a lost lease, and the run is closed.
        var reserved = Assert.Single(await store.RunReserveAsync(AnyDefault with { Queues = ["q3"] }, default));
        await EndAroundTheStoreAsync(db, "reserved-poison");
        await Assert.ThrowsAsync<LeaseLostException>(() => store.RunStartAsync("reserved-poison", reserved.LeaseToken!, TimeSpan.FromSeconds(30), default));
        Assert.Equal(JobRun.Done, (await store.RunGetAsync("reserved-poison", default))!.State);

        // The TTL sweep closes the one past its TTL instead of failing every pass.
        time.Advance(TimeSpan.FromSeconds(3));
        var swept = await store.RunSweepAsync(new SweepParams(time.GetUtcNow(), 10), default);
        Assert.Empty(swept.Poisoned);
        Assert.Equal(JobRun.Done, (await store.RunGetAsync("ttl-poison", default))!.State);
        Assert.Empty((await store.RunSweepAsync(new SweepParams(time.GetUtcNow(), 10), default)).Changes);
    }

    [Fact]
    public async Task Deleting_a_dependency_cancels_its_waiting_dependents_with_the_reason()
    {
        await using var db = await TestDatabase.CreateAsync(Engine);
        await using var store = await db.CreateStoreAsync(new ManualTime(Start));
        await store.RunEnqueueAsync([Run("dep-a"), Run("child-b") with { DependsOn = ["dep-a"] }, Run("grandchild") with { DependsOn = ["child-b"] }], default);
        var deleted = await store.TaskDeleteAsync("dep-a", default);
        Assert.Equal(["child-b", "grandchild"], deleted!.Canceled.SelectMany(c => c.All()).Select(c => c.Run.TaskId));
        var child = (await store.TaskGetAsync("child-b", default))!;
        Assert.Equal(TaskState.Canceled, child.Status);
        var events = await store.TaskEventListAsync("child-b", 0, 10, default);
        Assert.Contains(events, e => e.Message.Contains("dependency dep-a was deleted", StringComparison.Ordinal));
        Assert.Equal(TaskState.Canceled, (await store.TaskGetAsync("grandchild", default))!.Status);
    }

    [Fact]
    public async Task Deleting_a_dependency_that_already_succeeded_leaves_its_dependents_alone()
    {
        await using var db = await TestDatabase.CreateAsync(Engine);
        await using var store = await db.CreateStoreAsync(new ManualTime(Start));
        await store.RunEnqueueAsync([Run("first"), Run("then", 10) with { DependsOn = ["first"] }], default);
        var claimed = Assert.Single(await store.RunClaimAsync(AnyDefault with { Max = 1 }, default));
        await store.RunCompleteAsync("first", claimed.Run.LeaseToken!, null, default);
        var deleted = await store.TaskDeleteAsync("first", default);
        Assert.Empty(deleted!.Canceled);
        Assert.Equal(["then"], (await store.RunClaimAsync(AnyDefault, default)).Select(c => c.Run.TaskId));
    }

    /// <summary>Ends a run's task without its run, as data written before the run guard (or by another tool) could have.</summary>
    private static Task EndAroundTheStoreAsync(TestDatabase db, string id) =>
        db.ExecuteAsync($"UPDATE tasks SET status = 'canceled' WHERE id = '{id}'");

    [Fact]
    public async Task Cancel_ends_a_pending_run_at_once_and_asks_a_running_one_to_stop()
    {
        await using var db = await TestDatabase.CreateAsync(Engine);
        var time = new ManualTime(Start);
        await using var store = await db.CreateStoreAsync(time);
        await store.RunEnqueueAsync([Run("running", 90), Run("waiting", 10)], default);
        var claimed = (await store.RunClaimAsync(AnyDefault with { Max = 1 }, default))[0];

        var pending = await store.RunCancelAsync("waiting", default);
        Assert.Equal((JobRun.Done, TaskState.Canceled), (pending!.Run.State, pending.Task.Task.Status));
        var asked = await store.RunCancelAsync("running", default);
        Assert.Equal((JobRun.Running, true, TaskState.InProgress), (asked!.Run.State, asked.Run.CancelRequested, asked.Task.Task.Status));
        Assert.True((await store.RunHeartbeatAsync("running", claimed.Run.LeaseToken!, TimeSpan.FromSeconds(30), default)).CancelRequested);
        var stopped = await store.RunFailAsync(new RunFailParams("running", claimed.Run.LeaseToken!, "stopped", true), default);
        Assert.Equal((JobRun.Done, TaskState.Canceled), (stopped.Run.State, stopped.Task.Task.Status));
        Assert.Null(await store.RunCancelAsync("running", default));
        await Assert.ThrowsAsync<RunNotFoundException>(() => store.RunCancelAsync("nope", default));

        // A worker that ignores a cancel keeps its lease only for the grace period, then the run ends canceled.
        await store.RunEnqueueAsync([Run("stubborn")], default);
        var held = (await store.RunClaimAsync(AnyDefault with { Lease = TimeSpan.FromMinutes(10) }, default))[0];
        await store.RunCancelAsync("stubborn", default);
        time.Advance(RunRules.CancelGrace - TimeSpan.FromSeconds(1));
        var beat = await store.RunHeartbeatAsync("stubborn", held.Run.LeaseToken!, TimeSpan.FromMinutes(10), default);
        Assert.Equal(Start + RunRules.CancelGrace, beat.LeaseExpiresAt);
        time.Advance(TimeSpan.FromSeconds(2));
        var ended = Assert.Single((await store.RunSweepAsync(new SweepParams(time.GetUtcNow(), 10), default)).Changes);
        Assert.Equal((JobRun.Done, TaskState.Canceled), (ended.Run.State, ended.Task.Task.Status));
    }

    [Fact]
    public async Task A_run_whose_id_is_taken_refuses_its_whole_enqueue()
    {
        // PostgreSQL sends a bulk enqueue's inserts in one round trip, so the taken id is found only
        // at that flush: the refusal must still name it and leave none of the batch behind.
        await using var db = await TestDatabase.CreateAsync(Engine);
        await using var store = await db.CreateStoreAsync(new ManualTime(Start));
        await store.TaskCreateAsync(new NewTask { Id = "plain" }, default);
        var taken = await Assert.ThrowsAsync<TaskAlreadyExistsException>(() => store.RunEnqueueAsync([Run("a1"), Run("plain"), Run("a2")], default));
        Assert.Equal("plain", taken.TaskId);
        var twice = await Assert.ThrowsAsync<TaskAlreadyExistsException>(() => store.RunEnqueueAsync([Run("b1"), Run("b1")], default));
        Assert.Equal("b1", twice.TaskId);
        foreach (var id in new[] { "a1", "a2", "b1" })
        {
            Assert.Null(await store.TaskGetAsync(id, default));
            Assert.Null(await store.RunGetAsync(id, default));
        }
        Assert.Null(await store.RunGetAsync("plain", default));
        Assert.Equal(3, (await store.RunEnqueueAsync([Run("a1"), Run("a2"), Run("b1")], default)).Count);
    }

    [Fact]
    public async Task Concurrent_enqueues_commit_alone_or_together_and_a_refused_one_fails_only_its_caller()
    {
        // PostgreSQL commits enqueues that arrive together in one transaction: a refused call (here a
        // taken id, or a unique key another call of the same moment holds) must still fail alone.
        await using var db = await TestDatabase.CreateAsync(Engine);
        await using var store = await db.CreateStoreAsync(new ManualTime(Start));
        await store.TaskCreateAsync(new NewTask { Id = "taken" }, default);
        var calls = Enumerable.Range(0, 30).Select(i => store.RunEnqueueAsync(i switch
        {
            7 => [Run("c07"), Run("taken")],
            11 or 12 => [Run($"c{i:D2}") with { UniqueKey = "one" }],
            _ => [Run($"c{i:D2}"), Run($"c{i:D2}-b")],
        }, default)).ToList();
        await Assert.ThrowsAsync<TaskAlreadyExistsException>(() => calls[7]);
        var keyed = await Task.WhenAll(calls[11].ContinueWith(t => t.Exception?.InnerException), calls[12].ContinueWith(t => t.Exception?.InnerException));
        Assert.Single(keyed, e => e is null);
        Assert.Single(keyed, e => e is RunUniqueConflictException);
        foreach (var i in Enumerable.Range(0, 30).Where(i => i is not (7 or 11 or 12)))
        {
            Assert.Equal([$"c{i:D2}", $"c{i:D2}-b"], (await calls[i]).Select(c => c.Run.TaskId));
            Assert.NotNull(await store.RunGetAsync($"c{i:D2}-b", default));
        }
        Assert.Null(await store.RunGetAsync("c07", default));
        Assert.Null(await store.TaskGetAsync("c07", default));
    }

    [Fact]
    public async Task A_unique_key_allows_one_pending_run_and_claimers_never_share_a_run()
    {
        await using var db = await TestDatabase.CreateAsync(Engine);
        var time = new ManualTime(Start);
        await using var store = await db.CreateStoreAsync(time);
        await store.RunEnqueueAsync([Run("u1") with { UniqueKey = "sync:42" }], default);
        var conflict = await Assert.ThrowsAsync<RunUniqueConflictException>(() => store.RunEnqueueAsync([Run("ok"), Run("u2") with { UniqueKey = "sync:42" }], default));
        Assert.Equal("u1", conflict.ExistingTaskId);
        Assert.Null(await store.TaskGetAsync("ok", default));
        await store.RunClaimAsync(AnyDefault, default);
        await store.RunEnqueueAsync([Run("u2") with { UniqueKey = "sync:42" }], default);

        await store.RunEnqueueAsync([.. Enumerable.Range(0, 40).Select(i => Run($"bulk-{i:D2}"))], default);
        var claims = await Task.WhenAll(Enumerable.Range(0, 4).Select(i => store.RunClaimAsync(AnyDefault with { WorkerId = $"w{i}" }, default)));
        var ids = claims.SelectMany(c => c.Select(x => x.Run.TaskId)).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.Equal(40, ids.Count);

        Assert.NotNull(await store.TaskDeleteAsync("u2", default));
        Assert.Null(await store.RunGetAsync("u2", default));
    }

    [Fact]
    public async Task Dependencies_gate_claims_and_a_failure_cancels_the_chain()
    {
        await using var db = await TestDatabase.CreateAsync(Engine);
        var time = new ManualTime(Start);
        await using var store = await db.CreateStoreAsync(time);
        await store.RunEnqueueAsync([Run("a"), Run("b") with { DependsOn = ["a"] }, Run("c", 90) with { DependsOn = ["b"] }, Run("d") with { DependsOn = ["a", "b"] }], default);
        Assert.Equal([0, 1, 1, 2], (await Task.WhenAll(new[] { "a", "b", "c", "d" }.Select(id => store.RunGetAsync(id, default)))).Select(r => r!.Blocked));

        var a = Assert.Single(await store.RunClaimAsync(AnyDefault, default));
        Assert.Equal("a", a.Run.TaskId);
        await store.RunCompleteAsync("a", a.Run.LeaseToken!, null, default);
        var b = Assert.Single(await store.RunClaimAsync(AnyDefault, default));
        Assert.Equal("b", b.Run.TaskId);

        var failed = await store.RunFailAsync(new RunFailParams("b", b.Run.LeaseToken!, "broken", false), default);
        Assert.Equal(["b", "c", "d"], failed.All().Select(c => c.Run.TaskId));
        Assert.All(failed.Cascade!, c => Assert.Equal((TaskState.Canceled, "Task canceled: dependency b did not succeed"), (c.Task.Task.Status, c.Task.Event.Message)));
        Assert.Empty(await store.RunClaimAsync(AnyDefault, default));

        var late = Assert.Single(await store.RunEnqueueAsync([Run("e") with { DependsOn = ["b"] }], default));
        Assert.Equal((JobRun.Done, TaskState.Canceled), (late.Run.State, late.Task.Task.Status));
        var ok = Assert.Single(await store.RunEnqueueAsync([Run("f") with { DependsOn = ["a"] }], default));
        Assert.Equal((JobRun.Pending, 0), (ok.Run.State, ok.Run.Blocked));
        await Assert.ThrowsAsync<RunNotFoundException>(() => store.RunEnqueueAsync([Run("g") with { DependsOn = ["nope"] }], default));
    }

    [Fact]
    public async Task A_run_not_started_before_its_ttl_is_canceled()
    {
        await using var db = await TestDatabase.CreateAsync(Engine);
        var time = new ManualTime(Start);
        await using var store = await db.CreateStoreAsync(time);
        await store.RunEnqueueAsync([Run("late") with { RunAt = Start.AddSeconds(20), ExpiresAt = Start.AddSeconds(10) },
            Run("soon") with { ExpiresAt = Start.AddSeconds(10) }], default);
        Assert.Equal(["soon"], (await store.RunClaimAsync(AnyDefault, default)).Select(c => c.Run.TaskId));
        time.Advance(TimeSpan.FromSeconds(11));
        var swept = (await store.RunSweepAsync(new SweepParams(time.GetUtcNow(), 10), default)).Changes;
        Assert.Equal(["late"], swept.Select(c => c.Run.TaskId));
        Assert.Equal("Task canceled: expired before it started", swept[0].Task.Event.Message);
        time.Advance(TimeSpan.FromSeconds(10));
        Assert.Empty(await store.RunClaimAsync(AnyDefault, default));
    }

    [Fact]
    public async Task Reservations_leave_the_task_pending_until_started_and_lapse_without_using_an_attempt()
    {
        await using var db = await TestDatabase.CreateAsync(Engine);
        var time = new ManualTime(Start);
        await using var store = await db.CreateStoreAsync(time);
        await store.RunEnqueueAsync([Run("a", 90), Run("b", 80) with { TimeoutSeconds = 60 }, Run("c", 70) with { ExpiresAt = Start.AddSeconds(20) },
            Run("d", 60) with { UniqueKey = "k" }, Run("e", 50)], default);
        var reserved = await store.RunReserveAsync(AnyDefault with { Max = 4, Lease = TimeSpan.FromSeconds(10) }, default);
        Assert.Equal(["a", "b", "c", "d"], reserved.Select(r => r.TaskId));
        Assert.All(reserved, r => Assert.Equal((JobRun.Reserved, 0, "w1", Start.AddSeconds(10)), (r.State, r.Attempt, r.WorkerId, r.LeaseExpiresAt)));
        Assert.Equal(TaskState.Pending, (await store.TaskGetAsync("a", default))!.Status);
        // Reserved runs are not claimable, and still hold their unique key.
        Assert.Equal(["e"], (await store.RunClaimAsync(AnyDefault, default)).Select(c => c.Run.TaskId));
        await Assert.ThrowsAsync<RunUniqueConflictException>(() => store.RunEnqueueAsync([Run("d2") with { UniqueKey = "k" }], default));

        // A reserved run cannot be completed or heartbeated, only started (once, by its holder).
        var a = reserved[0];
        Assert.Contains("not been started", (await Assert.ThrowsAsync<LeaseLostException>(() => store.RunCompleteAsync("a", a.LeaseToken!, null, default))).Message);
        await Assert.ThrowsAsync<LeaseLostException>(() => store.RunStartAsync("a", "someone-else", TimeSpan.FromSeconds(30), default));
        time.Advance(TimeSpan.FromSeconds(2));
        var started = await store.RunStartAsync("a", a.LeaseToken!, TimeSpan.FromSeconds(30), default);
        Assert.Equal((JobRun.Running, 1, Start.AddSeconds(32)), (started.Run.State, started.Run.Attempt, started.Run.LeaseExpiresAt));
        Assert.Equal((TaskState.InProgress, "Attempt 1 started by worker w1"), (started.Task.Task.Status, started.Task.Event.Message));
        Assert.Contains("started already", (await Assert.ThrowsAsync<LeaseLostException>(() => store.RunStartAsync("a", a.LeaseToken!, TimeSpan.FromSeconds(30), default))).Message);
        var timed = await store.RunStartAsync("b", reserved[1].LeaseToken!, TimeSpan.FromMinutes(5), default);
        Assert.Equal(Start.AddSeconds(62), timed.Run.Deadline); // the timeout counts from the start, not the reservation
        Assert.Equal(TaskState.Success, (await store.RunCompleteAsync("a", a.LeaseToken!, null, default)).Task.Task.Status);

        // A canceled reservation ends at once; its holder's start is refused.
        var canceled = await store.RunCancelAsync("d", default);
        Assert.Equal((JobRun.Done, TaskState.Canceled), (canceled!.Run.State, canceled.Task.Task.Status));
        await Assert.ThrowsAsync<LeaseLostException>(() => store.RunStartAsync("d", reserved[3].LeaseToken!, TimeSpan.FromSeconds(30), default));

        // "c" lapses: back to pending with no attempt used and no event; then its TTL passes while reserved again.
        time.Advance(TimeSpan.FromSeconds(9));
        var events = (await store.TaskGetAsync("c", default))!.LastSeq;
        Assert.Empty((await store.RunSweepAsync(new SweepParams(time.GetUtcNow(), 10), default)).Changes);
        var lapsed = (await store.RunGetAsync("c", default))!;
        Assert.Equal((JobRun.Pending, 0, (string?)null, (string?)null), (lapsed.State, lapsed.Attempt, lapsed.WorkerId, lapsed.LeaseToken));
        Assert.Equal(events, (await store.TaskGetAsync("c", default))!.LastSeq);
        await Assert.ThrowsAsync<LeaseLostException>(() => store.RunStartAsync("c", reserved[2].LeaseToken!, TimeSpan.FromSeconds(30), default));
        var again = Assert.Single(await store.RunReserveAsync(AnyDefault with { WorkerId = "w2", Lease = TimeSpan.FromMinutes(1) }, default));
        Assert.Equal(("c", "w2"), (again.TaskId, again.WorkerId));
        time.Advance(TimeSpan.FromSeconds(10));
        var ttl = Assert.Single((await store.RunSweepAsync(new SweepParams(time.GetUtcNow(), 10), default)).Changes);
        Assert.Equal(("c", TaskState.Canceled, "Task canceled: expired before it started"), (ttl.Run.TaskId, ttl.Task.Task.Status, ttl.Task.Event.Message));
    }

    [Fact]
    public async Task Due_schedules_fire_once_and_advance()
    {
        await using var db = await TestDatabase.CreateAsync(Engine);
        var time = new ManualTime(Start);
        await using var store = await db.CreateStoreAsync(time);
        var math = new QuartzScheduleMath();
        var every = new Job { Id = "every", Type = "ping", CreatedAt = Start, UpdatedAt = Start, Schedule = new JobSchedule { IntervalSeconds = 60 }, NextFireAt = Start.AddMinutes(1) };
        Assert.Null(await store.JobNextFireAtAsync(default));
        // Neither a paused nor a deleted job's stored time counts, however early.
        await store.JobCreateAsync(every with { Id = "paused", State = Job.Paused, NextFireAt = Start }, null, default);
        await store.JobCreateAsync(every with { Id = "deleted", DeletedAt = Start, NextFireAt = Start }, null, default);
        Assert.Null(await store.JobNextFireAtAsync(default));
        await store.JobCreateAsync(every, null, default);
        await store.JobCreateAsync(every with { Id = "unique", UniqueKey = "one-at-a-time" }, null, default);
        Assert.Equal(Start.AddMinutes(1), await store.JobNextFireAtAsync(default));

        Assert.Empty((await store.JobFireDueAsync(new SweepParams(time.GetUtcNow(), 10), math, default)).Changes);
        time.Advance(TimeSpan.FromMinutes(1));
        var fired = (await store.JobFireDueAsync(new SweepParams(time.GetUtcNow(), 10), math, default)).Changes;
        Assert.Equal(["every", "unique"], fired.Select(f => f.Run.JobId).Order());
        Assert.All(fired, f => Assert.Equal(Start.AddMinutes(1), f.Run.ScheduledAt));
        Assert.Empty((await store.JobFireDueAsync(new SweepParams(time.GetUtcNow(), 10), math, default)).Changes);
        Assert.Equal(Start.AddMinutes(2), (await store.JobGetAsync("every", default))!.NextFireAt);
        Assert.Equal(Start.AddMinutes(2), await store.JobNextFireAtAsync(default)); // the scheduler's next wake
        Assert.Equal(1, (await store.JobGetAsync("every", default))!.Version);

        // The unique job's run is still pending at the next firing: that firing adds no second run.
        time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(["every"], ((await store.JobFireDueAsync(new SweepParams(time.GetUtcNow(), 10), math, default)).Changes).Select(f => f.Run.JobId));
        Assert.Equal(2, (await store.RunListByJobAsync("every", 10, default)).Count);
        Assert.Single(await store.RunListByJobAsync("unique", 10, default));
    }

    [Fact]
    public async Task A_pass_with_a_look_ahead_fires_early_into_a_run_claimable_only_from_its_due_time()
    {
        await using var db = await TestDatabase.CreateAsync(Engine);
        var time = new ManualTime(Start);
        await using var store = await db.CreateStoreAsync(time);
        var math = new QuartzScheduleMath();
        var due = Start.AddMilliseconds(150);
        await store.JobCreateAsync(new Job
        {
            Id = "soon", Type = "ping", CreatedAt = Start, UpdatedAt = Start, Schedule = new JobSchedule { IntervalSeconds = 60 }, NextFireAt = due,
        }, null, default);
        await store.JobCreateAsync(new Job
        {
            Id = "cron", Type = "ping", CreatedAt = Start, UpdatedAt = Start, Schedule = new JobSchedule { Cron = "0 * * * * ?" }, NextFireAt = Start.AddMinutes(1),
        }, null, default);

        Assert.Empty((await store.JobFireDueAsync(new SweepParams(Start, 10, Ahead: TimeSpan.FromMilliseconds(100)), math, default)).Changes);
        var fired = Assert.Single((await store.JobFireDueAsync(new SweepParams(Start, 10, Ahead: TimeSpan.FromMilliseconds(200)), math, default)).Changes);
        Assert.Equal((due, due), (fired.Run.ScheduledAt, fired.Run.RunAt));
        // The next time follows the one fired early, never that same one again.
        Assert.Equal(due.AddMinutes(1), (await store.JobGetAsync("soon", default))!.NextFireAt);
        Assert.Empty((await store.JobFireDueAsync(new SweepParams(Start, 10, Ahead: TimeSpan.FromMilliseconds(200)), math, default)).Changes);
        Assert.Empty(await store.RunClaimAsync(AnyDefault, default)); // not before its due time

        time.Advance(TimeSpan.FromMilliseconds(150));
        Assert.Equal(fired.Run.TaskId, Assert.Single(await store.RunClaimAsync(AnyDefault, default)).Run.TaskId);

        // A cron schedule fired ahead moves on to its following minute too.
        time.Advance(TimeSpan.FromSeconds(59));
        Assert.Single((await store.JobFireDueAsync(new SweepParams(time.GetUtcNow(), 10, Ahead: TimeSpan.FromSeconds(1)), math, default)).Changes,
            c => c.Run.JobId == "cron");
        Assert.Equal(Start.AddMinutes(2), (await store.JobGetAsync("cron", default))!.NextFireAt);
    }

    [Fact]
    public async Task A_job_whose_schedule_cannot_be_evaluated_is_reported_and_skipped_while_the_others_fire()
    {
        await using var db = await TestDatabase.CreateAsync(Engine);
        var time = new ManualTime(Start);
        await using var store = await db.CreateStoreAsync(time);
        var math = new QuartzScheduleMath();
        var every = new Job { Id = "good", Type = "ping", CreatedAt = Start, UpdatedAt = Start, Schedule = new JobSchedule { IntervalSeconds = 60 }, NextFireAt = Start };
        await store.JobCreateAsync(every, null, default);
        await store.JobCreateAsync(every with { Id = "bad" }, null, default);
        // A schedule no API accepts (written by hand, or by an older version).
        await db.ExecuteAsync("UPDATE jobs SET schedule = '{\"cron\":\"not a cron\"}' WHERE id = 'bad'");

        var pass = await store.JobFireDueAsync(new SweepParams(time.GetUtcNow(), 10), math, default);
        Assert.Equal(["good"], pass.Changes.Select(c => c.Run.JobId));
        var poisoned = Assert.Single(pass.Poisoned);
        Assert.Equal(("job", "bad"), (poisoned.Entity, poisoned.Id));
        Assert.Contains("schedule", poisoned.Problem, StringComparison.Ordinal);
        Assert.Empty(await store.RunListByJobAsync("bad", 10, default)); // nothing half-written

        // Skipped (quarantined) rows are left alone by later passes, and do not use up their limit:
        // "bad" is due first, yet a pass of one still fires "good".
        time.Advance(TimeSpan.FromMinutes(1));
        var next = await store.JobFireDueAsync(new SweepParams(time.GetUtcNow(), 1, new HashSet<string> { "bad" }), math, default);
        Assert.Equal(["good"], next.Changes.Select(c => c.Run.JobId));
        Assert.Empty(next.Poisoned);
    }
}

public sealed class SqliteJobStoreTests : JobStoreConformance
{
    protected override Engine Engine => Engine.Sqlite;
}

public sealed class PostgresJobStoreTests : JobStoreConformance
{
    protected override Engine Engine => Engine.Postgres;
}
