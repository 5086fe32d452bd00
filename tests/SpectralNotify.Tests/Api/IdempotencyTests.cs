using SpectralNotify.Server.Maintenance;
using SpectralNotify.Tests.Infrastructure;
using static SpectralNotify.Tests.Api.ApiAssert;

namespace SpectralNotify.Tests.Api;

/// <summary><c>Idempotency-Key</c> on POSTs: replay, mismatch, scoping, concurrency, stored 4xx answers.</summary>
public sealed class IdempotencyTests
{
    private const string Replayed = "Idempotent-Replayed";

    private static bool IsReplay(HttpResponseMessage r) =>
        r.Headers.TryGetValues(Replayed, out var v) && v.SequenceEqual(["true"]);

    private static async Task<(int Status, string Body)> ReadAsync(HttpResponseMessage r) =>
        ((int)r.StatusCode, await r.Content.ReadAsStringAsync());

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Same_key_and_body_replays_the_answer_and_writes_once(Engine engine)
    {
        await using var host = await TestHost.StartAsync(engine);
        var client = host.Client(TestHost.WriteKey);
        await client.CreateTaskAsync("t");
        const string body = """{"type":"log","message":"once"}""";

        var first = await client.PostJsonAsync($"{TasksPath}/t/events", body, "key-1");
        var (status, text) = await ReadAsync(first);
        Assert.Equal(201, status);
        Assert.False(first.Headers.Contains(Replayed));
        for (var i = 0; i < 3; i++)
        {
            var again = await client.PostJsonAsync($"{TasksPath}/t/events", body, "key-1");
            Assert.Equal((status, text), await ReadAsync(again));
            Assert.True(IsReplay(again), "Missing Idempotent-Replayed: true");
            Assert.Equal(first.Headers.Location, again.Headers.Location);
            Assert.NotNull(first.Headers.ETag);
            Assert.Equal(first.Headers.ETag, again.Headers.ETag);
            AssertJsonType(again);
        }
        var t = await SnapshotAsync(client, "t");
        Assert.Equal(2, t.LastSeq);
        Assert.Equal(2, (await EventsAsync(client, "t")).Count);

        // A replay answers what happened then, even after the task moved on.
        var progress = await client.PostJsonAsync($"{TasksPath}/t/progress", """{"progress":50}""", "key-p");
        var progressAnswer = await ReadAsync(progress);
        await (await client.PostJsonAsync($"{TasksPath}/t/progress", """{"progress":70}""")).ExpectAsync(200);
        var replay = await client.PostJsonAsync($"{TasksPath}/t/progress", """{"progress":50}""", "key-p");
        Assert.Equal(progressAnswer, await ReadAsync(replay));
        Assert.True(IsReplay(replay));
        var after = await SnapshotAsync(client, "t");
        Assert.Equal((70d, 4L), (after.Progress, after.LastSeq));
    }

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task A_replayed_create_returns_the_same_generated_id(Engine engine)
    {
        await using var host = await TestHost.StartAsync(engine);
        var client = host.Client();

        var first = await client.PostJsonAsync(TasksPath, """{"title":"no id"}""", "create-1");
        var created = await first.ExpectAsync(201);
        var again = await client.PostJsonAsync(TasksPath, """{"title":"no id"}""", "create-1");
        var replayed = await again.ExpectAsync(201);
        Assert.True(IsReplay(again));
        Assert.Equal(created.GetRawText(), replayed.GetRawText());
        Assert.Equal(first.Headers.Location, again.Headers.Location);
        Assert.Single(Ids(await (await client.GetAsync(TasksPath)).ExpectAsync(200)));

        // A batch is replayed whole.
        const string batch = """{"operations":[{"op":"create","id":"b1"},{"op":"progress","id":"b1","progress":5}]}""";
        var b1 = await ReadAsync(await client.PostJsonAsync($"{TasksPath}/batch", batch, "batch-1"));
        var b2 = await client.PostJsonAsync($"{TasksPath}/batch", batch, "batch-1");
        Assert.Equal(b1, await ReadAsync(b2));
        Assert.True(IsReplay(b2));
        Assert.Equal(2, (await SnapshotAsync(client, "b1")).LastSeq);
    }

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Same_key_with_another_body_is_422_and_writes_nothing(Engine engine)
    {
        await using var host = await TestHost.StartAsync(engine);
        var client = host.Client();
        await client.CreateTaskAsync("t");
        await (await client.PostJsonAsync($"{TasksPath}/t/progress", """{"progress":10}""", "k")).ExpectAsync(200);
        var before = await SnapshotAsync(client, "t");

        await ProblemAsync(await client.PostJsonAsync($"{TasksPath}/t/progress", """{"progress":20}""", "k"), 422, "Idempotency-Key", "different");
        await ProblemAsync(await client.PostJsonAsync($"{TasksPath}/t/progress", """{"progress":10,"message":"m"}""", "k"), 422);
        Assert.Equal(before, await SnapshotAsync(client, "t"));

        // The original body still replays.
        var replay = await client.PostJsonAsync($"{TasksPath}/t/progress", """{"progress":10}""", "k");
        await replay.ExpectAsync(200);
        Assert.True(IsReplay(replay));
        Assert.Equal(before, await SnapshotAsync(client, "t"));
    }

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Keys_are_scoped_by_endpoint_and_caller(Engine engine)
    {
        await using var host = await TestHost.StartAsync(engine);
        var admin = host.Client();
        var writer = host.Client(TestHost.WriteKey);
        await admin.CreateTaskAsync("t");
        await admin.CreateTaskAsync("u");

        var a = await admin.PostJsonAsync($"{TasksPath}/t/events", """{"type":"log","message":"m"}""", "shared");
        var b = await admin.PostJsonAsync($"{TasksPath}/t/progress", """{"progress":5}""", "shared");
        var c = await admin.PostJsonAsync($"{TasksPath}/u/events", """{"type":"log","message":"m"}""", "shared");
        var d = await writer.PostJsonAsync($"{TasksPath}/t/events", """{"type":"log","message":"m"}""", "shared");
        Assert.Equal(2, (await a.ExpectAsync(201)).GetProperty("seq").GetInt64());
        await b.ExpectAsync(200);
        Assert.Equal(2, (await c.ExpectAsync(201)).GetProperty("seq").GetInt64());
        Assert.Equal(4, (await d.ExpectAsync(201)).GetProperty("seq").GetInt64());
        Assert.All([a, b, c, d], r => Assert.False(r.Headers.Contains(Replayed)));

        Assert.Equal(4, (await SnapshotAsync(admin, "t")).LastSeq);
        Assert.Equal(2, (await SnapshotAsync(admin, "u")).LastSeq);

        // Each scope replays its own answer.
        var replayA = await admin.PostJsonAsync($"{TasksPath}/t/events", """{"type":"log","message":"m"}""", "shared");
        Assert.True(IsReplay(replayA));
        Assert.Equal(2, (await replayA.ExpectAsync(201)).GetProperty("seq").GetInt64());
        var replayD = await writer.PostJsonAsync($"{TasksPath}/t/events", """{"type":"log","message":"m"}""", "shared");
        Assert.True(IsReplay(replayD));
        Assert.Equal(4, (await replayD.ExpectAsync(201)).GetProperty("seq").GetInt64());
        Assert.Equal(4, (await SnapshotAsync(admin, "t")).LastSeq);
    }

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Concurrent_identical_requests_execute_exactly_once(Engine engine)
    {
        await using var host = await TestHost.StartAsync(engine);
        var setup = host.Client();
        const int rounds = 5, parallel = 8;
        for (var round = 0; round < rounds; round++)
        {
            var id = $"c{round}";
            await setup.CreateTaskAsync(id);
            var body = $$"""{"type":"log","message":"round {{round}}"}""";
            // Separate clients, so the requests travel on separate connections at the same time.
            var clients = Enumerable.Range(0, parallel).Select(_ => host.Client()).ToList();
            using var start = new SemaphoreSlim(0);
            var sends = clients.Select(async c =>
            {
                await start.WaitAsync();
                return await c.PostJsonAsync($"{TasksPath}/{id}/events", body, $"race-{round}");
            }).ToList();
            start.Release(parallel);
            var responses = await Task.WhenAll(sends);

            var originals = responses.Where(r => (int)r.StatusCode == 201 && !IsReplay(r)).ToList();
            var original = Assert.Single(originals);
            var originalBody = await original.Content.ReadAsStringAsync();
            foreach (var r in responses.Where(r => r != original))
            {
                if (IsReplay(r))
                {
                    Assert.Equal((201, originalBody), await ReadAsync(r));
                }
                else
                {
                    await ProblemAsync(r, 409, "Idempotency-Key");
                }
            }
            Assert.Equal(2, (await SnapshotAsync(setup, id)).LastSeq);
            Assert.Equal(2, (await EventsAsync(setup, id)).Count);

            // Once the original finished, a retry is a replay.
            var retry = await setup.PostJsonAsync($"{TasksPath}/{id}/events", body, $"race-{round}");
            Assert.True(IsReplay(retry));
            Assert.Equal((201, originalBody), await ReadAsync(retry));
        }
    }

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task A_claim_left_in_flight_by_a_killed_process_is_released_when_its_node_starts_again(Engine engine)
    {
        await using var db = await TestDatabase.CreateAsync(engine);
        var node = new Dictionary<string, string?> { ["Spectral:NodeId"] = "node-a" };
        const string body = """{"type":"log","message":"once"}""";
        await using (var first = await TestHost.StartAsync(engine, node, db))
        {
            var client = first.Client(TestHost.WriteKey);
            await client.CreateTaskAsync("t");
            await (await client.PostJsonAsync($"{TasksPath}/t/events", body, "k-mine")).ExpectAsync(201);
            await (await client.PostJsonAsync($"{TasksPath}/t/events", body, "k-theirs")).ExpectAsync(201);
            // What a process killed after claiming and before storing the answer leaves behind: one
            // claim of this node, one of another node (on SQLite no other process can hold one).
            await db.ExecuteAsync("UPDATE idempotency_keys SET state = 'in_flight', body = NULL WHERE key = 'k-mine'");
            await db.ExecuteAsync("UPDATE idempotency_keys SET state = 'in_flight', body = NULL, holder = 'node-b' WHERE key = 'k-theirs'");
            var busy = await client.PostJsonAsync($"{TasksPath}/t/events", body, "k-mine");
            await ProblemAsync(busy, 409, "Idempotency-Key");
            Assert.Equal(TimeSpan.FromSeconds(1), busy.Headers.RetryAfter?.Delta);
        }

        await using var again = await TestHost.StartAsync(engine, node, db);
        var retry = again.Client(TestHost.WriteKey);
        // The retry runs again (the answer was never stored): a claim never outlives its process.
        var mine = await retry.PostJsonAsync($"{TasksPath}/t/events", body, "k-mine");
        Assert.Equal(201, (int)mine.StatusCode);
        Assert.False(IsReplay(mine));
        var theirs = await retry.PostJsonAsync($"{TasksPath}/t/events", body, "k-theirs");
        if (engine == Engine.Sqlite)
        {
            Assert.Equal(201, (int)theirs.StatusCode);
        }
        else
        {
            // node-b may be alive on PostgreSQL: its claim is taken over after the in-flight timeout.
            await ProblemAsync(theirs, 409, "Idempotency-Key");
        }
    }

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task A_key_whose_first_use_failed_with_4xx_replays_the_4xx(Engine engine)
    {
        await using var host = await TestHost.StartAsync(engine);
        var client = host.Client();
        await client.CreateTaskAsync("t");

        // A validation failure.
        var bad = await client.PostJsonAsync($"{TasksPath}/t/progress", """{"progress":500}""", "bad");
        var badProblem = await ProblemAsync(bad, 400, "progress");
        var badAgain = await client.PostJsonAsync($"{TasksPath}/t/progress", """{"progress":500}""", "bad");
        Assert.True(IsReplay(badAgain));
        Assert.Equal(badProblem.GetRawText(), (await ProblemAsync(badAgain, 400, "progress")).GetRawText());

        // A 404 stays a 404 even once the task exists: the key stands for that first answer.
        var ghost = await client.PostJsonAsync($"{TasksPath}/ghost/progress", """{"progress":5}""", "ghost-key");
        var ghostProblem = await ProblemAsync(ghost, 404, "ghost");
        await client.CreateTaskAsync("ghost");
        var ghostAgain = await client.PostJsonAsync($"{TasksPath}/ghost/progress", """{"progress":5}""", "ghost-key");
        Assert.True(IsReplay(ghostAgain));
        Assert.Equal(ghostProblem.GetRawText(), (await ProblemAsync(ghostAgain, 404, "ghost")).GetRawText());
        Assert.Equal(1, (await SnapshotAsync(client, "ghost")).LastSeq);

        // A 409 on a terminal task.
        await (await client.PostJsonAsync($"{TasksPath}/t/complete", "{}")).ExpectAsync(200);
        var late = await client.PostJsonAsync($"{TasksPath}/t/progress", """{"progress":5}""", "late");
        await ProblemAsync(late, 409, "success");
        var lateAgain = await client.PostJsonAsync($"{TasksPath}/t/progress", """{"progress":5}""", "late");
        Assert.True(IsReplay(lateAgain));
        await ProblemAsync(lateAgain, 409, "success");
        Assert.Equal(2, (await SnapshotAsync(client, "t")).LastSeq);
    }

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Invalid_keys_and_oversized_bodies_are_refused_without_claiming_the_key(Engine engine)
    {
        await using var host = await TestHost.StartAsync(engine);
        var client = host.Client();
        await client.CreateTaskAsync("t");

        await ProblemAsync(await client.PostJsonAsync($"{TasksPath}/t/progress", """{"progress":5}""", new string('k', 256)), 400, "Idempotency-Key", "255");
        Assert.Equal(1, (await SnapshotAsync(client, "t")).LastSeq);
        var longest = await client.PostJsonAsync($"{TasksPath}/t/progress", """{"progress":5}""", new string('k', 255));
        await longest.ExpectAsync(200);
        Assert.False(longest.Headers.Contains(Replayed));

        var huge = $$"""{"type":"log","message":"{{new string('h', 1024 * 1024)}}"}""";
        await ProblemAsync(await client.PostOversizedAsync($"{TasksPath}/t/events", huge, "big"), 413, "1 MiB");
        Assert.Equal(2, (await SnapshotAsync(client, "t")).LastSeq);
        // The 413 did not use up the key.
        var small = await client.PostJsonAsync($"{TasksPath}/t/events", """{"type":"log","message":"small"}""", "big");
        await small.ExpectAsync(201);
        Assert.False(small.Headers.Contains(Replayed));
        Assert.Equal(3, (await SnapshotAsync(client, "t")).LastSeq);
    }

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Keys_expire_after_the_retention_period(Engine engine)
    {
        var clock = new ManualTime(DateTimeOffset.UtcNow);
        await using var host = await TestHost.StartAsync(engine, new Dictionary<string, string?> { ["Spectral:IdempotencyRetention"] = "00:00:02" }, time: clock);
        var client = host.Client();
        await client.CreateTaskAsync("t");
        const string body = """{"type":"log","message":"m"}""";

        await (await client.PostJsonAsync($"{TasksPath}/t/events", body, "short")).ExpectAsync(201);
        var replay = await client.PostJsonAsync($"{TasksPath}/t/events", body, "short");
        Assert.True(IsReplay(replay));

        clock.Advance(TimeSpan.FromMilliseconds(2300));
        await host.Services.GetRequiredService<ExpirySweeper>().SweepOnceAsync(CancellationToken.None);

        var fresh = await client.PostJsonAsync($"{TasksPath}/t/events", body, "short");
        var ev = await fresh.ExpectAsync(201);
        Assert.False(fresh.Headers.Contains(Replayed));
        Assert.Equal(3, ev.GetProperty("seq").GetInt64());
        Assert.Equal(3, (await SnapshotAsync(client, "t")).LastSeq);
    }

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Unmatched_and_refused_requests_store_no_key(Engine engine)
    {
        await using var host = await TestHost.StartAsync(engine);
        await host.Client().CreateTaskAsync("t");
        // Had the first request of each pair stored its key, the second (same key, other body) would be a 422.
        async Task TwiceAsync(HttpClient client, string path, int status)
        {
            await (await client.PostJsonAsync(path, """{"type":"log","message":"a"}""", "k-" + status)).ExpectAsync(status);
            await (await client.PostJsonAsync(path, """{"type":"log","message":"b"}""", "k-" + status)).ExpectAsync(status);
        }
        await TwiceAsync(host.Client(null), "/api/v1/no-such-route", 404);
        await TwiceAsync(host.Client(), "/api/v1/no-such-route", 404);
        await TwiceAsync(host.Client(), "/api/v1/sessions", 405);
        await TwiceAsync(host.Client(null), $"{TasksPath}/t/events", 401);
        await TwiceAsync(host.Client(TestHost.ReadKey), $"{TasksPath}/t/events", 403);

        // A matched, authorized POST still is idempotent.
        await (await host.Client().PostJsonAsync($"{TasksPath}/t/events", """{"type":"log","message":"a"}""", "k-ok")).ExpectAsync(201);
        await (await host.Client().PostJsonAsync($"{TasksPath}/t/events", """{"type":"log","message":"b"}""", "k-ok")).ExpectAsync(422);
    }

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Requests_without_a_key_are_never_deduplicated(Engine engine)
    {
        await using var host = await TestHost.StartAsync(engine);
        var client = host.Client();
        await client.CreateTaskAsync("t");
        for (var i = 0; i < 3; i++)
        {
            var r = await client.PostJsonAsync($"{TasksPath}/t/events", """{"type":"log","message":"same"}""");
            Assert.Equal(2 + i, (await r.ExpectAsync(201)).GetProperty("seq").GetInt64());
            Assert.False(r.Headers.Contains(Replayed));
        }
        // A GET with a key is just a GET.
        var get = await client.SendAsync(HttpMethod.Get, $"{TasksPath}/t", null, r => r.Headers.Add("Idempotency-Key", "get"));
        Assert.Equal(4, (await get.ExpectAsync(200)).GetProperty("lastSeq").GetInt64());
        Assert.False(get.Headers.Contains(Replayed));
        Assert.Equal(4, (await EventsAsync(client, "t")).Count);
    }
}
