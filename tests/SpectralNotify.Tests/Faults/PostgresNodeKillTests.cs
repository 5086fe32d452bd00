using System.Collections.Concurrent;
using System.Text.Json;
using SpectralNotify.Tests.Infrastructure;

namespace SpectralNotify.Tests.Faults;

/// <summary>
/// Two real server processes on one PostgreSQL database (a fresh schema on the shared test
/// instance; only server processes are killed, never PostgreSQL). kill -9 of one node: the other
/// keeps serving, rescues the dead node's lease, and every write the dead node acknowledged is
/// readable through the survivor, once.
/// </summary>
public sealed class PostgresNodeKillTests(ITestOutputHelper output)
{
    private const string Key = "faults-node-key-000000001";

    private static Dictionary<string, string> Env() => new()
    {
        // The test is the only worker (over HTTP), and lease expiry is noticed within 200 ms.
        ["Workers__Enabled"] = "false",
        ["Spectral__SchedulerInterval"] = "00:00:00.200",
    };

    /// <summary>Two nodes on one database, started together (the advisory lock applies each migration once).</summary>
    private static (Task<ServerProcess> A, Task<ServerProcess> B) StartNodes(TestDatabase db) =>
        (ServerProcess.StartServerAsync(db.Setting, Key, "node-a", settings: Env()),
         ServerProcess.StartServerAsync(db.Setting, Key, "node-b", settings: Env()));

    [Fact]
    public async Task A_run_claimed_through_a_killed_node_is_rescued_by_the_survivor_and_completed_once()
    {
        await using var db = await TestDatabase.CreateAsync(Engine.Postgres);
        var (startA, startB) = StartNodes(db);
        await using var a = await startA;
        await using var b = await startB;
        using var httpA = Client(a);
        using var httpB = Client(b);

        await (await httpB.PostJsonAsync("/api/v1/runs", """{"runs":[{"id":"rescued","type":"remote","payload":{}}]}""")).ExpectAsync(201);
        var first = await ClaimAsync(httpB, "worker-on-b");
        Assert.Equal(1, first.GetProperty("attempt").GetInt32());
        var staleToken = first.GetProperty("leaseToken").GetString();

        b.Kill();
        var killedAt = DateTime.UtcNow;
        // The survivor serves writes and reads at once.
        await httpA.CreateTaskAsync("after-kill");
        await (await httpA.PostJsonAsync("/api/v1/tasks/after-kill/events", """{"type":"log","message":"still here"}""")).ExpectAsync(201);
        await (await httpA.GetAsync("/api/v1/tasks/after-kill")).ExpectAsync(200);

        // The 5 s lease runs out; node A's scheduler fails the attempt and puts the run back.
        await Eventually.TrueAsync(async () =>
            (await (await httpA.GetAsync("/api/v1/runs/rescued")).ExpectAsync(200)).GetProperty("state").GetString() == "pending",
            "the dead node's run goes back to pending once its lease expired", TimeSpan.FromSeconds(20));
        output.WriteLine($"back to pending {(DateTime.UtcNow - killedAt).TotalSeconds:F1} s after the kill (lease 5 s)");

        var second = await ClaimAsync(httpA, "worker-on-a");
        Assert.Equal(2, second.GetProperty("attempt").GetInt32());
        var token = second.GetProperty("leaseToken").GetString();
        await (await httpA.PostJsonAsync("/api/v1/runs/rescued/complete", $$$"""{"leaseToken":"{{{staleToken}}}","result":{"by":"old"}}""")).ExpectAsync(409);
        await (await httpA.PostJsonAsync("/api/v1/runs/rescued/complete", $$$"""{"leaseToken":"{{{token}}}","result":{"by":"a"}}""")).ExpectAsync(200);
        await (await httpA.PostJsonAsync("/api/v1/runs/rescued/complete", $$$"""{"leaseToken":"{{{token}}}","result":{"by":"a"}}""")).ExpectAsync(409);

        var run = await (await httpA.GetAsync("/api/v1/runs/rescued")).ExpectAsync(200);
        Assert.Equal(2, run.GetProperty("attempt").GetInt32());
        Assert.Equal("success", run.GetProperty("status").GetString());
        var types = (await ReadEventsAsync(httpA, "rescued")).Select(e => e.GetProperty("type").GetString()).ToList();
        Assert.Equal(1, types.Count(t => t == "success"));
    }

