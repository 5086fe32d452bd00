using System.Net.WebSockets;
using System.Text.Json;
using SpectralNotify.Tests.Infrastructure;

namespace SpectralNotify.Tests.Live;

/// <summary>WebSocket and SSE delivery: shapes, order, resume, snapshot, keep-alive, on both engines.</summary>
public sealed class LiveUpdateTests
{
    private static long Seq(JsonElement m) => m.GetProperty("seq").GetInt64();
    private static string Type(JsonElement m) => m.GetProperty("type").GetString()!;

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Subscriber_before_create_sees_every_change_in_reference_shapes(Engine engine)
    {
        await using var host = await TestHost.StartAsync(engine);
        var http = host.Client();
        await using var ws = await host.ConnectAsync("/ws/task/t1");
        await http.CreateTaskAsync("t1", ""","metadata":{"author":"me"}""");
        await (await http.PostJsonAsync("/api/v1/tasks/t1/progress", """{"progress":42.5}""")).ExpectAsync(200);
        await (await http.PostJsonAsync("/api/v1/tasks/t1/events", """{"type":"log","message":"hello","progress":50}""")).ExpectAsync(201);
        await (await http.PostJsonAsync("/api/v1/tasks/t1/fail", """{"error":"disk full"}""")).ExpectAsync(200);

        var messages = await ws.ReceiveThroughSeqAsync(4);
        Assert.Equal(["created", "progress", "event", "fail"], messages.Select(Type));
        Assert.Equal([1L, 2L, 3L, 4L], messages.Select(Seq));

        var progress = messages[1];
        Assert.Equal(["type", "taskId", "progress", "task", "timestamp", "seq"], progress.EnumerateObject().Select(p => p.Name));
        Assert.Equal(42.5, progress.GetProperty("progress").GetDouble());
        var task = progress.GetProperty("task");
        Assert.Equal(["id", "taskId", "status", "progress", "createdAt", "updatedAt", "completedAt", "failedAt", "canceledAt", "metadata"],
            task.EnumerateObject().Select(p => p.Name));
        Assert.Equal(1, task.GetProperty("id").GetInt32());
        Assert.Equal("in-progress", task.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, task.GetProperty("completedAt").ValueKind);
        Assert.Equal("""{"author":"me"}""", task.GetProperty("metadata").GetString());
        Assert.Equal(task.GetProperty("updatedAt").GetString(), progress.GetProperty("timestamp").GetString());

        var ev = messages[2].GetProperty("event");
        Assert.Equal(["eventType", "message", "progress", "timestamp"], ev.EnumerateObject().Select(p => p.Name));
        Assert.Equal(("log", "hello"), (ev.GetProperty("eventType").GetString(), ev.GetProperty("message").GetString()));

        var fail = messages[3];
        Assert.Equal(["type", "taskId", "error", "task", "timestamp", "seq"], fail.EnumerateObject().Select(p => p.Name));
        Assert.Equal("disk full", fail.GetProperty("error").GetString());
        Assert.Equal("failed", fail.GetProperty("task").GetProperty("status").GetString());
    }

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Resume_after_seq_replays_then_continues_live_without_gap_or_duplicate(Engine engine)
    {
        await using var host = await TestHost.StartAsync(engine);
        var http = host.Client();
        await http.CreateTaskAsync("t1");
        for (var i = 0; i < 20; i++)
        {
            await (await http.PostJsonAsync("/api/v1/tasks/t1/events", $$"""{"type":"log","message":"before {{i}}"}""")).ExpectAsync(201);
        }
        await using var ws = await host.ConnectAsync("/ws/task/t1?after=5");
        // Writers race the replay: whatever interleaving happens, the subscriber must see 6..41 once each, in order.
        var writers = Task.Run(async () =>
        {
            for (var i = 0; i < 20; i++)
            {
                await (await http.PostJsonAsync("/api/v1/tasks/t1/events", $$"""{"type":"log","message":"after {{i}}"}""")).ExpectAsync(201);
            }
        });
        var messages = await ws.ReceiveThroughSeqAsync(41);
        await writers;
        Assert.Equal(Enumerable.Range(6, 36).Select(i => (long)i), messages.Select(Seq));
        Assert.Equal("before 4", messages[0].GetProperty("event").GetProperty("message").GetString());
        Assert.Equal("after 19", messages[^1].GetProperty("event").GetProperty("message").GetString());
    }

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Many_concurrent_writers_reach_a_subscriber_in_seq_order(Engine engine)
    {
        await using var host = await TestHost.StartAsync(engine);
        var http = host.Client();
        await http.CreateTaskAsync("hot");
        await using var ws = await host.ConnectAsync("/ws/task/hot?after=1");
        await Task.WhenAll(Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
        {
            using var client = host.Client();
            for (var i = 0; i < 40; i++)
            {
                await (await client.PostJsonAsync("/api/v1/tasks/hot/progress", $$"""{"progress":{{i}}}""")).ExpectAsync(200);
            }
        })));
        var messages = await ws.ReceiveThroughSeqAsync(321);
        Assert.Equal(Enumerable.Range(2, 320).Select(i => (long)i), messages.Select(Seq));
    }

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Snapshot_comes_first_and_live_updates_continue_from_its_seq(Engine engine)
    {
        await using var host = await TestHost.StartAsync(engine);
        var http = host.Client();
        await http.CreateTaskAsync("t1", ""","title":"snap" """);
        await (await http.PostJsonAsync("/api/v1/tasks/t1/progress", """{"progress":10}""")).ExpectAsync(200);
        await using var ws = await host.ConnectAsync("/ws/task/t1?snapshot=true");
        var snapshot = await ws.ReceiveJsonAsync();
        Assert.Equal(("snapshot", 2L), (Type(snapshot), Seq(snapshot)));
        Assert.Equal("snap", snapshot.GetProperty("task").GetProperty("title").GetString());
        Assert.Equal(10, snapshot.GetProperty("task").GetProperty("progress").GetDouble());
        await (await http.PostJsonAsync("/api/v1/tasks/t1/complete", "{}")).ExpectAsync(200);
        var next = await ws.ReceiveJsonAsync();
        Assert.Equal(("complete", 3L), (Type(next), Seq(next)));

        await using var empty = await host.ConnectAsync("/ws/task/not-yet?snapshot=true");
        var none = await empty.ReceiveJsonAsync();
        Assert.Equal(JsonValueKind.Null, none.GetProperty("task").ValueKind);
        Assert.Equal(0, Seq(none));
    }

    [Fact]
    public async Task Ping_pong_and_invalid_messages()
    {
        await using var host = await TestHost.StartAsync(Engine.Sqlite);
        await using var ws = await host.ConnectAsync("/ws/task/t1");
        await ws.SendTextAsync("ping");
        Assert.Equal("pong", await ws.ReceiveTextAsync());
        await ws.SendTextAsync("""{"type":"ping"}""");
        var pong = await ws.ReceiveJsonAsync();
        Assert.Equal("pong", Type(pong));
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", pong.GetProperty("timestamp").GetString());
        await ws.SendTextAsync("{not json");
        Assert.Equal("""{"type":"error","message":"Invalid message format"}""", await ws.ReceiveTextAsync());
        await ws.SendTextAsync("null");
        Assert.Equal("""{"type":"error","message":"Invalid message format"}""", await ws.ReceiveTextAsync());
        await ws.SendTextAsync("""{"type":"something-else"}""");
        await ws.SendTextAsync("ping");
        Assert.Equal("pong", await ws.ReceiveTextAsync());
    }

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Sse_stream_resumes_from_last_event_id(Engine engine)
    {
        await using var host = await TestHost.StartAsync(engine);
        var http = host.Client();
        await http.CreateTaskAsync("t1");
        for (var i = 1; i <= 4; i++)
        {
            await (await http.PostJsonAsync("/api/v1/tasks/t1/progress", $$"""{"progress":{{i * 10}}}""")).ExpectAsync(200);
        }
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/tasks/t1/stream");
        request.Headers.Add("Last-Event-ID", "3");
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        using var response = await host.Client(TestHost.ReadKey).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cts.Token);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var sse = new SseReader(await response.Content.ReadAsStreamAsync(cts.Token));
        var first = await sse.NextAsync(cts.Token);
        var second = await sse.NextAsync(cts.Token);
        await (await http.PostJsonAsync("/api/v1/tasks/t1/complete", "{}")).ExpectAsync(200);
        var third = await sse.NextAsync(cts.Token);
        Assert.Equal([("4", "progress"), ("5", "progress"), ("6", "complete")],
            new[] { first, second, third }.Select(e => (e!.Value.Id, e.Value.Event)));
        using var doc = JsonDocument.Parse(third!.Value.Data);
        Assert.Equal(6, doc.RootElement.GetProperty("seq").GetInt64());
    }

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Deleting_a_task_tells_subscribers_and_a_recreated_task_starts_at_seq_one(Engine engine)
    {
        await using var host = await TestHost.StartAsync(engine);
        var http = host.Client();
        await http.CreateTaskAsync("t1");
        await using var ws = await host.ConnectAsync("/ws/task/t1?after=1");
        await (await http.PostJsonAsync("/api/v1/tasks/t1/progress", """{"progress":5}""")).ExpectAsync(200);
        Assert.Equal(2, Seq(await ws.ReceiveJsonAsync()));
        (await http.DeleteAsync("/api/v1/tasks/t1")).EnsureSuccessStatusCode();
        Assert.Equal("deleted", Type(await ws.ReceiveJsonAsync()));
        await http.CreateTaskAsync("t1");
        var created = await ws.ReceiveJsonAsync();
        Assert.Equal(("created", 1L), (Type(created), Seq(created)));
    }

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Slow_consumer_is_closed_with_4008_and_resumes_by_seq(Engine engine)
    {
        await using var host = await TestHost.StartAsync(engine, new Dictionary<string, string?> { ["Spectral:SubscriberQueueCapacity"] = "4" });
        var http = host.Client();
        // Big task metadata makes every live message ~60 KB, so socket buffers fill quickly.
        var filler = new string('x', 60_000);
        await http.CreateTaskAsync("t1", $$""","metadata":{"filler":"{{filler}}"}""");
        var slow = new ClientWebSocket();
        slow.Options.SetBuffer(1024, 1024);
        slow.Options.SetRequestHeader("X-API-Key", TestHost.ReadKey);
        await slow.ConnectAsync(host.WebSocketUri("/ws/task/t1?after=1"), CancellationToken.None);
        const int Total = 400;
        for (var i = 0; i < Total; i++)
        {
            await (await http.PostJsonAsync("/api/v1/tasks/t1/events", $$"""{"type":"log","message":"m{{i}}"}""")).ExpectAsync(201);
        }
        // Now read: some messages in order, then the server's close frame with 4008.
        await using var reader = new LiveClient(slow);
        long last = 1;
        while (await reader.ReceiveTextAsync(TimeSpan.FromSeconds(30)) is { } text)
        {
            using var doc = JsonDocument.Parse(text);
            var seq = doc.RootElement.GetProperty("seq").GetInt64();
            Assert.Equal(last + 1, seq);
            last = seq;
        }
        Assert.Equal((WebSocketCloseStatus)4008, slow.CloseStatus);
        Assert.Contains($"after={last}", slow.CloseStatusDescription, StringComparison.Ordinal);
        Assert.True(last < Total + 1, "the subscriber should have been cut off before the end");

        await using var resumed = await host.ConnectAsync($"/ws/task/t1?after={last}");
        var rest = await resumed.ReceiveThroughSeqAsync(Total + 1, TimeSpan.FromSeconds(30));
        Assert.Equal(Enumerable.Range((int)last + 1, Total + 1 - (int)last).Select(i => (long)i), rest.Select(Seq));
    }

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Live_connections_are_listed_as_sessions(Engine engine)
    {
        await using var host = await TestHost.StartAsync(engine);
        var admin = host.Client();
        async Task<JsonElement[]> Sessions(string q) =>
            (await (await admin.GetAsync($"/api/v1/sessions{q}")).ExpectAsync(200)).GetProperty("data").EnumerateArray().ToArray();

        var ws = await host.ConnectAsync("/ws/task/watched?clientId=dashboard-1");
        JsonElement[] active = [];
        await Eventually.TrueAsync(async () => (active = await Sessions("?active=true")).Length == 1, "the WebSocket session is recorded");
        var s = active[0];
        Assert.Equal(("dashboard-1", "websocket", "task", "watched", true),
            (s.GetProperty("clientId").GetString(), s.GetProperty("connectionType").GetString(), s.GetProperty("entityType").GetString(),
             s.GetProperty("entityId").GetString(), s.GetProperty("active").GetBoolean()));
        Assert.False(string.IsNullOrEmpty(s.GetProperty("nodeId").GetString()));
        await ws.DisposeAsync();
        await Eventually.TrueAsync(async () => (await Sessions("?active=true")).Length == 0, "the closed session is marked inactive");
        Assert.Single(await Sessions("?active=false"));
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, (await host.Client(TestHost.WriteKey).GetAsync("/api/v1/sessions")).StatusCode);
    }
}
