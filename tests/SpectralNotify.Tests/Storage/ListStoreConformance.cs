using SpectralNotify.Jobs;
using SpectralNotify.Lists;
using SpectralNotify.Storage;
using SpectralNotify.Tasks;
using SpectralNotify.Tests.Infrastructure;
using SpectralNotify.Workflows;

namespace SpectralNotify.Tests.Storage;

/// <summary>
/// Live list reads on every engine: the SQL filter agrees with <see cref="ListFilter.Matches(ListRow)"/>
/// on random rows and random filters, changes since a cursor come newest first and bounded, and every
/// delete leaves a tombstone until it is pruned.
/// </summary>
public abstract class ListStoreConformance() : StoreTest(Start)
{
    private static readonly DateTimeOffset Start = new(2026, 10, 1, 8, 0, 0, TimeSpan.Zero);
    private static readonly string[] Types = ["render", "mail", "import"];
    private static readonly string[] Queues = ["default", "fast", "slow"];
    private static readonly string[] Jobs = ["job-a", "job-b"];
    private static readonly string[] Keys = ["color", "a.b", "say \"hi\"", "n", "flag", "ünï"];
    // JSON text of values, with the equal-but-differently-written numbers and strings SQL must not tell apart.
    private static readonly string[] Values =
        ["\"red\"", "\"blue\"", "\"\"", "\"r\\u0065d\"", "1", "1.0", "1e0", "2.5", "-0", "0", "true", "false", "null", "[1]", "{\"x\":1}", "\"1\"", "1e400", "1e-400"];

    // Titles for the search filter: ASCII case folds, other letters do not, LIKE's wildcards are plain text.
    private static readonly string?[] Titles = [null, "Nightly REPORT", "report 50%", "Ünïcode Ärger", "a_b", "ünïcode", "T00"];
    private static readonly string[] Searches = ["report", "REP", "t0", "T1", "ün", "Ün", "%", "_", "0%", "nightly r", "x"];

    private static string RandomMetadata(Random rng)
    {
        var pairs = Enumerable.Range(0, rng.Next(0, 4)).Select(_ => $"\"{Escape(rng.GetItems(Keys, 1)[0])}\":{rng.GetItems(Values, 1)[0]}").ToList();
        if (pairs.Count > 0 && rng.Next(8) == 0)
        {
            pairs.Add(pairs[0].Split(':')[0] + ":" + rng.GetItems(Values, 1)[0]); // a key written twice: the last counts
        }
        return "{" + string.Join(",", pairs) + "}";
    }

    private static string Escape(string key) => key.Replace("\"", "\\\"", StringComparison.Ordinal);

    /// <summary>Moves the clock by 0 to 3 ms, so many rows share an updatedAt and the id decides their order.</summary>
    private void Tick(Random rng) => Time.Advance(TimeSpan.FromMilliseconds(rng.Next(0, 4)));

