using System.Net;
using System.Text.Json;
using SpectralNotify.Tests.Infrastructure;

namespace SpectralNotify.Tests.Compat;

/// <summary>
/// <c>tasks/*</c> on the compatible surface, called the way the reference client calls them, with
/// answers compared byte for byte (the clock is fixed, so timestamps are known), on both engines.
/// </summary>
public sealed class CompatTaskTests
{
    internal static readonly DateTimeOffset T0 = DateTimeOffset.Parse("2025-10-28T12:00:00.000Z", System.Globalization.CultureInfo.InvariantCulture);
    internal const string SystemAuthor = """{\"author\":{\"type\":\"system\",\"id\":\"system\",\"name\":\"System\"}}""";

    [Fact]
    public void The_client_key_vectors_of_the_protocol_hold()
    {
        Assert.Equal("""{"path":"/tasks/updateProgress","body":{"progress":50,"taskId":"t1"}}""",
            ReferenceClient.Signature("/tasks/updateProgress", """{"taskId":"t1","progress":50}"""));
        Assert.Equal("cafc3b4d1967278db292ac2ab54693326020d38959e79562d60b9ad7463af92e",
            ReferenceClient.KeyFor("/tasks/updateProgress", """{"taskId":"t1","progress":50}"""));
        Assert.Equal("0c4eeb4debde1a7787058f5e2aaeff813a4728939b35577430e56f9b31e68ccd",
            ReferenceClient.KeyFor("/tasks/complete", """{"taskId":"t1"}"""));
        Assert.Equal("8071bef07c52d9b6d40c406b356c80b3ca09af6c1a40febef851ba58771bbc77",
            ReferenceClient.KeyFor("/workflows/updatePhaseProgress", """{"workflowId":"wf-1","phase":"download","progress":42}"""));
    }

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task A_reference_client_creates_and_progresses_a_task_byte_for_byte(Engine engine)
    {
        var time = new ManualTime(T0);
        await using var host = await TestHost.StartAsync(engine, ReferenceClient.Deployment, time: time);
        var client = new ReferenceClient(host.Client(null), TestHost.AdminKey);
        await using var ws = await host.ConnectAsync("/ws/task/t1");

        var create = """{"id":"t1","status":"in-progress","progress":0,"metadata":{}}""";
        var createKey = ReferenceClient.KeyFor("/tasks/create", create);
        Assert.Equal($$$"""{"success":true,"taskId":"t1","__idempotency":{"cached":false,"key":"{{{createKey[..8]}}}"}}""",
            await TextAsync(await client.PostAsync("/tasks/create", create), 200));

        time.Advance(TimeSpan.FromMilliseconds(5123));
        var task = $$"""{"id":1,"taskId":"t1","status":"in-progress","progress":50,"createdAt":"2025-10-28T12:00:00.000Z","updatedAt":"2025-10-28T12:00:05.123Z","completedAt":null,"failedAt":null,"canceledAt":null,"metadata":"{{SystemAuthor}}"}""";
        var history = $$"""[{"id":2,"eventType":"progress","message":"Progress updated to 50%","progress":50,"timestamp":"2025-10-28T12:00:05.123Z","metadata":null},{"id":1,"eventType":"log","message":"Task created","progress":null,"timestamp":"2025-10-28T12:00:00.000Z","metadata":"{{SystemAuthor}}"}]""";
        Assert.Equal($$$"""{"task":{{{task}}},"latestHistory":{{{history}}},"__idempotency":{"cached":false,"key":"cafc3b4d"}}""",
            await TextAsync(await client.PostAsync("/tasks/updateProgress", """{"taskId":"t1","progress":50}"""), 200));

        // Protocol §5.3's example message, plus our seq (a create sends the reference nothing; ours is "created").
        Assert.Equal("created", (await ws.ReceiveJsonAsync()).GetProperty("type").GetString());
        Assert.Equal($$"""{"type":"progress","taskId":"t1","progress":50,"task":{{task}},"timestamp":"2025-10-28T12:00:05.123Z","seq":2}""",
            await ws.ReceiveTextAsync());

        // The same call again (the client's key is deterministic): the first answer, cached, with nothing written or sent.
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal($$$"""{"task":{{{task}}},"latestHistory":{{{history}}},"__idempotency":{"cached":true,"cachedAt":"2025-10-28T12:00:05.123Z","key":"cafc3b4d"}}""",
            await TextAsync(await client.PostAsync("/tasks/updateProgress", """{"taskId":"t1","progress":50}"""), 200));
        await client.PostAsync("/tasks/complete", """{"taskId":"t1"}""");
        var next = await ws.ReceiveJsonAsync();
        Assert.Equal(("complete", 3), (next.GetProperty("type").GetString(), next.GetProperty("seq").GetInt32()));

        Assert.Equal(task.Replace("\"status\":\"in-progress\",\"progress\":50", "\"status\":\"success\",\"progress\":100")
                .Replace("\"updatedAt\":\"2025-10-28T12:00:05.123Z\",\"completedAt\":null", "\"updatedAt\":\"2025-10-28T12:00:06.123Z\",\"completedAt\":\"2025-10-28T12:00:06.123Z\""),
            await TextAsync(await client.PostAsync("/tasks/getById", """{"taskId":"t1"}"""), 200));
        var rows = JsonDocument.Parse(await TextAsync(await client.PostAsync("/tasks/getHistory", """{"taskId":"t1","limit":2}"""), 200)).RootElement;
        Assert.Equal([3, 2], rows.EnumerateArray().Select(r => r.GetProperty("id").GetInt32()));
        Assert.Equal("Task completed successfully", rows[0].GetProperty("message").GetString());
    }

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Events_failures_and_cancels_follow_the_reference_rules(Engine engine)
    {
        await using var host = await TestHost.StartAsync(engine);
        var http = host.Client(TestHost.WriteKey);
        await Ok(http, "/tasks/create", """{"id":"t2","status":"pending","metadata":{"custom":1,"origin":{"module":"m"},"author":{"id":"u","extra":5},"tags":["a"]}}""");
        var task = await host.Client(TestHost.ReadKey).PostJsonAsync("/tasks/getById", """{"taskId":"t2"}""");
        // §2.1: known keys first with defaults filled and unknown nested keys dropped, then the rest in input order.
        Assert.Equal("""{"author":{"type":"user","id":"u"},"origin":{"repo":"spectralTranscript","app":"server","module":"m"},"tags":["a"],"custom":1}""",
            (await task.ExpectAsync(200)).GetProperty("metadata").GetString());

        var ev = await Ok(http, "/tasks/addEvent", """{"taskId":"t2","event":{"type":"error","message":"","progress":42.5}}""");
        Assert.Equal(42.5, ev.GetProperty("task").GetProperty("progress").GetDouble());
        var row = ev.GetProperty("latestHistory")[0];
        Assert.Equal(("error", "", 42.5), (row.GetProperty("eventType").GetString(), row.GetProperty("message").GetString(), row.GetProperty("progress").GetDouble()));

        var failed = await Ok(http, "/tasks/fail", """{"taskId":"t2","error":"disk full"}""");
        Assert.Equal(("failed", 42.5), (failed.GetProperty("task").GetProperty("status").GetString(), failed.GetProperty("task").GetProperty("progress").GetDouble()));
        Assert.Equal(("error", "disk full"), (failed.GetProperty("latestHistory")[0].GetProperty("eventType").GetString(), failed.GetProperty("latestHistory")[0].GetProperty("message").GetString()));

        // The reference has no terminal lock: progress after a failure is recorded and the status stays.
        var after = await Ok(http, "/tasks/updateProgress", """{"taskId":"t2","progress":60}""");
        Assert.Equal(("failed", 60.0), (after.GetProperty("task").GetProperty("status").GetString(), after.GetProperty("task").GetProperty("progress").GetDouble()));
        var canceled = await Ok(http, "/tasks/cancel", """{"taskId":"t2","metadata":{"reason":"user"}}""");
        var t = canceled.GetProperty("task");
        Assert.Equal("canceled", t.GetProperty("status").GetString());
        Assert.NotEqual(JsonValueKind.Null, t.GetProperty("failedAt").ValueKind);
        Assert.NotEqual(JsonValueKind.Null, t.GetProperty("canceledAt").ValueKind);
        Assert.Equal(("Task canceled", """{"reason":"user"}"""), (canceled.GetProperty("latestHistory")[0].GetProperty("message").GetString(),
            canceled.GetProperty("latestHistory")[0].GetProperty("metadata").GetString()));

        // A second create of the same id succeeds and changes nothing.
        await Ok(http, "/tasks/create", """{"id":"t2","status":"success","metadata":{}}""");
        Assert.Equal("canceled", (await (await http.PostJsonAsync("/tasks/getById", """{"taskId":"t2"}""")).ExpectAsync(200)).GetProperty("status").GetString());
    }

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Unknown_tasks_are_404_or_empty_as_the_reference_answers(Engine engine)
    {
        await using var host = await TestHost.StartAsync(engine);
        var http = host.Client();
        foreach (var (path, body) in new[]
                 {
                     ("/tasks/getById", """{"taskId":"nope"}"""), ("/tasks/updateProgress", """{"taskId":"nope","progress":1}"""),
                     ("/tasks/complete", """{"taskId":"nope"}"""), ("/tasks/addEvent", """{"taskId":"nope","event":{"type":"log","message":"m"}}"""),
                 })
        {
            Assert.Equal("""{"defined":false,"code":"NOT_FOUND","status":404,"message":"Task 'nope' does not exist."}""",
                await TextAsync(await http.PostJsonAsync(path, body, "k-" + path), 404));
        }
        Assert.Equal("[]", await TextAsync(await http.PostJsonAsync("/tasks/getHistory", """{"taskId":"nope"}"""), 200));
        Assert.Equal("""{"success":true,"taskId":"nope"}""", await TextAsync(await http.PostJsonAsync("/tasks/delete", """{"taskId":"nope"}"""), 200));
        // A failed request is not kept: the same key runs again once the task exists.
        await Ok(http, "/tasks/create", """{"id":"nope","status":"pending","metadata":{}}""");
        Assert.Equal(200, (int)(await http.PostJsonAsync("/tasks/complete", """{"taskId":"nope"}""", "k-/tasks/complete")).StatusCode);
    }

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Lists_and_deletes_need_the_right_key(Engine engine)
    {
        await using var host = await TestHost.StartAsync(engine);
        var writer = host.Client(TestHost.WriteKey);
        await Ok(writer, "/tasks/create", """{"id":"a","status":"pending","metadata":{}}""");
        await Ok(writer, "/tasks/create", """{"id":"b","status":"success","metadata":{}}""");

        var all = await (await host.Client(TestHost.ReadKey).PostJsonAsync("/tasks/getAll", "")).ExpectAsync(200);
        Assert.Equal(["b", "a"], all.EnumerateArray().Select(t => t.GetProperty("id").GetString()));
        Assert.Equal(["id", "status", "progress", "createdAt", "updatedAt", "lastEvent", "events"], all[0].EnumerateObject().Select(p => p.Name));
        Assert.Equal("""{"id":"1","timestamp":"{{t}}","type":"log","message":"Task created"}""".Replace("{{t}}", all[0].GetProperty("createdAt").GetString()),
            all[0].GetProperty("lastEvent").GetRawText());

        Assert.Equal("""{"defined":false,"code":"UNAUTHORIZED","status":401,"message":"Unauthorized"}""",
            await TextAsync(await host.Client(null).PostJsonAsync("/tasks/listAll", ""), 401));
        // Listing is a read (one rule on both surfaces); deleting is an admin's.
        Assert.Equal(200, (int)(await host.Client(TestHost.ReadKey).PostJsonAsync("/tasks/listAll", "")).StatusCode);
        Assert.Equal(403, (int)(await writer.PostJsonAsync("/tasks/delete", """{"taskId":"a"}""")).StatusCode);
        Assert.Equal(403, (int)(await host.Client(TestHost.ReadKey).PostJsonAsync("/tasks/create", """{"id":"c","status":"pending","metadata":{}}""", "k")).StatusCode);
        var admin = host.Client();
        var list = await (await admin.PostJsonAsync("/tasks/listAll", "")).ExpectAsync(200);
        Assert.Equal((2, "writer"), (list.GetProperty("count").GetInt32(), list.GetProperty("tasks")[0].GetProperty("createdBy").GetString()));
        Assert.Equal("""{"success":true,"taskId":"a"}""", await TextAsync(await admin.PostJsonAsync("/tasks/delete", """{"taskId":"a"}"""), 200));
        Assert.Equal("""{"success":true,"deleted":1}""", await TextAsync(await admin.PostJsonAsync("/tasks/deleteAll", ""), 200));
        Assert.Equal("[]", await TextAsync(await admin.PostJsonAsync("/tasks/getAll", ""), 200));
    }

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Idempotency_keys_are_scoped_and_safe_against_concurrent_duplicates(Engine engine)
    {
        await using var host = await TestHost.StartAsync(engine);
        var admin = host.Client();
        var writer = host.Client(TestHost.WriteKey);
        await Ok(admin, "/tasks/create", """{"id":"t","status":"in-progress","metadata":{}}""");

        Assert.Equal("""{"defined":false,"code":"BAD_REQUEST","status":400,"message":"Bad Request"}""",
            await TextAsync(await admin.PostJsonAsync("/tasks/updateProgress", """{"taskId":"t","progress":5}"""), 400));

        // Eight identical requests at once: one runs, the others wait for it and replay its answer.
        var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ =>
            admin.PostJsonAsync("/tasks/updateProgress", """{"taskId":"t","progress":10}""", "same")));
        var bodies = await Task.WhenAll(answers.Select(a => a.ExpectAsync(200)));
        Assert.Single(bodies, b => !b.GetProperty("__idempotency").GetProperty("cached").GetBoolean());
        Assert.Equal(2, (await (await admin.PostJsonAsync("/tasks/getHistory", """{"taskId":"t"}""")).ExpectAsync(200)).GetArrayLength());

        // The reference replays a key whatever the body; here a key is per procedure and per caller.
        var other = await Ok(admin, "/tasks/addEvent", """{"taskId":"t","event":{"type":"log","message":"x"}}""", "same");
        Assert.False(other.GetProperty("__idempotency").GetProperty("cached").GetBoolean());
        var otherCaller = await Ok(writer, "/tasks/updateProgress", """{"taskId":"t","progress":30}""", "same");
        Assert.Equal(30, otherCaller.GetProperty("task").GetProperty("progress").GetInt32());
        var replay = await Ok(admin, "/tasks/updateProgress", """{"taskId":"t","progress":99}""", "same");
        Assert.Equal((10, true), (replay.GetProperty("task").GetProperty("progress").GetInt32(), replay.GetProperty("__idempotency").GetProperty("cached").GetBoolean()));
        Assert.Equal(4, (await (await admin.PostJsonAsync("/tasks/getHistory", """{"taskId":"t"}""")).ExpectAsync(200)).GetArrayLength());
    }

    internal static async Task<string> TextAsync(HttpResponseMessage response, int status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"Expected {status}, got {(int)response.StatusCode}: {text}");
        if (status != 404 || text.StartsWith('{'))
        {
            Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        }
        return text;
    }

    /// <summary>Posts with a fresh Idempotency-Key (or <paramref name="key"/>) and expects 200.</summary>
    internal static async Task<JsonElement> Ok(HttpClient http, string path, string body, string? key = null) =>
        await (await http.PostJsonAsync(path, body, key ?? Guid.NewGuid().ToString())).ExpectAsync(200);
}
