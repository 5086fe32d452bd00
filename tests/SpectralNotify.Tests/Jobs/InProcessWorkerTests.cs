using System.Text.Json;
using SpectralNotify.Handlers;
using SpectralNotify.Tests.Infrastructure;

namespace SpectralNotify.Tests.Jobs;

/// <summary>IJobHandler classes registered with AddSpectralNotifyServer(…).AddHandler run in the server process, on both engines.</summary>
public sealed class InProcessWorkerTests
{
    private sealed class ReportingHandler : IJobHandler
    {
        public async Task<JsonElement?> HandleAsync(IJobContext context, CancellationToken ct)
        {
            await context.ProgressAsync(50, ct: ct);
            var tool = await context.ToolStartAsync("search", JsonSerializer.SerializeToElement(new { q = "x" }), ct);
            await context.ToolCompleteAsync(tool, JsonSerializer.SerializeToElement(new { hits = 2 }), ct);
            if (context.Payload.TryGetProperty("failFirst", out _) && context.Attempt == 1)
            {
                throw new JobFailure("first attempt fails", retryable: true, retryAfter: TimeSpan.Zero);
            }
            if (context.Payload.TryGetProperty("fatal", out _))
            {
                throw new JobFailure("cannot ever work", retryable: false);
            }
            return JsonSerializer.SerializeToElement(new { attempt = context.Attempt, echo = context.Payload });
        }
    }

    /// <summary>Works until cancelled.</summary>
    private sealed class BlockingHandler : IJobHandler
    {
        public async Task<JsonElement?> HandleAsync(IJobContext context, CancellationToken ct)
        {
            await context.EventAsync("working", ct: ct);
            await Task.Delay(Timeout.Infinite, ct);
            return null;
        }
    }

    private static Task<TestHost> StartAsync(Engine engine, TestDatabase? db = null, Dictionary<string, string?>? settings = null) =>
        TestHost.StartAsync(engine, settings, db, server: s => s
            .AddHandler<ReportingHandler>("report").AddHandler<BlockingHandler>("block").WithQueue("default", 4));