    private async Task SeedAsync(Random rng)
    {
        for (var i = 0; i < 150; i++)
        {
            Tick(rng);
            var id = $"t{rng.Next(100_000):D5}-{i}";
            await Store.TaskCreateAsync(new NewTask
            {
                Id = id, Type = rng.Next(5) == 0 ? null : rng.GetItems(Types, 1)[0], Metadata = RandomMetadata(rng),
                Title = Titles[i % Titles.Length],
                WorkflowId = rng.Next(3) == 0 ? "wf-parent" : null,
            }, default);
            switch (rng.Next(5))
            {
                case 0: Tick(rng); await Store.TaskMutateAsync(id, new ProgressMutation(40, null), default); break;
                case 1: Tick(rng); await Store.TaskMutateAsync(id, new CompleteMutation(null), default); break;
                case 2: Tick(rng); await Store.TaskMutateAsync(id, new FailMutation("boom", null), default); break;
                case 3: Tick(rng); await Store.TaskMutateAsync(id, new CancelMutation(null, null), default); break;
            }
        }
        for (var i = 0; i < 80; i++)
        {
            Tick(rng);
            await Store.RunEnqueueAsync([new NewRun
            {
                Id = $"r{rng.Next(100_000):D5}-{i}", Type = rng.GetItems(Types, 1)[0], Queue = rng.GetItems(Queues, 1)[0],
                JobId = rng.Next(3) == 0 ? null : rng.GetItems(Jobs, 1)[0],
            }], default);
        }
        foreach (var queue in Queues)
        {
            Tick(rng);
            var claimed = await Store.RunClaimAsync(new ClaimRequest("w", [queue], null, 8, TimeSpan.FromMinutes(5)), default);
            foreach (var c in claimed.Where(_ => rng.Next(2) == 0))
            {
                Tick(rng);
                await Store.RunCompleteAsync(c.Run.TaskId, c.Run.LeaseToken!, null, default);
            }
            Tick(rng);
            await Store.RunReserveAsync(new ClaimRequest("w2", [queue], null, 3, TimeSpan.FromMinutes(5)), default);
        }
        for (var i = 0; i < 80; i++)
        {
            Tick(rng);
            var id = $"w{rng.Next(100_000):D5}-{i}";
            await Store.WorkflowCreateAsync(new WorkflowCreateParams(id, [new("p", "P", 1)], RandomMetadata(rng)), default);
            switch (rng.Next(4))
            {
                case 0: Tick(rng); await Store.WorkflowUpdatePhaseAsync(new(id, "p", 30), default); break;
                case 1: Tick(rng); await Store.WorkflowFinishAsync(new(id, rng.GetItems([TaskState.Success, TaskState.Failed, TaskState.Canceled], 1)[0]), default); break;
            }
        }
    }