    [Fact]
    public async Task Every_write_acknowledged_before_a_node_is_killed_is_readable_through_the_survivor_once()
    {
        await using var db = await TestDatabase.CreateAsync(Engine.Postgres);
        var (startA, startB) = StartNodes(db);
        await using var a = await startA;
        await using var b = await startB;
        using var httpA = Client(a);
        const int Tasks = 8, Clients = 24, PerClientOnA = 60;
        for (var t = 0; t < Tasks; t++)
        {
            await httpA.CreateTaskAsync($"burst-{t}");
        }

        var acknowledged = new ConcurrentBag<(string Task, long Seq, string Message)>();
        var killed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var clients = Enumerable.Range(0, Clients).Select(c => Task.Run(async () =>
        {
            var node = c % 2 == 0 ? a : b;
            using var http = Client(node);
            var task = $"burst-{c % Tasks}";
            // Clients of node A keep going past the kill; clients of node B stop at their first failure.
            for (var n = 0; node == a ? n < PerClientOnA : true; n++)
            {
                var message = $"c{c}-{n}";
                try
                {
                    using var r = await http.PostJsonAsync($"/api/v1/tasks/{task}/events", $$"""{"type":"log","message":"{{message}}"}""");
                    var body = await r.ExpectAsync(201);
                    acknowledged.Add((task, body.GetProperty("seq").GetInt64(), message));
                }
                catch (HttpRequestException) when (node == b && killed.Task.IsCompleted)
                {
                    return;
                }
            }
        })).ToList();

        // Clients with odd numbers write through node B. Both nodes must have acknowledged writes before B dies:
        // on a loaded machine A alone could reach the count while B was still warming up.
        static bool ThroughB((string Task, long Seq, string Message) w) =>
            int.Parse(w.Message[1..w.Message.IndexOf('-')], System.Globalization.CultureInfo.InvariantCulture) % 2 == 1;
        await Eventually.TrueAsync(() => Task.FromResult(acknowledged.Count >= 300 && acknowledged.Any(ThroughB)),
            "the burst is under way on both nodes", TimeSpan.FromSeconds(30));
        killed.SetResult();
        b.Kill();
        await Task.WhenAll(clients);

        var stored = new Dictionary<string, List<JsonElement>>();
        for (var t = 0; t < Tasks; t++)
        {
            stored[$"burst-{t}"] = await ReadEventsAsync(httpA, $"burst-{t}");
        }
        var byNodeB = acknowledged.Count(ThroughB);
        output.WriteLine($"{acknowledged.Count} acknowledged writes ({byNodeB} through the killed node), {stored.Values.Sum(e => e.Count)} events stored");
        foreach (var (task, events) in stored)
        {
            var messages = events.Where(e => e.GetProperty("type").GetString() == "log").Select(e => e.GetProperty("message").GetString()!).ToList();
            Assert.Equal(messages.Count, messages.Distinct().Count());
            Assert.Equal(Enumerable.Range(1, events.Count).Select(i => (long)i), events.Select(e => e.GetProperty("seq").GetInt64()));
        }
        Assert.All(acknowledged, w =>
        {
            var e = stored[w.Task].Single(e => e.GetProperty("seq").GetInt64() == w.Seq);
            Assert.Equal(w.Message, e.GetProperty("message").GetString());
        });
        Assert.True(byNodeB > 0, "the killed node acknowledged writes before it died");
    }

    private static async Task<JsonElement> ClaimAsync(HttpClient http, string workerId)
    {
        // Long-polls until the run is due (after a lease expiry its retry waits out a short backoff).
        for (var deadline = DateTime.UtcNow.AddSeconds(20); DateTime.UtcNow < deadline;)
        {
            var claim = await (await http.PostJsonAsync("/api/v1/workers/claim",
                $$"""{"workerId":"{{workerId}}","queues":["default"],"max":1,"leaseSeconds":5,"waitSeconds":2}""")).ExpectAsync(200);
            if (claim.GetProperty("runs").GetArrayLength() == 1)
            {
                return claim.GetProperty("runs")[0];
            }
        }
        throw new TimeoutException($"{workerId} claimed nothing within 20 s");
    }

    private static async Task<List<JsonElement>> ReadEventsAsync(HttpClient http, string task)
    {
        var all = new List<JsonElement>();
        while (true)
        {
            var after = all.Count == 0 ? 0 : all[^1].GetProperty("seq").GetInt64();
            var page = await (await http.GetAsync($"/api/v1/tasks/{task}/events?after={after}&limit=100")).ExpectAsync(200);
            var data = page.GetProperty("data").EnumerateArray().ToList();
            if (data.Count == 0)
            {
                return all;
            }
            all.AddRange(data);
        }
    }

    private static HttpClient Client(ServerProcess node)
    {
        var http = new HttpClient { BaseAddress = node.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Add("X-API-Key", Key);
        return http;
    }
}
