using SpectralNotify.Client.Live;
using SpectralNotify.Client.Models;
using SpectralNotify.Tests.Infrastructure;

namespace SpectralNotify.Tests.Client.Live;

/// <summary>
/// Every watch kind of the .NET client survives a SIGKILL of the server and a restart on the same
/// address: changes made before, during (server up, client still away) and after the outage each
/// arrive exactly once, in seq order; lists resume from their cursor.
/// </summary>
public sealed class LiveKillRestartTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Every_watch_kind_survives_a_server_kill_and_restart_with_each_seq_delivered_once(Engine engine)
    {
        await using var server = await KillableServer.StartAsync(engine, "live-kill");
        var http = server.Http;
        await http.CreateTaskAsync("t", ""","type":"watched" """);
        await (await http.PostJsonAsync("/api/v1/workflows", """{"id":"wf","phases":[{"key":"a","label":"A","weight":0.5},{"key":"b","label":"B","weight":0.5}]}""")).ExpectAsync(201);
        await (await http.PostJsonAsync("/api/v1/counters", """{"name":"c"}""")).ExpectAsync(201);
        await (await http.PostJsonAsync("/api/v1/runs", """{"runs":[{"id":"r","type":"mail","queue":"q-kill"}]}""")).ExpectAsync(201);
        var claimed = await (await http.PostJsonAsync("/api/v1/workers/claim", """{"workerId":"w","queues":["q-kill"],"leaseSeconds":600}""")).ExpectAsync(200);
        var lease = claimed.GetProperty("runs")[0].GetProperty("leaseToken").GetString();
        await (await http.PostJsonAsync("/api/v1/jobs", """{"id":"j","type":"nobody-handles-this"}""")).ExpectAsync(201);

        using var retry = new GatedRetryPolicy();
        await using var client = server.Client(retry);
        var reconnecting = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var reconnected = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        client.Live.Reconnecting += _ => { reconnecting.TrySetResult(); return Task.CompletedTask; };
        client.Live.Reconnected += recovered => { reconnected.TrySetResult(recovered); return Task.CompletedTask; };

        var task = new LiveRecorder<LiveChange<SpectralTask, TaskEvent>>(client.Live.WatchTaskAsync("t"));
        var workflow = new LiveRecorder<LiveChange<Workflow, WorkflowEvent>>(client.Live.WatchWorkflowAsync("wf"));
        var counter = new LiveRecorder<LiveChange<Counter, CounterHistoryEntry>>(client.Live.WatchCounterAsync("c"));
        var run = new LiveRecorder<LiveChange<Run, TaskEvent>>(client.Live.WatchRunAsync("r"));
        var job = new LiveRecorder<LiveListChange<Run>>(client.Live.WatchJobAsync("j"));
        var list = new LiveRecorder<LiveListChange<SpectralTask>>(client.Live.WatchTasksAsync(new ListFilter { Type = "listed" }));
        await task.WaitForAsync(c => c.Kind == LiveChangeKind.Snapshot, "the task's snapshot", Wait);
        await workflow.WaitForAsync(c => c.Kind == LiveChangeKind.Snapshot, "the workflow's snapshot", Wait);
        await counter.WaitForAsync(c => c.Kind == LiveChangeKind.Snapshot, "the counter's snapshot", Wait);
        await run.WaitForAsync(c => c.Kind == LiveChangeKind.Snapshot, "the run's snapshot", Wait);
        await job.WaitForAsync(c => c.Kind == LiveListChangeKind.Snapshot, "the job's runs", Wait);
        await list.WaitForAsync(c => c.Kind == LiveListChangeKind.Snapshot, "the list's snapshot", Wait);

        // Round 1, seen live; round 2 written just before the kill (delivery may be cut off mid-way).
        var jobRuns = new List<string>();
        for (var round = 1; round <= 2; round++)
        {
            await WriteRoundAsync(http, round, jobRuns);
        }
        await task.WaitForAsync(c => c.Entity?.Progress == 1, "round 1 on the task", Wait);
        await list.WaitForAsync(c => c.Row?.Id == "l1", "round 1 on the list", Wait);

        retry.Close();
        await server.KillAsync();
        await reconnecting.Task.WaitAsync(Wait);
        await server.RestartAsync();
        await WriteRoundAsync(http, 3, jobRuns); // the client is still away: replayed on resume
        retry.Open();
        Assert.True(await reconnected.Task.WaitAsync(Wait), "every watch resumed where it was (recovered)");
        await WriteRoundAsync(http, 4, jobRuns);

        await (await http.PostJsonAsync("/api/v1/tasks/t/complete", "{}")).ExpectAsync(200);
        await (await http.PostJsonAsync("/api/v1/workflows/wf/complete", "{}")).ExpectAsync(200);
        await (await http.PostJsonAsync("/api/v1/runs/r/complete", $$$"""{"leaseToken":"{{{lease}}}","result":{"ok":true}}""")).ExpectAsync(200);
        await (await http.PostJsonAsync("/api/v1/counters/c/increment", """{"amount":100}""")).ExpectAsync(200);
        await http.CreateTaskAsync("l-last", ""","type":"listed" """);

        await task.Completion.WaitAsync(Wait);
        await workflow.Completion.WaitAsync(Wait);
        await run.Completion.WaitAsync(Wait);
        await counter.WaitForAsync(c => c.Event?.Operation is not null && c.Entity?.Value >= 104, "the last increment", Wait);
        await job.WaitForAsync(c => c.Row?.Id == jobRuns[^1], "the last run of the job", Wait);
        await list.WaitForAsync(c => c.Row?.Id == "l-last", "the last listed task", Wait);

        AssertExactlyOnce(task.Items, ends: true);
        AssertExactlyOnce(workflow.Items, ends: true);
        AssertExactlyOnce(run.Items, ends: true);
        AssertExactlyOnce(counter.Items, ends: false);
        Assert.Equal(4 + 100, counter.Items[^1].Entity!.Value); // rounds 1–4, then the last one
        Assert.Equal("success", run.Items[^1].EndReason);
        Assert.Equal("success", run.Items[^2].Task?.Status);

        AssertResumed(job.Items, jobRuns);
        AssertResumed(list.Items, ["l1", "l2", "l3", "l4", "l-last"]);
    }

    /// <summary>One change on every watched thing; round n's marks are n (task progress n, phase a n·10, …).</summary>
    private static async Task WriteRoundAsync(HttpClient http, int round, List<string> jobRuns)
    {
        await (await http.PostJsonAsync("/api/v1/tasks/t/progress", $$"""{"progress":{{round}}}""")).ExpectAsync(200);
        await (await http.PostJsonAsync("/api/v1/workflows/wf/phases/a/progress", $$"""{"progress":{{round * 10}}}""")).ExpectAsync(200);
        await (await http.PostJsonAsync("/api/v1/counters/c/increment", "{}")).ExpectAsync(200);
        await (await http.PostJsonAsync("/api/v1/tasks/r/progress", $$"""{"progress":{{round}},"message":"round {{round}}"}""")).ExpectAsync(200);
        jobRuns.Add((await (await http.PostJsonAsync("/api/v1/jobs/j/trigger", "")).ExpectAsync(202)).GetProperty("id").GetString()!);
        await http.CreateTaskAsync($"l{round}", ""","type":"listed" """);
    }

    /// <summary>A snapshot, then changes whose seqs run without a gap or a repeat up to the last, then (for entities that end) one end.</summary>
    private static void AssertExactlyOnce<TEntity, TEvent>(IReadOnlyList<LiveChange<TEntity, TEvent>> items, bool ends)
    {
        Assert.Equal(LiveChangeKind.Snapshot, items[0].Kind);
        Assert.DoesNotContain(items, c => c.Kind == LiveChangeKind.Reset);
        var changes = items.Where(c => c.Kind == LiveChangeKind.Change).Select(c => c.Seq).ToList();
        var expected = Enumerable.Range((int)items[0].Seq + 1, changes.Count).Select(i => (long)i).ToList();
        Assert.Equal(expected, changes);
        if (ends)
        {
            Assert.Equal(LiveChangeKind.End, items[^1].Kind);
            Assert.Single(items, c => c.Kind == LiveChangeKind.End);
            Assert.Equal(changes[^1], items[^1].Seq);
        }
        Assert.All(items.Where(c => c.Kind == LiveChangeKind.Change), c => Assert.Equal(items[0].Epoch ?? items[1].Epoch, c.Epoch));
    }

    /// <summary>The list resumed from its cursor (up-to-date, never must-refetch) and every expected row arrived.</summary>
    private static void AssertResumed<TRow>(IReadOnlyList<LiveListChange<TRow>> items, IEnumerable<string> expectedIds) where TRow : class
    {
        Assert.Single(items, c => c.Kind == LiveListChangeKind.Snapshot);
        Assert.DoesNotContain(items, c => c.Kind == LiveListChangeKind.MustRefetch);
        Assert.Contains(items, c => c.Kind == LiveListChangeKind.UpToDate);
        var seen = items.Where(c => c.Kind == LiveListChangeKind.Upsert).Select(c => c.Row switch
        {
            Run r => r.Id,
            SpectralTask t => t.Id,
            _ => throw new InvalidOperationException(),
        }).ToHashSet();
        Assert.Superset(expectedIds.ToHashSet(), seen);
    }
}