    /// <summary>A random filter as a client would send it, over the fields <paramref name="kind"/> takes.</summary>
    private static ListFilter RandomFilter(Random rng, ListKind kind)
    {
        var fields = new List<string>();
        string Pick(params string[] items) => rng.GetItems(items, 1)[0];
        if (rng.Next(3) == 0)
        {
            fields.Add($"\"status\":[{string.Join(",", rng.GetItems(["\"pending\"", "\"in-progress\"", "\"success\"", "\"failed\"", "\"canceled\""], rng.Next(1, 3)))}]");
        }
        if (kind != ListKind.Workflows && rng.Next(3) == 0)
        {
            fields.Add($"\"type\":\"{Pick([.. Types, "none"])}\"");
        }
        if (kind == ListKind.Runs)
        {
            if (rng.Next(3) == 0) { fields.Add($"\"state\":[{string.Join(",", rng.GetItems(["\"pending\"", "\"reserved\"", "\"running\"", "\"done\""], rng.Next(1, 3)))}]"); }
            if (rng.Next(3) == 0) { fields.Add($"\"queue\":\"{Pick(Queues)}\""); }
            if (rng.Next(3) == 0) { fields.Add($"\"jobId\":\"{Pick(Jobs)}\""); }
        }
        if (kind == ListKind.Tasks && rng.Next(4) == 0)
        {
            fields.Add("\"workflowId\":\"wf-parent\"");
        }
        if (kind == ListKind.Tasks && rng.Next(3) == 0)
        {
            fields.Add($"\"search\":\"{Pick(Searches)}\"");
        }
        if (kind != ListKind.Runs && rng.Next(2) == 0)
        {
            var keys = rng.GetItems(Keys, rng.Next(1, 3)).Distinct();
            var scalars = Values.Where(v => v is not ("null" or "[1]" or "{\"x\":1}" or "1e400")).ToArray();
            fields.Add("\"metadata\":{" + string.Join(",", keys.Select(k => $"\"{Escape(k)}\":{Pick(scalars)}")) + "}");
        }
        if (rng.Next(4) == 0)
        {
            fields.Add($"\"createdAfter\":\"{Clock.ToWire(Start.AddMilliseconds(rng.Next(0, 600)))}\"");
        }
        if (rng.Next(4) == 0)
        {
            fields.Add($"\"createdBefore\":\"{Start.AddMilliseconds(rng.Next(0, 600)).AddTicks(rng.Next(0, 2) * 5000):O}\"");
        }
        using var doc = System.Text.Json.JsonDocument.Parse("{" + string.Join(",", fields) + "}");
        Assert.True(ListFilter.TryParse(kind, doc.RootElement, out var filter, out var error), error);
        return filter;
    }

    /// <summary>Seeded, so a failure repeats; the message names the filter and limit that disagreed.</summary>
    [Theory]
    [InlineData(20261001)]
    [InlineData(7)]
    [InlineData(424242)]
    public async Task Snapshots_match_the_in_memory_filter_on_random_rows_and_filters(int seed)
    {
        var rng = new Random(seed);
        await SeedAsync(rng);
        var tasks = await Store.TaskChangedSinceAsync(DateTimeOffset.MinValue, 100_000, default);
        var runs = await Store.RunChangedSinceAsync(DateTimeOffset.MinValue, 100_000, default);
        var workflows = await Store.WorkflowChangedSinceAsync(DateTimeOffset.MinValue, 100_000, default);
        Assert.Equal((230, 80, 80), (tasks.Count, runs.Count, workflows.Count));
        Assert.Equal(3, runs.Select(r => r.Run.State).Distinct().Count(s => s is JobRun.Reserved or JobRun.Running or JobRun.Done));
        var taskRows = tasks.Select(ListRow.ForTask).ToList();
        var runRows = runs.Select(r => ListRow.ForRun(r.Run, r.Task)).ToList();
        var workflowRows = workflows.Select(ListRow.ForWorkflow).ToList();
        Assert.Equal(taskRows.Order(ListRow.NewestFirst).Select(r => r.Id), taskRows.Select(r => r.Id));

        var nonEmpty = 0;
        for (var i = 0; i < 150; i++)
        {
            var limit = rng.Next(3) == 0 ? rng.Next(1, 20) : ListLimits.MaxLimit;
            var tf = RandomFilter(rng, ListKind.Tasks);
            var expectedTasks = Expected(taskRows, tf, limit);
            Assert.True(expectedTasks.SequenceEqual((await Store.TaskListLiveAsync(tf, limit, default)).Select(t => t.Id)), $"tasks {tf} limit {limit}");
            var rf = RandomFilter(rng, ListKind.Runs);
            var expectedRuns = Expected(runRows, rf, limit);
            Assert.True(expectedRuns.SequenceEqual((await Store.RunListLiveAsync(rf, limit, default)).Select(r => r.Run.TaskId)), $"runs {rf} limit {limit}");
            var wf = RandomFilter(rng, ListKind.Workflows);
            var expectedWorkflows = Expected(workflowRows, wf, limit);
            Assert.True(expectedWorkflows.SequenceEqual((await Store.WorkflowListLiveAsync(wf, limit, default)).Select(w => w.Id)), $"workflows {wf} limit {limit}");
            nonEmpty += (expectedTasks.Count > 0 ? 1 : 0) + (expectedRuns.Count > 0 ? 1 : 0) + (expectedWorkflows.Count > 0 ? 1 : 0);
        }
        // The filters are not all trivially empty: most of them select something.
        Assert.InRange(nonEmpty, 200, 450);
    }

    private static List<string> Expected(List<ListRow> rows, ListFilter filter, int limit) =>
        [.. rows.Where(filter.Matches).Order(ListRow.NewestFirst).Take(limit).Select(r => r.Id)];

    [Fact]
    public async Task Metadata_keys_and_values_compare_alike_in_sql_and_memory()
    {
        await Store.TaskCreateAsync(new NewTask { Id = "a", Metadata = """{"a.b":1,"q\"k":"x","e":"\u00e9","dup":1,"dup":2,"nul":"x\u0000y","big":1e400}""" }, default);
        Time.Advance(TimeSpan.FromMilliseconds(1));
        await Store.TaskCreateAsync(new NewTask { Id = "b", Metadata = """{"a":{"b":1},"e":"é","big":1.7976931348623157e308,"tiny":1e-400}""" }, default);
        async Task<string[]> Ids(string json)
        {
            using var doc = System.Text.Json.JsonDocument.Parse(json);
            Assert.True(ListFilter.TryParse(ListKind.Tasks, doc.RootElement, out var f, out var error), error);
            var sql = (await Store.TaskListLiveAsync(f, 10, default)).Select(t => t.Id).ToArray();
            var memory = (await Store.TaskChangedSinceAsync(DateTimeOffset.MinValue, 10, default)).Where(f.Matches).Select(t => t.Id).ToArray();
            Assert.Equal(memory, sql);
            return sql;
        }

        Assert.Equal(["a"], await Ids("""{"metadata":{"a.b":1.0}}"""));         // a dotted key is one key, not a path
        Assert.Equal(["a"], await Ids("""{"metadata":{"q\"k":"x"}}"""));       // a quote in a key
        Assert.Equal(["b", "a"], await Ids("""{"metadata":{"e":"é"}}"""));      // escaped and plain text are the same string
        Assert.Equal(["a"], await Ids("""{"metadata":{"dup":2}}"""));          // the last of a repeated key counts
        Assert.Empty(await Ids("""{"metadata":{"dup":1}}"""));
        Assert.Empty(await Ids("""{"metadata":{"nul":"x"}}"""));               // a string holding NUL is not cut short
        Assert.Equal(["b"], await Ids("""{"metadata":{"big":1.7976931348623157e308}}"""));
        Assert.Equal(["b"], await Ids("""{"metadata":{"tiny":0}}"""));         // too small for a double reads as 0
        Assert.Equal(["b"], await Ids("""{"metadata":{"tiny":-0.0}}"""));
    }

    [Fact]
    public async Task Search_and_the_rest_filter_agree_between_live_lists_rest_pages_and_memory()
    {
        var titles = new[] { "Weekly REPORT", "reporting é", "Rapport É", "100% done", null };
        for (var i = 0; i < 10; i++)
        {
            Time.Advance(TimeSpan.FromMilliseconds(1));
            await Store.TaskCreateAsync(new NewTask
            {
                Id = (i % 2 == 0 ? "Rep-" : "job-") + i, Title = titles[i % titles.Length],
                Metadata = i % 3 == 0 ? """{"team":"red"}""" : """{"team":"blue"}""",
            }, default);
            if (i % 4 == 1)
            {
                await Store.TaskMutateAsync((i % 2 == 0 ? "Rep-" : "job-") + i, new FailMutation("x", null), default);
            }
        }
        async Task<string[]> Ids(string json)
        {
            using var doc = System.Text.Json.JsonDocument.Parse(json);
            Assert.True(ListFilter.TryParse(ListKind.Tasks, doc.RootElement, out var f, out var error), error);
            var liveOrder = (await Store.TaskListLiveAsync(f, 50, default)).Select(t => t.Id).ToList();
            var live = liveOrder.Order(StringComparer.Ordinal).ToArray();
            var memory = (await Store.TaskChangedSinceAsync(DateTimeOffset.MinValue, 50, default)).Where(f.Matches).Select(t => t.Id).Order(StringComparer.Ordinal).ToArray();
            // REST pages with the same filter, walked through their cursors in either order; by updatedAt they
            // are the live list's rows in the live list's order.
            async Task<List<string>> Walk(bool byUpdated)
            {
                var rest = new List<string>();
                TaskCursor? cursor = null;
                do
                {
                    var page = await Store.TaskListAsync(new TaskListParams
                    {
                        Statuses = f.Status, Search = f.Search, Metadata = f.Metadata, Limit = 2, Cursor = cursor, ByUpdated = byUpdated,
                    }, default);
                    rest.AddRange(page.Items.Select(t => t.Id));
                    cursor = page.Next;
                }
                while (cursor is not null);
                return rest;
            }
            Assert.Equal(memory, live);
            Assert.Equal(memory, (await Walk(false)).Order(StringComparer.Ordinal));
            Assert.Equal(liveOrder, await Walk(true));
            return live;
        }

        Assert.Equal(["Rep-0", "Rep-2", "Rep-4", "Rep-6", "Rep-8", "job-1", "job-5"], await Ids("""{"search":"rep"}"""));  // id prefix or title
        Assert.Equal(["Rep-0", "Rep-6", "job-1", "job-5"], await Ids("""{"search":"rEpOrT"}"""));
        Assert.Empty(await Ids("""{"search":"-1"}"""));                               // an id matches by prefix only
        Assert.Equal(["Rep-6", "job-1"], await Ids("""{"search":"reporting é"}"""));
        Assert.Empty(await Ids("""{"search":"REPORTING É"}"""));                      // only A–Z fold
        Assert.Equal(["Rep-8", "job-3"], await Ids("""{"search":"0%"}"""));           // % is text, not a wildcard
        Assert.Equal(["Rep-0", "Rep-6"], await Ids("""{"search":"rep","metadata":{"team":"red"},"status":["pending"]}"""));
        Assert.Equal(["job-1", "job-5", "job-9"], await Ids("""{"status":["failed","canceled"]}"""));
    }

    [Fact]
    public async Task Changes_since_a_time_come_newest_first_and_bounded()
    {
        foreach (var id in new[] { "a", "c", "b" })
        {
            await Store.TaskCreateAsync(new NewTask { Id = id }, default);
        }
        Time.Advance(TimeSpan.FromSeconds(1));
        var since = Time.GetUtcNow();
        await Store.TaskCreateAsync(new NewTask { Id = "d" }, default);
        await Store.TaskMutateAsync("a", new ProgressMutation(5, null), default);
        Time.Advance(TimeSpan.FromMilliseconds(1));
        await Store.TaskMutateAsync("b", new ProgressMutation(5, null), default);

        Assert.Equal(["b", "d", "a"], (await Store.TaskChangedSinceAsync(since, 10, default)).Select(t => t.Id));
        Assert.Equal(["b", "d"], (await Store.TaskChangedSinceAsync(since, 2, default)).Select(t => t.Id));
        Assert.Equal(["b", "d", "a", "c"], (await Store.TaskChangedSinceAsync(DateTimeOffset.MinValue, 4, default)).Select(t => t.Id));
    }

    [Fact]
    public async Task Run_and_workflow_changes_since_a_time_come_newest_first()
    {
        await Store.RunEnqueueAsync([new NewRun { Id = "r1", Type = "t" }, new NewRun { Id = "r2", Type = "t" }], default);
        await Store.WorkflowCreateAsync(new WorkflowCreateParams("w1", [new("p", "P", 1)]), default);
        await Store.WorkflowCreateAsync(new WorkflowCreateParams("w2", [new("p", "P", 1)]), default);
        Time.Advance(TimeSpan.FromSeconds(1));
        var since = Time.GetUtcNow();
        await Store.TaskCreateAsync(new NewTask { Id = "plain" }, default);
        var claimed = Assert.Single(await Store.RunClaimAsync(new ClaimRequest("w", ["default"], null, 1, TimeSpan.FromMinutes(1)), default));
        await Store.WorkflowUpdatePhaseAsync(new("w1", "p", 50), default);

        Assert.Equal([claimed.Run.TaskId], (await Store.RunChangedSinceAsync(since, 10, default)).Select(r => r.Run.TaskId));
        var all = await Store.RunChangedSinceAsync(DateTimeOffset.MinValue, 10, default);
        Assert.Equal([claimed.Run.TaskId, "r2"], all.Select(r => r.Run.TaskId));
        Assert.Equal((JobRun.Running, TaskState.InProgress), (all[0].Run.State, all[0].Task.Status));
        Assert.Equal(["w1"], (await Store.WorkflowChangedSinceAsync(since, 10, default)).Select(w => w.Id));
        Assert.Equal(["w1", "w2"], (await Store.WorkflowChangedSinceAsync(DateTimeOffset.MinValue, 10, default)).Select(w => w.Id));
    }

    [Fact]
    public async Task Deleting_a_task_or_run_leaves_a_task_tombstone()
    {
        await Store.TaskCreateAsync(new NewTask { Id = "t1" }, default);
        await Store.RunEnqueueAsync([new NewRun { Id = "r1", Type = "t" }], default);
        Time.Advance(TimeSpan.FromSeconds(1));
        Assert.NotNull(await Store.TaskDeleteAsync("t1", default));
        Time.Advance(TimeSpan.FromSeconds(1));
        Assert.NotNull(await Store.TaskDeleteAsync("r1", default));
        Assert.Null(await Store.TaskDeleteAsync("never", default));

        Assert.Equal([new Deletion(Deletion.Task, "r1", Start.AddSeconds(2)), new Deletion(Deletion.Task, "t1", Start.AddSeconds(1))],
            await Store.DeletionsSinceAsync(Deletion.Task, Start, 10, default));
        Assert.Equal(["r1"], (await Store.DeletionsSinceAsync(Deletion.Task, Start.AddSeconds(2), 10, default)).Select(d => d.Id));
        Assert.Equal(["r1"], (await Store.DeletionsSinceAsync(Deletion.Task, Start, 1, default)).Select(d => d.Id));
        Assert.Empty(await Store.DeletionsSinceAsync(Deletion.Workflow, Start, 10, default));
        Assert.Empty(await Store.RunChangedSinceAsync(DateTimeOffset.MinValue, 10, default));
    }

    [Fact]
    public async Task Expired_tasks_leave_tombstones_at_the_sweep_time()
    {
        await Store.TaskCreateAsync(new NewTask { Id = "short", ExpiresAt = Start.AddMinutes(1) }, default);
        await Store.TaskCreateAsync(new NewTask { Id = "long", ExpiresAt = Start.AddHours(1) }, default);
        var sweep = Start.AddMinutes(2);
        Assert.Equal(["short"], (await Store.TaskDeleteExpiredAsync(sweep, 10, default)).Select(d => d.Id));
        Assert.Equal([new Deletion(Deletion.Task, "short", sweep)], await Store.DeletionsSinceAsync(Deletion.Task, Start, 10, default));
    }

    [Fact]
    public async Task Deleting_a_workflow_leaves_a_workflow_tombstone_and_pruning_removes_old_ones()
    {
        await Store.WorkflowCreateAsync(new WorkflowCreateParams("w1", [new("p", "P", 1)]), default);
        await Store.WorkflowCreateAsync(new WorkflowCreateParams("w2", [new("p", "P", 1)]), default);
        await Store.TaskCreateAsync(new NewTask { Id = "t1" }, default);
        Assert.True(await Store.WorkflowDeleteAsync("w1", default));
        await Store.TaskDeleteAsync("t1", default);
        Time.Advance(TimeSpan.FromHours(1));
        Assert.True(await Store.WorkflowDeleteAsync("w2", default));
        Assert.False(await Store.WorkflowDeleteAsync("w2", default));
        Assert.Equal(["w2", "w1"], (await Store.DeletionsSinceAsync(Deletion.Workflow, Start, 10, default)).Select(d => d.Id));

        Assert.Equal(1, await Store.DeletionsPruneAsync(Start.AddMinutes(30), 1, default));
        Assert.Equal(1, await Store.DeletionsPruneAsync(Start.AddMinutes(30), 10, default));
        Assert.Equal(0, await Store.DeletionsPruneAsync(Start.AddMinutes(30), 10, default));
        Assert.Equal(["w2"], (await Store.DeletionsSinceAsync(Deletion.Workflow, DateTimeOffset.MinValue, 10, default)).Select(d => d.Id));
        Assert.Empty(await Store.DeletionsSinceAsync(Deletion.Task, DateTimeOffset.MinValue, 10, default));
    }

    [Fact]
    public async Task A_filter_that_does_not_apply_to_the_kind_matches_nothing()
    {
        await Store.RunEnqueueAsync([new NewRun { Id = "r1", Type = "t", JobId = "j" }], default);
        Assert.Equal(["r1"], (await Store.RunListLiveAsync(ListFilter.ForJob("j"), 10, default)).Select(r => r.Run.TaskId));
        Assert.Empty(await Store.TaskListLiveAsync(ListFilter.ForJob("j"), 10, default));
        Assert.Equal(["r1"], (await Store.TaskListLiveAsync(ListFilter.All, 10, default)).Select(t => t.Id));
    }
}

public sealed class SqliteListStoreTests : ListStoreConformance
{
    protected override Engine Engine => Engine.Sqlite;
}

public sealed class PostgresListStoreTests : ListStoreConformance
{
    protected override Engine Engine => Engine.Postgres;
}
