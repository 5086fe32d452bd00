using System.Net.WebSockets;
using SpectralNotify.Tests.Infrastructure;

namespace SpectralNotify.Tests.Live.V2;

/// <summary>The run topic (progress from the worker, the result at the end) and what belongs to the connection: heartbeats, one byte budget.</summary>
public sealed class LiveV2RunAndConnectionTests
{
    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task A_connections_session_row_says_what_it_watches_as_subscriptions_come_and_go(Engine engine)
    {
        await using var host = await TestHost.StartAsync(engine);
        var admin = host.Client();
        await (await admin.PostJsonAsync("/api/v1/tasks", """{"id":"watched"}""")).ExpectAsync(201);
        async Task<string?> Watching()
        {
            var sessions = (await (await admin.GetAsync("/api/v1/sessions?active=true")).ExpectAsync(200)).GetProperty("data").EnumerateArray()
                .Where(s => s.GetProperty("entityType").GetString() == "live").ToList();
            return sessions.Count == 1 ? sessions[0].GetProperty("entityId").GetString() : null;
        }

        await using var live = await V2Client.ConnectAsync(host);
        await live.SendAsync(new { type = "subscribe", id = "T", topic = "task:watched" });
        await live.NextOfAsync("T");
        await live.SendAsync(new { type = "subscribe", id = "L", topic = "tasks", filter = new { status = new[] { "failed" } } });
        await live.NextOfAsync("L");
        // Written about a second after the change, both subscriptions in one write.
        await Eventually.TrueAsync(async () => await Watching() == "task:watched, tasks {\"status\":[\"failed\"]}", "the session names both subscriptions");

        await live.SendAsync(new { type = "unsubscribe", id = "T" });
        await Eventually.TrueAsync(async () => await Watching() == "tasks {\"status\":[\"failed\"]}", "the session drops the unsubscribed topic");
        await live.SendAsync(new { type = "unsubscribe", id = "L" });
        await Eventually.TrueAsync(async () => await Watching() == "none", "a connection with no subscription watches none");
    }

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task A_run_topic_carries_the_run_and_its_task_and_ends_with_the_result(Engine engine)
    {
        await using var host = await TestHost.StartAsync(engine);
        var http = host.Client();
        var enqueued = await (await http.PostJsonAsync("/api/v1/runs", """{"runs":[{"id":"r1","type":"mail","queue":"q-live"}]}""")).ExpectAsync(201);
        Assert.Equal("r1", enqueued.GetProperty("runs")[0].GetProperty("id").GetString());
        await using var live = await V2Client.ConnectAsync(host);
        await live.SendAsync(new { type = "subscribe", id = "R", topic = "run:r1", snapshot = true });
        var subscribed = await live.NextOfAsync("R");
        Assert.Equal(1, subscribed.GetProperty("seq").GetInt64());
        var snapshot = await live.NextOfAsync("R");
        Assert.Equal("pending", snapshot.GetProperty("entity").GetProperty("state").GetString());

        var claimed = (await (await http.PostJsonAsync("/api/v1/workers/claim", """{"workerId":"w","queues":["q-live"]}""")).ExpectAsync(200)).GetProperty("runs")[0];
        var lease = claimed.GetProperty("leaseToken").GetString();
        await (await http.PostJsonAsync("/api/v1/tasks/r1/progress", """{"progress":40,"message":"half way"}""")).ExpectAsync(200);
        await (await http.PostJsonAsync("/api/v1/runs/r1/complete", $$$"""{"leaseToken":"{{{lease}}}","result":{"sent":3}}""")).ExpectAsync(200);

        var changes = new List<System.Text.Json.JsonElement>();
        System.Text.Json.JsonElement end;
        while (true)
        {
            var m = await live.NextOfAsync("R");
            if (m.Type() == "end")
            {
                end = m;
                break;
            }
            Assert.Equal("change", m.Type());
            changes.Add(m);
        }
        Assert.Equal(Enumerable.Range(2, changes.Count).Select(i => (long)i), changes.Select(m => m.GetProperty("seq").GetInt64()));
        Assert.Equal("success", end.GetProperty("reason").GetString());
        // The worker's progress write carries no run, so it is read from storage and its task is the task at
        // read time (docs/realtime.md: replayed changes carry the entity as it is now), possibly already done.
        // The event itself is exact.
        Assert.Contains(changes, m => m.GetProperty("event").TryGetProperty("progress", out var p) && p.GetDouble() == 40
            && m.GetProperty("event").GetProperty("message").GetString() == "half way");
        var last = changes[^1];
        Assert.Equal("done", last.GetProperty("entity").GetProperty("state").GetString());
        Assert.Equal("""{"sent":3}""", last.GetProperty("entity").GetProperty("result").GetRawText());
        Assert.Equal("success", last.GetProperty("task").GetProperty("status").GetString());
        Assert.False(last.GetProperty("entity").TryGetProperty("leaseToken", out _)); // only the claiming worker sees it
    }

    [Fact]
    public async Task A_quiet_connection_gets_heartbeats()
    {
        await using var host = await TestHost.StartAsync(Engine.Sqlite, new Dictionary<string, string?> { ["Spectral:LiveHeartbeat"] = "00:00:00.300" });
        await using var live = await V2Client.ConnectAsync(host);
        Assert.Equal(1, live.Received[0].GetProperty("heartbeatSeconds").GetInt32()); // rounded up to whole seconds for clients
        await live.NextAsync(m => m.Type() == "heartbeat", TimeSpan.FromSeconds(10));
        await live.NextAsync(m => m.Type() == "heartbeat", TimeSpan.FromSeconds(10));
    }

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task A_client_that_stops_reading_is_closed_as_slow_once_its_subscriptions_together_pass_the_byte_budget(Engine engine)
    {
        await using var host = await TestHost.StartAsync(engine, new Dictionary<string, string?>
        {
            ["Spectral:SubscriberQueueCapacity"] = "100000",
            ["Spectral:SubscriberQueueBytes"] = "262144",
        });
        var http = host.Client();
        await using var live = await V2Client.ConnectAsync(host);
        var filler = new string('x', 30_000);
        for (var i = 0; i < 4; i++)
        {
            await http.CreateTaskAsync($"t{i}", $$""","metadata":{"filler":"{{filler}}"}""");
            await live.SendAsync(new { type = "subscribe", id = $"s{i}", topic = $"task:t{i}" });
            await live.NextOfAsync($"s{i}");
        }
        // The client reads nothing more: ~30 KB per message (the task rides along), over the shared budget within a few rounds.
        var metrics = host.Services.GetRequiredService<SpectralNotify.Server.Observability.SpectralMetrics>();
        var closed = false;
        for (var round = 0; round < 300 && !closed; round++)
        {
            await Task.WhenAll(Enumerable.Range(0, 4).Select(i => http.PostJsonAsync($"/api/v1/tasks/t{i}/events", $$"""{"type":"log","message":"r{{round}}"}""")));
            closed = metrics.SlowConsumersClosed.Value > 0;
        }
        Assert.True(closed, "the connection was never closed as slow");
        // Reading again lets the frame in flight finish; then the close frame says why.
        string? last;
        do
        {
            last = await live.Socket.ReceiveTextAsync(TimeSpan.FromSeconds(30));
        }
        while (last is not null);
        Assert.Equal((WebSocketCloseStatus)4008, live.Socket.Socket.CloseStatus);
    }
}
