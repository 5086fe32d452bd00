using SpectralNotify.Idempotency;
using SpectralNotify.Sessions;
using SpectralNotify.Storage;
using SpectralNotify.Tasks;
using SpectralNotify.Tests.Infrastructure;

namespace SpectralNotify.Tests.Storage;

/// <summary>
/// The store contract, run unchanged against every engine (subclasses only name the engine).
/// Each test gets its own database.
/// </summary>
public abstract class StoreConformance
{
    protected abstract Engine Engine { get; }

    private async Task<(IStore Store, TestDatabase Db, ManualTime Time)> SetupAsync()
    {
        var db = await TestDatabase.CreateAsync(Engine);
        var time = new ManualTime(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
        return (await db.CreateStoreAsync(time), db, time);
    }

    private static NewTask New(string id, string? type = null, string? title = null) =>
        new() { Id = id, Type = type, Title = title, Metadata = """{"n":1,"s":"ü"}""" };

    [Fact]
    public async Task Create_then_get_round_trips_every_field()
    {
        var (store, db, time) = await SetupAsync();
        await using var _ = db;
        await using var __ = store;
        var input = new NewTask
        {
            Id = "t1", Title = "Title", Description = "Desc", Type = "video", Progress = 12.5,
            Metadata = """{"b":2,"a":[1,2]}""", Config = """{"x":true}""", WorkspacePath = "/w", CreatedBy = "me",
            ExpiresAt = time.GetUtcNow().AddHours(1),
        };
        var change = await store.TaskCreateAsync(input, default);
        var got = await store.TaskGetAsync("t1", default);
        Assert.Equal(change.Task, got);
        Assert.Equal("""{"b":2,"a":[1,2]}""", got!.Metadata);
        var events = await store.TaskEventListAsync("t1", 0, 10, default);
        Assert.Equal(change.Event, Assert.Single(events));
    }

    [Fact]
    public async Task Create_with_existing_id_conflicts_and_changes_nothing()
    {
        var (store, db, _) = await SetupAsync();
        await using var _1 = db;
        await using var _2 = store;
        await store.TaskCreateAsync(New("t1", title: "first"), default);
        await Assert.ThrowsAsync<TaskAlreadyExistsException>(() => store.TaskCreateAsync(New("t1", title: "second"), default));
        Assert.Equal("first", (await store.TaskGetAsync("t1", default))!.Title);
        Assert.Single(await store.TaskEventListAsync("t1", 0, 10, default));
    }

    [Fact]
    public async Task Mutations_append_events_with_consecutive_seq()
    {
        var (store, db, time) = await SetupAsync();
        await using var _1 = db;
        await using var _2 = store;
        await store.TaskCreateAsync(New("t1"), default);
        time.Advance(TimeSpan.FromSeconds(1));
        var p = await store.TaskMutateAsync("t1", new ProgressMutation(50, null), default);
        var e = await store.TaskMutateAsync("t1", new AddEventMutation("log", "hi", 60, """{"k":"v"}"""), default);
        var c = await store.TaskMutateAsync("t1", new CompleteMutation(null), default);
        Assert.Equal([2L, 3L, 4L], [p.Event.Seq, e.Event.Seq, c.Event.Seq]);
        var events = await store.TaskEventListAsync("t1", 0, 100, default);
        Assert.Equal([1L, 2L, 3L, 4L], events.Select(x => x.Seq));
        Assert.Equal(TaskChangeKind.Event, events[2].Kind);
        Assert.Equal("""{"k":"v"}""", events[2].Metadata);
        var task = await store.TaskGetAsync("t1", default);
        Assert.Equal((TaskState.Success, 100.0, 4L, 4L), (task!.Status, task.Progress, task.LastSeq, task.Version));
        Assert.Equal(time.GetUtcNow(), task.CompletedAt);
        Assert.Equal(2, (await store.TaskEventListAsync("t1", 2, 2, default)).Count);
    }

    [Fact]
    public async Task Refused_mutations_write_nothing()
    {
        var (store, db, _) = await SetupAsync();
        await using var _1 = db;
        await using var _2 = store;
        await store.TaskCreateAsync(New("t1"), default);
        await store.TaskMutateAsync("t1", new FailMutation("x", null), default);
        await Assert.ThrowsAsync<TaskTerminalException>(() => store.TaskMutateAsync("t1", new ProgressMutation(5, null), default));
        await Assert.ThrowsAsync<TaskVersionMismatchException>(() =>
            store.TaskMutateAsync("t1", new UpdateMutation("x", null, null, null) { IfVersion = 1 }, default));
        await Assert.ThrowsAsync<TaskNotFoundException>(() => store.TaskMutateAsync("nope", new ProgressMutation(5, null), default));
        var task = await store.TaskGetAsync("t1", default);
        Assert.Equal((2L, 2L), (task!.LastSeq, task.Version));
        Assert.Equal(2, (await store.TaskEventListAsync("t1", 0, 100, default)).Count);
    }

    [Fact]
    public async Task Concurrent_mutations_of_one_task_get_gap_free_seq()
    {
        var (store, db, _) = await SetupAsync();
        await using var _1 = db;
        await using var _2 = store;
        await store.TaskCreateAsync(New("hot"), default);
        var changes = await Task.WhenAll(Enumerable.Range(0, 100).Select(i =>
            store.TaskMutateAsync("hot", new AddEventMutation("log", $"m{i}", null, null), default)));
        Assert.Equal(Enumerable.Range(2, 100).Select(i => (long)i), changes.Select(c => c.Event.Seq).Order());
        var events = await store.TaskEventListAsync("hot", 0, 1000, default);
        Assert.Equal(Enumerable.Range(1, 101).Select(i => (long)i), events.Select(e => e.Seq));
        Assert.Equal(101, (await store.TaskGetAsync("hot", default))!.LastSeq);
    }

    [Fact]
    public async Task Concurrent_mutations_of_many_tasks_keep_each_tasks_order_and_a_refused_one_fails_alone()
    {
        // Many tasks written at once share commits (SQLite's writer, PostgreSQL's task write group):
        // each task must still get gap-free seq in the order its own mutations were applied, and a
        // mutation the domain refuses must not fail the others committed with it.
        var (store, db, _) = await SetupAsync();
        await using var _1 = db;
        await using var _2 = store;
        var ids = Enumerable.Range(0, 40).Select(i => $"m{i:D2}").ToArray();
        foreach (var id in ids)
        {
            await store.TaskCreateAsync(New(id), default);
        }
        await store.TaskCreateAsync(New("closed"), default);
        await store.TaskMutateAsync("closed", new CompleteMutation(null), default);
        var writes = ids.SelectMany(id => Enumerable.Range(0, 10).Select(i => (Id: id, I: i)))
            .Select(w => store.TaskMutateAsync(w.Id, new ProgressMutation(w.I * 10, $"{w.Id}:{w.I}"), default)).ToList();
        var refused = Enumerable.Range(0, 5).Select(_ => store.TaskMutateAsync("closed", new ProgressMutation(5, null), default)).ToList();
        var missing = store.TaskMutateAsync("nope", new ProgressMutation(5, null), default);
        var changes = await Task.WhenAll(writes);
        foreach (var r in refused)
        {
            await Assert.ThrowsAsync<TaskTerminalException>(() => r);
        }
        await Assert.ThrowsAsync<TaskNotFoundException>(() => missing);
        foreach (var id in ids)
        {
            var events = await store.TaskEventListAsync(id, 0, 100, default);
            Assert.Equal(Enumerable.Range(1, 11).Select(i => (long)i), events.Select(e => e.Seq));
            // The change each caller got is the event stored at its seq.
            foreach (var c in changes.Where(c => c.Task.Id == id))
            {
                Assert.Equal(c.Event.Message, events[(int)c.Event.Seq - 1].Message);
            }
            Assert.Equal(11, (await store.TaskGetAsync(id, default))!.LastSeq);
        }
        Assert.Equal(2, (await store.TaskGetAsync("closed", default))!.LastSeq);
    }

    [Fact]
    public async Task Batch_is_all_or_nothing()
    {
        var (store, db, _) = await SetupAsync();
        await using var _1 = db;
        await using var _2 = store;
        await store.TaskCreateAsync(New("done"), default);
        await store.TaskMutateAsync("done", new CompleteMutation(null), default);
        var ok = await store.TaskBatchAsync(
        [
            TaskWrite.Create(New("b1")),
            TaskWrite.Mutate("b1", new ProgressMutation(10, null)),
            TaskWrite.Create(New("b2")),
        ], default);
        Assert.Equal([1L, 2L, 1L], ok.Select(c => c.Event.Seq));
        var ex = await Assert.ThrowsAsync<BatchOperationException>(() => store.TaskBatchAsync(
        [
            TaskWrite.Create(New("b3")),
            TaskWrite.Mutate("b1", new ProgressMutation(20, null)),
            TaskWrite.Mutate("done", new ProgressMutation(30, null)),
        ], default));
        Assert.Equal(2, ex.Index);
        Assert.IsType<TaskTerminalException>(ex.Inner);
        Assert.Null(await store.TaskGetAsync("b3", default));
        Assert.Equal(10, (await store.TaskGetAsync("b1", default))!.Progress);
        Assert.Equal(2, (await store.TaskEventListAsync("b1", 0, 10, default)).Count);
    }

    [Fact]
    public async Task Batch_applies_its_operations_in_order_and_stores_each_task_s_final_row()
    {
        var (store, db, _) = await SetupAsync();
        await using var _1 = db;
        await using var _2 = store;
        await store.TaskCreateAsync(New("a"), default);
        var changes = await store.TaskBatchAsync(
        [
            TaskWrite.Mutate("a", new ProgressMutation(10, "ten")),
            TaskWrite.Create(New("c")),
            TaskWrite.Mutate("a", new AddEventMutation("log", "between", null, null)),
            TaskWrite.Mutate("c", new ProgressMutation(50, null)),
            TaskWrite.Mutate("a", new ProgressMutation(20, "twenty")),
        ], default);

        Assert.Equal([2L, 1L, 3L, 2L, 4L], changes.Select(c => c.Event.Seq));
        Assert.Equal(changes[4].Task, await store.TaskGetAsync("a", default));
        Assert.Equal(changes[3].Task, await store.TaskGetAsync("c", default));
        Assert.Equal(["ten", "between", "twenty"],
            (await store.TaskEventListAsync("a", 1, 10, default)).Select(e => e.Message));

        var taken = await Assert.ThrowsAsync<BatchOperationException>(() => store.TaskBatchAsync(
            [TaskWrite.Mutate("a", new ProgressMutation(30, null)), TaskWrite.Create(New("a"))], default));
        Assert.Equal(1, taken.Index);
        Assert.IsType<TaskAlreadyExistsException>(taken.Inner);
        var missing = await Assert.ThrowsAsync<BatchOperationException>(() => store.TaskBatchAsync(
            [TaskWrite.Create(New("d")), TaskWrite.Mutate("nope", new ProgressMutation(30, null))], default));
        Assert.Equal(1, missing.Index);
        Assert.IsType<TaskNotFoundException>(missing.Inner);
        Assert.Equal(changes[4].Task, await store.TaskGetAsync("a", default)); // nothing of either batch
        Assert.Null(await store.TaskGetAsync("d", default));
    }

    [Fact]
    public async Task List_filters_and_paginates_newest_first()
    {
        var (store, db, time) = await SetupAsync();
        await using var _1 = db;
        await using var _2 = store;
        for (var i = 0; i < 7; i++)
        {
            await store.TaskCreateAsync(New($"t{i}", type: i % 2 == 0 ? "even" : "odd", title: $"Job {i} 50%_off"), default);
            if (i < 5)
            {
                time.Advance(TimeSpan.FromSeconds(1)); // t4..t6 share one createdAt: the id breaks the tie
            }
        }
        await store.TaskMutateAsync("t3", new CompleteMutation(null), default);

        var seen = new List<string>();
        TaskCursor? cursor = null;
        do
        {
            var page = await store.TaskListAsync(new TaskListParams { Limit = 3, Cursor = cursor }, default);
            seen.AddRange(page.Items.Select(t => t.Id));
            cursor = page.Next;
        }
        while (cursor is not null);
        Assert.Equal(["t6", "t5", "t4", "t3", "t2", "t1", "t0"], seen);

        Assert.Equal(["t6", "t4", "t2", "t0"], (await store.TaskListAsync(new TaskListParams { Type = "even" }, default)).Items.Select(t => t.Id));
        Assert.Equal(["t3"], (await store.TaskListAsync(new TaskListParams { Statuses = [TaskState.Success] }, default)).Items.Select(t => t.Id));
        Assert.Equal(["t2"], (await store.TaskListAsync(new TaskListParams { Query = "JOB 2" }, default)).Items.Select(t => t.Id));
        Assert.Equal(7, (await store.TaskListAsync(new TaskListParams { Query = "50%_" }, default)).Items.Count);
        Assert.Empty((await store.TaskListAsync(new TaskListParams { Query = "%x" }, default)).Items);
        var start = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
        Assert.Equal(["t2", "t1"], (await store.TaskListAsync(new TaskListParams
        {
            CreatedAfter = start, CreatedBefore = start.AddSeconds(3),
        }, default)).Items.Select(t => t.Id));
    }

    [Fact]
    public async Task Delete_removes_task_and_events_and_expiry_removes_due_tasks()
    {
        var (store, db, time) = await SetupAsync();
        await using var _1 = db;
        await using var _2 = store;
        await store.TaskCreateAsync(New("t1"), default);
        await store.TaskMutateAsync("t1", new ProgressMutation(1, null), default);
        Assert.NotNull(await store.TaskDeleteAsync("t1", default));
        Assert.Null(await store.TaskDeleteAsync("t1", default));
        Assert.Null(await store.TaskGetAsync("t1", default));
        Assert.Empty(await store.TaskEventListAsync("t1", 0, 10, default));
        var recreated = await store.TaskCreateAsync(New("t1"), default);
        Assert.Equal(1, recreated.Event.Seq);

        var now = time.GetUtcNow();
        await store.TaskCreateAsync(New("soon") with { ExpiresAt = now.AddMinutes(1) }, default);
        await store.TaskCreateAsync(New("later") with { ExpiresAt = now.AddHours(1) }, default);
        Assert.Empty(await store.TaskDeleteExpiredAsync(now, 100, default));
        Assert.Equal(["soon"], (await store.TaskDeleteExpiredAsync(now.AddMinutes(2), 100, default)).Select(d => d.Id));
        Assert.Null(await store.TaskGetAsync("soon", default));
        Assert.NotNull(await store.TaskGetAsync("later", default));
    }

    [Fact]
    public async Task Idempotency_claims_once_and_replays()
    {
        var (store, db, time) = await SetupAsync();
        await using var _1 = db;
        await using var _2 = store;
        var now = time.GetUtcNow();
        IdempotencyBeginParams Begin(string hash) => new("POST /x admin", "k1", hash, time.GetUtcNow(), time.GetUtcNow().AddHours(24), TimeSpan.FromMinutes(2), "node-a");

        var claims = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => store.IdempotencyBeginAsync(Begin("h1"), default)));
        Assert.Single(claims, c => c.Outcome == IdempotencyOutcome.Claimed);
        Assert.All(claims.Where(c => c.Outcome != IdempotencyOutcome.Claimed), c => Assert.Equal(IdempotencyOutcome.InFlight, c.Outcome));
        Assert.Equal(IdempotencyOutcome.Mismatch, (await store.IdempotencyBeginAsync(Begin("h2"), default)).Outcome);