    /// <summary>Waits for the host's announcement of the status (no polling), then reads the task as a client sees it.</summary>
    private static async Task<JsonElement> WaitForStatusAsync(TestHost host, string id, string status)
    {
        await FeedWait.TaskStatusAsync(host.Services, id, SpectralNotify.Tasks.TaskStateNames.Parse(status), TimeSpan.FromSeconds(20));
        return await (await host.Client(TestHost.WriteKey).GetAsync($"/api/v1/tasks/{id}")).ExpectAsync(200);
    }

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task A_run_delayed_to_later_starts_when_its_time_comes_not_at_the_next_poll(Engine engine)
    {
        // Polls once a minute: the run can only start within the wait below if its runAt woke the worker.
        await using var host = await StartAsync(engine, settings: new() { ["Workers:PollInterval"] = "00:01:00" });
        var http = host.Client(TestHost.WriteKey);
        var runAt = DateTimeOffset.UtcNow.AddSeconds(2).ToString("O");
        await (await http.PostJsonAsync("/api/v1/runs", $$"""{"runs":[{"id":"later","type":"report","runAt":"{{runAt}}"}]}""")).ExpectAsync(201);
        var done = await WaitForStatusAsync(host, "later", "success");
        Assert.True(done.GetProperty("startedAt").GetDateTimeOffset() >= DateTimeOffset.Parse(runAt, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Handlers_report_progress_tools_results_and_retries(Engine engine)
    {
        await using var host = await StartAsync(engine);
        var http = host.Client(TestHost.WriteKey);
        await using var ws = await host.ConnectAsync("/ws/task/r1");
        await (await http.PostJsonAsync("/api/v1/runs", """
            {"runs":[{"id":"r1","type":"report","payload":{"n":1}},{"id":"r2","type":"report","payload":{"failFirst":true}},
                     {"id":"r3","type":"report","payload":{"fatal":true}},{"id":"n1","type":"noop"}]}
            """)).ExpectAsync(201);

        await WaitForStatusAsync(host, "r1", "success");
        var run = await (await http.GetAsync("/api/v1/runs/r1")).ExpectAsync(200);
        Assert.Equal("""{"attempt":1,"echo":{"n":1}}""", run.GetProperty("result").GetRawText());
        var types = new List<string>();
        while (types.LastOrDefault() != "complete")
        {
            types.Add((await ws.ReceiveJsonAsync()).GetProperty("type").GetString()!);
        }
        Assert.Equal(["created", "event", "progress", "tool", "tool", "complete"], types);

        await WaitForStatusAsync(host, "r2", "success");
        Assert.Equal(2, (await (await http.GetAsync("/api/v1/runs/r2")).ExpectAsync(200)).GetProperty("attempt").GetInt32());
        var fatal = await WaitForStatusAsync(host, "r3", "failed");
        Assert.Equal("cannot ever work (not retryable)", fatal.GetProperty("error").GetString());
        await WaitForStatusAsync(host, "n1", "success");
    }

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Cancel_and_timeout_reach_the_handler_through_its_token(Engine engine)
    {
        await using var host = await StartAsync(engine);
        var http = host.Client(TestHost.WriteKey);
        await (await http.PostJsonAsync("/api/v1/runs", """{"runs":[{"id":"stop-me","type":"block"},{"id":"slow","type":"block","timeoutSeconds":1,"maxRetries":0}]}""")).ExpectAsync(201);
        await WaitForStatusAsync(host, "stop-me", "in-progress"); // its run started

        Assert.Equal(202, (int)(await http.PostJsonAsync("/api/v1/tasks/stop-me/cancel", "{}")).StatusCode);
        await WaitForStatusAsync(host, "stop-me", "canceled");
        var slow = await WaitForStatusAsync(host, "slow", "failed");
        Assert.Equal("timed out after 1 s (attempt 1 of 1; no retries left)", slow.GetProperty("error").GetString());
    }

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Shutdown_drains_then_interrupts_and_the_run_is_retried_after_restart(Engine engine)
    {
        await using var db = await TestDatabase.CreateAsync(engine);
        var settings = new Dictionary<string, string?> { ["Workers:DrainSeconds"] = "1" };
        var first = await StartAsync(engine, db, settings);
        var http = first.Client(TestHost.WriteKey);
        await (await http.PostJsonAsync("/api/v1/runs", """{"runs":[{"id":"long","type":"block","maxRetries":1}]}""")).ExpectAsync(201);
        await WaitForStatusAsync(first, "long", "in-progress"); // its run started
        await first.DisposeAsync();

        await using var second = await TestHost.StartAsync(engine, settings, db, server: s => s.AddHandler<ReportingHandler>("block"));
        var task = await WaitForStatusAsync(second, "long", "success");
        var events = await (await second.Client(TestHost.WriteKey).GetAsync("/api/v1/tasks/long/events?limit=100")).ExpectAsync(200);
        Assert.Contains(events.GetProperty("data").EnumerateArray(), e => e.GetProperty("message").GetString()!.StartsWith("Attempt 1 failed: interrupted by shutdown", StringComparison.Ordinal));
        Assert.Equal(100, task.GetProperty("progress").GetInt32());
    }
    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task A_local_queue_reserves_ahead_but_starts_a_run_only_when_a_slot_frees(Engine engine)
    {
        await using var host = await StartAsync(engine, settings: new Dictionary<string, string?> { ["Workers:Prefetch"] = "10" });
        var http = host.Client(TestHost.WriteKey);
        var blockers = Enumerable.Range(1, 4).Select(i => $"b{i}").ToList();
        await (await http.PostJsonAsync("/api/v1/runs", $$$"""{"runs":[{{{string.Join(",", blockers.Select(b => $$"""{"id":"{{b}}","type":"block","priority":90}"""))}}}]}""")).ExpectAsync(201);
        foreach (var b in blockers)
        {
            await WaitForStatusAsync(host, b, "in-progress");
        }

        // Every slot is busy: these wait reserved in the local queue, and their tasks are still pending.
        await (await http.PostJsonAsync("/api/v1/runs", """{"runs":[{"id":"q1","type":"noop"},{"id":"q2","type":"report"},{"id":"q3","type":"noop"}]}""")).ExpectAsync(201);
        foreach (var q in new[] { "q1", "q2", "q3" })
        {
            await Eventually.TrueAsync(async () => (await (await http.GetAsync($"/api/v1/runs/{q}")).ExpectAsync(200)).GetProperty("state").GetString() == "reserved",
                $"{q} is reserved");
            Assert.Equal("pending", (await (await http.GetAsync($"/api/v1/tasks/{q}")).ExpectAsync(200)).GetProperty("status").GetString());
        }
        // A reserved run is canceled at once, like a pending one; its handler never runs.
        Assert.Equal(200, (int)(await http.PostJsonAsync("/api/v1/tasks/q1/cancel", "{}")).StatusCode);

        foreach (var b in blockers)
        {
            Assert.Equal(202, (int)(await http.PostJsonAsync($"/api/v1/tasks/{b}/cancel", "{}")).StatusCode);
        }
        await WaitForStatusAsync(host, "q2", "success");
        await WaitForStatusAsync(host, "q3", "success");
        var q1 = await (await http.GetAsync("/api/v1/tasks/q1/events?limit=10")).ExpectAsync(200);
        Assert.DoesNotContain(q1.GetProperty("data").EnumerateArray(), e => e.GetProperty("message").GetString()!.Contains("started", StringComparison.Ordinal));
        Assert.Equal("canceled", (await (await http.GetAsync("/api/v1/tasks/q1")).ExpectAsync(200)).GetProperty("status").GetString());
        // The handler's reports come after its start, whatever order the writes were issued in.
        var q2 = (await (await http.GetAsync("/api/v1/tasks/q2/events?limit=10")).ExpectAsync(200)).GetProperty("data").EnumerateArray()
            .OrderBy(e => e.GetProperty("seq").GetInt64()).ToList();
        Assert.StartsWith("Attempt 1 started by worker", q2[1].GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal("progress", q2[2].GetProperty("type").GetString());

        // A burst far larger than the slots and the local queue drains completely.
        await (await http.PostJsonAsync("/api/v1/runs", $$$"""{"runs":[{{{string.Join(",", Enumerable.Range(0, 200).Select(i => $$"""{"id":"n{{i}}","type":"noop"}"""))}}}]}""")).ExpectAsync(201);
        for (var i = 0; i < 200; i += 37)
        {
            await WaitForStatusAsync(host, $"n{i}", "success");
        }
        await WaitForStatusAsync(host, "n199", "success");
    }

    [Fact]
    public async Task The_worker_keeps_claiming_after_its_claims_failed_while_the_database_was_locked()
    {
        await using var db = await TestDatabase.CreateAsync(Engine.Sqlite);
        await using var host = await StartAsync(Engine.Sqlite, db, new() { ["Spectral:WriteTimeout"] = "00:00:00.500", ["Workers:Queues:default"] = "2" });
        var http = host.Client(TestHost.WriteKey);
        var claims = host.Services.GetRequiredService<SpectralNotify.Health.HealthRegistry>().Component("worker-claim:default");

        // Another connection holds the write lock: every claim fails for a while (each one has taken room in the local queue).
        await using (var other = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={db.Parsed.Value};Pooling=False"))
        {
            other.Open();
            using var command = other.CreateCommand();
            command.CommandText = "BEGIN IMMEDIATE";
            command.ExecuteNonQuery();
            while (claims.Failures < 3)
            {
                await claims.NextPass.WaitAsync(TimeSpan.FromSeconds(30));
            }
            Assert.NotNull(claims.Problem);
            command.CommandText = "ROLLBACK";
            command.ExecuteNonQuery();
        }

        // Released: runs enqueued now are all handled, so no failed claim kept its room.
        var ids = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            var run = await (await http.PostJsonAsync("/api/v1/runs", """{"runs":[{"type":"report","payload":{}}]}""")).ExpectAsync(201);
            ids.Add(run.GetProperty("runs")[0].GetProperty("id").GetString()!);
        }
        foreach (var id in ids)
        {
            await WaitForStatusAsync(host, id, "success");
        }
        Assert.Null(claims.Problem);
    }
}
