using System.Text.Json;
using SpectralNotify.Tests.Infrastructure;
using static SpectralNotify.Tests.Compat.CompatTaskTests;

namespace SpectralNotify.Tests.Compat;

/// <summary><c>workflows/*</c> on the compatible surface, on both engines: the protocol's worked example byte for byte, reference rules, bad input.</summary>
public sealed class CompatWorkflowTests
{
    private const string TwoPhases = """
        {"id":"wf-1","status":"in-progress","phases":[{"key":"download","label":"Download","weight":0.4,"status":"pending","progress":0},{"key":"transcription","label":"Transcription","weight":0.6,"status":"pending","progress":0}],"metadata":{}}
        """;

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task The_protocol_worked_example_answers_byte_for_byte(Engine engine)
    {
        var time = new ManualTime(T0);
        await using var host = await TestHost.StartAsync(engine, ReferenceClient.Deployment, time: time);
        var client = new ReferenceClient(host.Client(null), TestHost.AdminKey);
        await using var ws = await host.ConnectAsync("/ws/workflow/wf-1");
        Assert.Equal(200, (int)(await client.PostAsync("/workflows/create", TwoPhases)).StatusCode);

        var phases = """[{"workflowId":"wf-1","phaseKey":"download","label":"Download","weight":0.4,"status":"pending","progress":0,"order":0,"parentPhaseKey":null,"depth":0,"startedAt":null,"updatedAt":null,"completedAt":null},{"workflowId":"wf-1","phaseKey":"transcription","label":"Transcription","weight":0.6,"status":"pending","progress":0,"order":1,"parentPhaseKey":null,"depth":0,"startedAt":null,"updatedAt":null,"completedAt":null}]""";
        var created = $$"""{"id":1,"workflowId":"wf-1","status":"in-progress","overallProgress":0,"expectedPhaseCount":2,"completedPhaseCount":0,"activePhaseKey":"download","createdAt":"2025-10-28T12:00:00.000Z","updatedAt":"2025-10-28T12:00:00.000Z","completedAt":null,"failedAt":null,"canceledAt":null,"metadata":"{{SystemAuthor}}"}""";
        Assert.Equal($$"""{"type":"initialized","workflowId":"wf-1","overallProgress":0,"workflow":{{created}},"phases":{{phases}},"timestamp":"2025-10-28T12:00:00.000Z","seq":1}""",
            await ws.ReceiveTextAsync());

        time.Advance(TimeSpan.FromSeconds(1));
        var update = """{"workflowId":"wf-1","phase":"download","progress":42}""";
        Assert.Equal("8071bef07c52d9b6d40c406b356c80b3ca09af6c1a40febef851ba58771bbc77", ReferenceClient.KeyFor("/workflows/updatePhaseProgress", update));
        // Protocol §8's REST response of the first update, with T0/T1 and the injected system author filled in.
        Assert.Equal($$$"""{"workflow":{"id":1,"workflowId":"wf-1","status":"in-progress","overallProgress":16,"expectedPhaseCount":2,"completedPhaseCount":0,"activePhaseKey":"download","createdAt":"2025-10-28T12:00:00.000Z","updatedAt":"2025-10-28T12:00:01.000Z","completedAt":null,"failedAt":null,"canceledAt":null,"metadata":"{{{SystemAuthor}}}"},"latestHistory":[{"id":2,"workflowId":"wf-1","eventType":"phase-progress","phaseKey":"download","message":"Download progress: 42%","progress":42,"timestamp":"2025-10-28T12:00:01.000Z","metadata":null},{"id":1,"workflowId":"wf-1","eventType":"log","phaseKey":null,"message":"Workflow created","progress":null,"timestamp":"2025-10-28T12:00:00.000Z","metadata":"{{{SystemAuthor}}}"}],"__idempotency":{"cached":false,"key":"8071bef0"}}""",
            await TextAsync(await client.PostAsync("/workflows/updatePhaseProgress", update), 200));
        var progress = await ws.ReceiveJsonAsync();
        Assert.Equal(["type", "workflowId", "phase", "progress", "overallProgress", "workflow", "phases", "timestamp", "seq"], progress.EnumerateObject().Select(p => p.Name));

        var afterDownload = await Json(client.PostAsync("/workflows/completePhase", """{"workflowId":"wf-1","phase":"download"}"""));
        Assert.Equal((40, 1, "transcription"), Counts(afterDownload));
        var afterAll = await Json(client.PostAsync("/workflows/completePhase", """{"workflowId":"wf-1","phase":"transcription"}"""));
        Assert.Equal((100, 2, null), Counts(afterAll));
        Assert.Equal("in-progress", afterAll.GetProperty("workflow").GetProperty("status").GetString());
        var done = await Json(client.PostAsync("/workflows/complete", """{"workflowId":"wf-1"}"""));
        Assert.Equal("success", done.GetProperty("workflow").GetProperty("status").GetString());
        Assert.Equal(("success", "Workflow completed successfully"), (done.GetProperty("latestHistory")[0].GetProperty("eventType").GetString(),
            done.GetProperty("latestHistory")[0].GetProperty("message").GetString()));
        Assert.Equal(["phase-progress", "phase-progress", "complete"], new[] { await ws.ReceiveJsonAsync(), await ws.ReceiveJsonAsync(), await ws.ReceiveJsonAsync() }
            .Select(m => m.GetProperty("type").GetString()));

        var read = host.Client(null);
        var phaseRows = await (await read.PostJsonAsync("/workflows/getPhases", """{"workflowId":"wf-1"}""")).ExpectAsync(200);
        Assert.All(phaseRows.EnumerateArray(), p => Assert.Equal(("success", 100), (p.GetProperty("status").GetString(), p.GetProperty("progress").GetInt32())));
        var history = await (await read.PostJsonAsync("/workflows/getHistory", """{"workflowId":"wf-1","limit":10}""")).ExpectAsync(200);
        Assert.Equal([5, 4, 3, 2, 1], history.EnumerateArray().Select(h => h.GetProperty("id").GetInt32()));
        var item = (await (await read.PostJsonAsync("/workflows/getAll", "")).ExpectAsync(200))[0];
        Assert.Equal(["id", "status", "overallProgress", "phases", "createdAt", "updatedAt", "completedAt", "lastEvent", "events"], item.EnumerateObject().Select(p => p.Name));
    }

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Reference_rules_allow_parents_and_finished_workflows_and_unknown_ids_write_nothing(Engine engine)
    {
        await using var host = await TestHost.StartAsync(engine);
        var http = host.Client();
        Assert.Equal("""{"defined":false,"code":"NOT_FOUND","status":404,"message":"Workflow 'w' does not exist."}""",
            await TextAsync(await http.PostJsonAsync("/workflows/complete", """{"workflowId":"w"}""", "k1"), 404));
        Assert.Equal("[]", await TextAsync(await http.PostJsonAsync("/workflows/getPhases", """{"workflowId":"w"}"""), 200));
        Assert.Equal("[]", await TextAsync(await http.PostJsonAsync("/workflows/getHistory", """{"workflowId":"w"}"""), 200));
        Assert.Equal(404, (int)(await http.PostJsonAsync("/workflows/getById", """{"workflowId":"w"}""")).StatusCode);

        await Ok(http, "/workflows/create", """
            {"id":"w","status":"pending","phases":[{"key":"t","label":"T","weight":1,"status":"pending","progress":0},
              {"key":"t.a","label":"A","weight":0.5,"status":"pending","progress":0,"parentPhaseKey":"t","depth":1},
              {"key":"t.b","label":"B","weight":0.5,"status":"pending","progress":0,"parentPhaseKey":"t","depth":1}],"metadata":{"author":{"id":"me"}}}
            """);
        // No stray row from the earlier complete of the unknown id (the reference writes one).
        Assert.Equal(1, (await (await http.PostJsonAsync("/workflows/getHistory", """{"workflowId":"w"}""")).ExpectAsync(200)).GetArrayLength());

        // A reference client may complete a parent phase itself; here that is allowed on this surface.
        var parent = await Ok(http, "/workflows/completePhase", """{"workflowId":"w","phase":"t"}""");
        Assert.Equal("t.a", parent.GetProperty("workflow").GetProperty("activePhaseKey").GetString());
        await Ok(http, "/workflows/fail", """{"workflowId":"w","error":"boom"}""");
        var afterFail = await Ok(http, "/workflows/updatePhaseProgress", """{"workflowId":"w","phase":"t.a","progress":100}""");
        Assert.Equal(("failed", 50), (afterFail.GetProperty("workflow").GetProperty("status").GetString(), afterFail.GetProperty("workflow").GetProperty("overallProgress").GetInt32()));
        var canceled = await Ok(http, "/workflows/cancel", """{"workflowId":"w"}""");
        Assert.Equal(("cancel", "Workflow canceled"), (canceled.GetProperty("latestHistory")[0].GetProperty("eventType").GetString(),
            canceled.GetProperty("latestHistory")[0].GetProperty("message").GetString()));
        Assert.Equal(404, (int)(await http.PostJsonAsync("/workflows/updatePhaseProgress", """{"workflowId":"w","phase":"zzz","progress":1}""", "k2")).StatusCode);

        var list = await (await http.PostJsonAsync("/workflows/listAll", "")).ExpectAsync(200);
        Assert.Equal((1, "w", "admin"), (list.GetProperty("count").GetInt32(), list.GetProperty("workflows")[0].GetProperty("workflowId").GetString(),
            list.GetProperty("workflows")[0].GetProperty("createdBy").GetString()));
        Assert.Equal("""{"success":true,"workflowId":"w"}""", await TextAsync(await http.PostJsonAsync("/workflows/delete", """{"workflowId":"w"}"""), 200));
        Assert.Equal("""{"success":true,"deleted":0}""", await TextAsync(await http.PostJsonAsync("/workflows/deleteAll", ""), 200));
    }

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Bad_workflow_input_gets_zod_issues_and_writes_nothing(Engine engine)
    {
        await using var host = await TestHost.StartAsync(engine);
        var http = host.Client();
        async Task<string> Issues(string body) =>
            (await (await http.PostJsonAsync("/workflows/create", body, Guid.NewGuid().ToString())).ExpectAsync(400)).GetProperty("data").GetProperty("issues").GetRawText();

        Assert.Equal("""[{"origin":"array","code":"too_small","minimum":1,"inclusive":true,"path":["phases"],"message":"At least one phase required"}]""",
            await Issues("""{"id":"w","status":"pending","phases":[],"metadata":{}}"""));
        Assert.Equal("""[{"code":"custom","path":["phases"],"message":"Phase keys must be unique"}]""",
            await Issues("""{"id":"w","status":"pending","phases":[{"key":"a","label":"A","weight":0.5,"status":"pending","progress":0},{"key":"a","label":"B","weight":0.5,"status":"pending","progress":0}],"metadata":{}}"""));
        Assert.Contains("weights", await Issues("""{"id":"w","status":"pending","phases":[{"key":"a","label":"A","weight":0.5,"status":"pending","progress":0}],"metadata":{}}"""));
        Assert.Equal("""[{"code":"invalid_value","values":["web","native","server","api","cli"],"path":["metadata","origin","app"],"message":"Invalid option: expected one of \"web\"|\"native\"|\"server\"|\"api\"|\"cli\""}]""",
            await Issues("""{"id":"w","status":"in-progress","phases":[{"key":"a","label":"A","weight":1,"status":"pending","progress":0}],"metadata":{"origin":{"app":"client"}}}"""));
        Assert.Equal("""[{"origin":"number","code":"too_big","maximum":1,"inclusive":true,"path":["phases",0,"weight"],"message":"Too big: expected number to be <=1"},{"origin":"number","code":"too_big","maximum":100,"inclusive":true,"path":["phases",0,"progress"],"message":"Too big: expected number to be <=100"}]""",
            await Issues("""{"id":"w","status":"pending","phases":[{"key":"a","label":"A","weight":2,"status":"pending","progress":101}],"metadata":{}}"""));
        Assert.Equal("[]", await TextAsync(await http.PostJsonAsync("/workflows/getAll", ""), 200));
    }

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Phase_count_and_depth_are_capped_before_any_other_check_and_write_nothing(Engine engine)
    {
        await using var host = await TestHost.StartAsync(engine);
        var http = host.Client(TestHost.WriteKey);
        const string each = ""","status":"pending","progress":0""";
        async Task<string> Issues(string phases) =>
            (await (await http.PostJsonAsync("/workflows/create", $$"""{"id":"w","status":"nope","phases":{{phases}}}""", Guid.NewGuid().ToString())).ExpectAsync(400))
            .GetProperty("data").GetProperty("issues").GetRawText();

        // A bad status and no metadata too: only the cap is reported, because it is checked first.
        Assert.Equal("""[{"origin":"array","code":"too_big","maximum":500,"inclusive":true,"path":["phases"],"message":"Too big: expected array to have <=500 items"}]""",
            await Issues(WorkflowShapes.Flat(501, each)));
        using var deepIssues = JsonDocument.Parse(await Issues(WorkflowShapes.Chain(10, each)));
        var deep = deepIssues.RootElement;
        Assert.Equal((1, "custom", "phases"), (deep.GetArrayLength(), deep[0].GetProperty("code").GetString(), deep[0].GetProperty("path")[0].GetString()));
        Assert.Contains("'c9' has 9 ancestors", deep[0].GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal("[]", await TextAsync(await http.PostJsonAsync("/workflows/getAll", ""), 200));

        await Ok(http, "/workflows/create", $$"""{"id":"max","status":"pending","metadata":{},"phases":{{WorkflowShapes.AtTheCaps(each)}}}""");
        var phases = await (await http.PostJsonAsync("/workflows/getPhases", """{"workflowId":"max"}""")).ExpectAsync(200);
        Assert.Equal((500, 8), (phases.GetArrayLength(), phases.EnumerateArray().Max(p => p.GetProperty("depth").GetInt32())));
    }

    private static async Task<JsonElement> Json(Task<HttpResponseMessage> response) => await (await response).ExpectAsync(200);

    private static (int, int, string?) Counts(JsonElement r)
    {
        var w = r.GetProperty("workflow");
        return (w.GetProperty("overallProgress").GetInt32(), w.GetProperty("completedPhaseCount").GetInt32(), w.GetProperty("activePhaseKey").GetString());
    }
}