        await store.IdempotencyCompleteAsync(new IdempotencyCompleteParams("POST /x admin", "k1", 201, "application/json", "/loc", [1, 2, 3], "\"7\""), default);
        var replay = await store.IdempotencyBeginAsync(Begin("h1"), default);
        Assert.Equal((IdempotencyOutcome.Completed, 201, "application/json", "/loc"), (replay.Outcome, replay.StatusCode, replay.ContentType, replay.Location));
        Assert.Equal(new byte[] { 1, 2, 3 }, replay.Body);
        Assert.Equal("\"7\"", replay.ETag);

        Assert.Equal(IdempotencyOutcome.Claimed, (await store.IdempotencyBeginAsync(Begin("h1") with { Scope = "POST /y admin" }, default)).Outcome);
        await store.IdempotencyReleaseAsync("POST /y admin", "k1", default);
        Assert.Equal(IdempotencyOutcome.Claimed, (await store.IdempotencyBeginAsync(Begin("h9") with { Scope = "POST /y admin" }, default)).Outcome);

        time.Advance(TimeSpan.FromHours(25));
        Assert.Equal(IdempotencyOutcome.Claimed, (await store.IdempotencyBeginAsync(Begin("h2"), default)).Outcome);
        Assert.True(await store.IdempotencyDeleteExpiredAsync(time.GetUtcNow().AddHours(48), default) >= 1);
        _ = now;
    }

    [Fact]
    public async Task Idempotency_claims_a_dead_process_left_in_flight_are_released_at_start()
    {
        var (store, db, time) = await SetupAsync();
        await using var _1 = db;
        await using var _2 = store;
        IdempotencyBeginParams Begin(string key, string node) =>
            new("POST /x admin", key, "h", time.GetUtcNow(), time.GetUtcNow().AddHours(24), TimeSpan.FromMinutes(2), node);
        foreach (var (key, node) in new[] { ("mine", "node-a"), ("theirs", "node-b"), ("done", "node-a") })
        {
            Assert.Equal(IdempotencyOutcome.Claimed, (await store.IdempotencyBeginAsync(Begin(key, node), default)).Outcome);
        }
        await store.IdempotencyCompleteAsync(new IdempotencyCompleteParams("POST /x admin", "done", 200, null, null, []), default);
        Assert.Equal(IdempotencyOutcome.InFlight, (await store.IdempotencyBeginAsync(Begin("mine", "node-a"), default)).Outcome);

        // node-a starts again. SQLite has one process per file, so node-b's claim died too; on
        // PostgreSQL node-b may be alive and its claim waits for the in-flight timeout.
        var released = await store.IdempotencyReleaseOrphansAsync("node-a", default);
        Assert.Equal(Engine == Engine.Sqlite ? 2 : 1, released);
        Assert.Equal(IdempotencyOutcome.Claimed, (await store.IdempotencyBeginAsync(Begin("mine", "node-a"), default)).Outcome);
        Assert.Equal(Engine == Engine.Sqlite ? IdempotencyOutcome.Claimed : IdempotencyOutcome.InFlight,
            (await store.IdempotencyBeginAsync(Begin("theirs", "node-a"), default)).Outcome);
        Assert.Equal(IdempotencyOutcome.Completed, (await store.IdempotencyBeginAsync(Begin("done", "node-a"), default)).Outcome);
    }

    [Fact]
    public async Task Sessions_open_heartbeat_close_and_sweep()
    {
        var (store, db, time) = await SetupAsync();
        await using var _1 = db;
        await using var _2 = store;
        var now = time.GetUtcNow();
        LiveSession S(string id, string node) => new()
        {
            Id = id, ClientId = "c", User = "u", ConnectionType = "websocket", EntityType = "task", EntityId = "t1",
            NodeId = node, CreatedAt = now, LastHeartbeat = now,
        };
        await store.SessionOpenAsync(S("s1", "a"), default);
        await store.SessionOpenAsync(S("s2", "a"), default);
        await store.SessionOpenAsync(S("s3", "b") with { ConnectionType = "sse" }, default);
        Assert.Equal(3, (await store.SessionListAsync(true, 10, default)).Count);

        await store.SessionCloseAsync(["s1"], now.AddSeconds(1), default);
        await store.SessionHeartbeatAsync(["s2"], now.AddMinutes(5), default);
        var active = await store.SessionListAsync(true, 10, default);
        Assert.Equal(["s2", "s3"], active.Select(s => s.Id).Order());
        Assert.Equal(now.AddMinutes(5), active.Single(s => s.Id == "s2").LastHeartbeat);
        var closed = Assert.Single(await store.SessionListAsync(false, 10, default));
        Assert.Equal(("s1", false), (closed.Id, closed.Active));
        Assert.Equal(now.AddSeconds(1), closed.EndedAt);

        // What an open session watches can change (a protocol-v2 connection); an ended one keeps its last.
        await store.SessionDescribeAsync([("s2", "task:t1, tasks {\"status\":[\"failed\"]}"), ("s1", "counter:c")], default);
        Assert.Equal("task:t1, tasks {\"status\":[\"failed\"]}", (await store.SessionListAsync(true, 10, default)).Single(s => s.Id == "s2").EntityId);
        Assert.Equal("t1", (await store.SessionListAsync(false, 10, default)).Single().EntityId);

        Assert.Equal(1, await store.SessionSweepAsync(null, now.AddMinutes(1), now.AddMinutes(6), default));
        Assert.Equal(["s2"], (await store.SessionListAsync(true, 10, default)).Select(s => s.Id));
        Assert.Equal(1, await store.SessionSweepAsync("a", now, now.AddMinutes(7), default));
        Assert.Empty(await store.SessionListAsync(true, 10, default));
    }

    [Fact]
    public async Task Ended_sessions_are_pruned_in_bounded_batches_and_live_ones_never()
    {
        var (store, db, time) = await SetupAsync();
        await using var _1 = db;
        await using var _2 = store;
        var now = time.GetUtcNow();
        foreach (var id in new[] { "s1", "s2", "s3", "live" })
        {
            await store.SessionOpenAsync(new LiveSession
            {
                Id = id, ConnectionType = "sse", EntityType = "task", EntityId = "t1", NodeId = "a", CreatedAt = now, LastHeartbeat = now,
            }, default);
        }
        await store.SessionCloseAsync(["s1", "s2"], now.AddSeconds(1), default);
        await store.SessionCloseAsync(["s3"], now.AddMinutes(10), default);

        Assert.Equal(0, await store.SessionPruneAsync(now.AddSeconds(1), 10, default)); // ended exactly then: not before
        Assert.Equal(1, await store.SessionPruneAsync(now.AddMinutes(1), 1, default));
        Assert.Equal(1, await store.SessionPruneAsync(now.AddMinutes(1), 1, default));
        Assert.Equal(0, await store.SessionPruneAsync(now.AddMinutes(1), 1, default));
        Assert.Equal(["s3"], (await store.SessionListAsync(false, 10, default)).Select(s => s.Id));

        Assert.Equal(1, await store.SessionPruneAsync(now.AddDays(365), 10, default));
        Assert.Empty(await store.SessionListAsync(false, 10, default));
        Assert.Equal(["live"], (await store.SessionListAsync(true, 10, default)).Select(s => s.Id));
    }
}

public sealed class SqliteStoreTests : StoreConformance
{
    protected override Engine Engine => Engine.Sqlite;
}

public sealed class PostgresStoreTests : StoreConformance
{
    protected override Engine Engine => Engine.Postgres;
}
