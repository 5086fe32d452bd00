using System.Net.WebSockets;
using System.Text.Json;
using SpectralNotify.Tests.Infrastructure;

namespace SpectralNotify.Tests.MultiNode;

/// <summary>Two real server processes on one PostgreSQL database.</summary>
public sealed class MultiNodeTests
{
    private const string Key = "multi-node-key-0000000001";

    [Fact]
    public async Task Subscriber_on_node_A_receives_500_events_posted_through_node_B_in_order()
    {
        await using var db = await TestDatabase.CreateAsync(Engine.Postgres);
        // Both nodes start at once: the advisory lock makes them apply each migration exactly once.
        var starting = new[] { ServerProcess.StartServerAsync(db.Setting, Key, "node-a"), ServerProcess.StartServerAsync(db.Setting, Key, "node-b") };
        await using var a = await starting[0];
        await using var b = await starting[1];
        using var httpB = new HttpClient { BaseAddress = b.BaseAddress };
        httpB.DefaultRequestHeaders.Add("X-API-Key", Key);
        await httpB.CreateTaskAsync("shared");

        var socket = new ClientWebSocket();

        socket.Options.SetRequestHeader("X-API-Key", Key);
        await socket.ConnectAsync(new Uri($"ws://{a.BaseAddress.Authority}/ws/task/shared?after=1"), CancellationToken.None);
        await using var subscriber = new LiveClient(socket);

        // Four concurrent writers through node B; node A learns of every commit only through PostgreSQL.
        await Task.WhenAll(Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
        {
            using var http = new HttpClient { BaseAddress = b.BaseAddress };
            http.DefaultRequestHeaders.Add("X-API-Key", Key);
            for (var i = 0; i < 125; i++)
            {
                await (await http.PostJsonAsync("/api/v1/tasks/shared/events", $$"""{"type":"log","message":"w{{w}}-{{i}}"}""")).ExpectAsync(201);
            }
        })));

        var messages = await subscriber.ReceiveThroughSeqAsync(501, TimeSpan.FromSeconds(30));
        Assert.Equal(Enumerable.Range(2, 500).Select(i => (long)i), messages.Select(m => m.GetProperty("seq").GetInt64()));
        Assert.All(messages, m => Assert.Equal("event", m.GetProperty("type").GetString()));

        // A late subscriber on node A resumes from storage; node A's session list shows both nodes' watchers.
        var late = new ClientWebSocket();
        late.Options.SetRequestHeader("X-API-Key", Key);
        await late.ConnectAsync(new Uri($"ws://{a.BaseAddress.Authority}/ws/task/shared?after=490"), CancellationToken.None);
        await using var lateClient = new LiveClient(late);
        var tail = await lateClient.ReceiveThroughSeqAsync(501);
        Assert.Equal(Enumerable.Range(491, 11).Select(i => (long)i), tail.Select(m => m.GetProperty("seq").GetInt64()));

        var nodeBSocket = new ClientWebSocket();

        nodeBSocket.Options.SetRequestHeader("X-API-Key", Key);
        await nodeBSocket.ConnectAsync(new Uri($"ws://{b.BaseAddress.Authority}/ws/task/shared"), CancellationToken.None);
        await using var nodeBClient = new LiveClient(nodeBSocket);
        using var httpA = new HttpClient { BaseAddress = a.BaseAddress };
        httpA.DefaultRequestHeaders.Add("X-API-Key", Key);
        await Eventually.TrueAsync(async () =>
        {
            var sessions = await (await httpA.GetAsync("/api/v1/sessions?active=true")).ExpectAsync(200);
            var nodes = sessions.GetProperty("data").EnumerateArray().Select(s => s.GetProperty("nodeId").GetString()).Distinct().ToList();
            return nodes.Contains("node-a") && nodes.Contains("node-b");
        }, "sessions of both nodes are visible from node A");
    }

    [Fact]
    public async Task Updates_posted_on_A_reach_subscribers_on_B_with_full_payload_and_large_changes_repaired_from_storage()
    {
        await using var db = await TestDatabase.CreateAsync(Engine.Postgres);
        await using var a = await ServerProcess.StartServerAsync(db.Setting, Key, "node-a");
        await using var b = await ServerProcess.StartServerAsync(db.Setting, Key, "node-b");
        using var httpA = new HttpClient { BaseAddress = a.BaseAddress };
        httpA.DefaultRequestHeaders.Add("X-API-Key", Key);
        // 20 KB of task metadata: too big for one NOTIFY (8,000 bytes), so node B reads the change from storage.
        var filler = new string('y', 20_000);
        await httpA.CreateTaskAsync("big", $$""","metadata":{"filler":"{{filler}}"}""");
        var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("X-API-Key", Key);
        await socket.ConnectAsync(new Uri($"ws://{b.BaseAddress.Authority}/ws/task/big?after=1"), CancellationToken.None);
        await using var sub = new LiveClient(socket);
        await (await httpA.PostJsonAsync("/api/v1/tasks/big/progress", """{"progress":33}""")).ExpectAsync(200);
        await (await httpA.PostJsonAsync("/api/v1/tasks/big/complete", "{}")).ExpectAsync(200);
        var messages = await sub.ReceiveThroughSeqAsync(3, TimeSpan.FromSeconds(15));
        Assert.Equal(["progress", "complete"], messages.Select(m => m.GetProperty("type").GetString()));
        Assert.Equal(33, messages[0].GetProperty("progress").GetDouble());
        using var meta = JsonDocument.Parse(messages[1].GetProperty("task").GetProperty("metadata").GetString()!);
        Assert.Equal(filler, meta.RootElement.GetProperty("filler").GetString());
    }

    [Fact]
    public async Task Counter_increments_through_node_B_reach_a_counter_subscriber_on_node_A()
    {
        await using var db = await TestDatabase.CreateAsync(Engine.Postgres);
        await using var a = await ServerProcess.StartServerAsync(db.Setting, Key, "node-a");
        await using var b = await ServerProcess.StartServerAsync(db.Setting, Key, "node-b");
        using var httpB = new HttpClient { BaseAddress = b.BaseAddress };
        httpB.DefaultRequestHeaders.Add("X-API-Key", Key);
        await (await httpB.PostJsonAsync("/api/v1/counters", """{"name":"shared"}""")).ExpectAsync(201);
        var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("X-API-Key", Key);
        await socket.ConnectAsync(new Uri($"ws://{a.BaseAddress.Authority}/ws/counter/shared?after=1"), CancellationToken.None);
        await using var sub = new LiveClient(socket);
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            for (var i = 0; i < 25; i++)
            {
                await (await httpB.PostJsonAsync("/api/v1/counters/shared/increment", "{}")).ExpectAsync(200);
            }
        })));
        var messages = await sub.ReceiveThroughSeqAsync(101, TimeSpan.FromSeconds(30));
        Assert.Equal(Enumerable.Range(2, 100).Select(i => (long)i), messages.Select(m => m.GetProperty("seq").GetInt64()));
        Assert.Equal(100, messages[^1].GetProperty("value").GetInt32());
    }

    /// <summary>
    /// Both nodes run the scheduler. A job firing every second keeps firing exactly once per second
    /// after one node is killed: no firing is lost and none is doubled, because each due job is
    /// locked by the one node that fires it and its next fire time commits with the run.
    /// </summary>
    [Fact]
    public async Task A_schedule_fires_once_per_tick_across_nodes_and_survives_a_killed_node()
    {
        await using var db = await TestDatabase.CreateAsync(Engine.Postgres);
        var starting = new[] { ServerProcess.StartServerAsync(db.Setting, Key, "node-a"), ServerProcess.StartServerAsync(db.Setting, Key, "node-b") };
        var a = await starting[0];
        await using var b = await starting[1];
        using var httpB = new HttpClient { BaseAddress = b.BaseAddress };
        httpB.DefaultRequestHeaders.Add("X-API-Key", Key);
        // No handler takes type "tick", so every firing stays visible as a pending run.
        await (await httpB.PostJsonAsync("/api/v1/jobs", """{"id":"tick","type":"tick","schedule":{"intervalSeconds":1}}""")).ExpectAsync(201);

        async Task<List<DateTimeOffset>> FiringsAsync()
        {
            var runs = await (await httpB.GetAsync("/api/v1/jobs/tick/runs?limit=500")).ExpectAsync(200);
            return [.. runs.GetProperty("data").EnumerateArray().Select(r => r.GetProperty("scheduledAt").GetDateTimeOffset()).Order()];
        }
        await Eventually.TrueAsync(async () => (await FiringsAsync()).Count >= 3, "three firings with both nodes up", TimeSpan.FromSeconds(20));
        a.Kill();
        await a.DisposeAsync();
        var atKill = (await FiringsAsync()).Count;
        await Eventually.TrueAsync(async () => (await FiringsAsync()).Count >= atKill + 3, "three more firings after node A was killed", TimeSpan.FromSeconds(20));

        var firings = await FiringsAsync();
        Assert.Equal(firings.Count, firings.Distinct().Count());
        Assert.All(firings.Zip(firings.Skip(1)), pair => Assert.Equal(TimeSpan.FromSeconds(1), pair.Second - pair.First));
    }
}
