using System.Net;
using System.Text.Json;
using SpectralNotify.Tests.Infrastructure;

namespace SpectralNotify.Tests.Api;

/// <summary><c>/api/v1/workflows</c> and <c>/ws/workflow/{id}</c>, on both engines.</summary>
public sealed class WorkflowsApiTests
{
    private const string TwoLevel = """
        {"id":"wf-1","metadata":{"job":"video-7"},"phases":[
          {"key":"download","label":"Download","weight":0.4},
          {"key":"process","label":"Process","weight":0.6},
          {"key":"process.encode","label":"Encode","weight":0.5,"parentPhaseKey":"process"},
          {"key":"process.upload","label":"Upload","weight":0.5,"parentPhaseKey":"process"}]}
        """;

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task A_watcher_sees_phases_roll_up_to_the_workflow(Engine engine)
    {
        await using var host = await TestHost.StartAsync(engine);
        var http = host.Client(TestHost.WriteKey);
        await using var ws = await host.ConnectAsync("/ws/workflow/wf-1");
        var created = await (await http.PostJsonAsync("/api/v1/workflows", TwoLevel)).ExpectAsync(201);
        Assert.Equal(("pending", 0, 4, "download"), (created.GetProperty("status").GetString(), created.GetProperty("overallProgress").GetInt32(),
            created.GetProperty("expectedPhaseCount").GetInt32(), created.GetProperty("activePhaseKey").GetString()));

        var afterDownload = await (await http.PostJsonAsync("/api/v1/workflows/wf-1/phases/download/progress", """{"progress":42}""")).ExpectAsync(200);
        Assert.Equal(("in-progress", 16), (afterDownload.GetProperty("status").GetString(), afterDownload.GetProperty("overallProgress").GetInt32()));
        await (await http.PostJsonAsync("/api/v1/workflows/wf-1/phases/download/complete", "{}")).ExpectAsync(200);
        var mid = await (await http.PostJsonAsync("/api/v1/workflows/wf-1/phases/process.encode/complete", "{}")).ExpectAsync(200);
        Assert.Equal(70, mid.GetProperty("overallProgress").GetInt32());
        var parent = mid.GetProperty("phases").EnumerateArray().Single(p => p.GetProperty("key").GetString() == "process");
        Assert.Equal((50.0, "in-progress"), (parent.GetProperty("progress").GetDouble(), parent.GetProperty("status").GetString()));
        var all = await (await http.PostJsonAsync("/api/v1/workflows/wf-1/phases/process.upload/complete", "{}")).ExpectAsync(200);
        Assert.Equal((100, 4, true, "in-progress"), (all.GetProperty("overallProgress").GetInt32(), all.GetProperty("completedPhaseCount").GetInt32(),
            all.GetProperty("allPhasesDone").GetBoolean(), all.GetProperty("status").GetString()));
        await (await http.PostJsonAsync("/api/v1/workflows/wf-1/complete", "{}")).ExpectAsync(200);
        var refused = await (await http.PostJsonAsync("/api/v1/workflows/wf-1/phases/download/progress", """{"progress":1}""")).ExpectAsync(409);
        Assert.Equal("success", refused.GetProperty("currentStatus").GetString());

        var messages = await ws.ReceiveThroughSeqAsync(6);
        Assert.Equal(["initialized", "phase-progress", "phase-progress", "phase-progress", "phase-progress", "complete"],
            messages.Select(m => m.GetProperty("type").GetString()));
        var progress = messages[1];
        Assert.Equal(["type", "workflowId", "phase", "progress", "overallProgress", "workflow", "phases", "timestamp", "seq"],
            progress.EnumerateObject().Select(p => p.Name));
        Assert.Equal(("download", 42, 16), (progress.GetProperty("phase").GetString(), progress.GetProperty("progress").GetInt32(),
            progress.GetProperty("overallProgress").GetInt32()));
        var workflow = progress.GetProperty("workflow");
        Assert.Equal(1, workflow.GetProperty("id").GetInt32());
        Assert.Equal("""{"job":"video-7"}""", workflow.GetProperty("metadata").GetString());
        Assert.Equal(["download", "process", "process.encode", "process.upload"],
            progress.GetProperty("phases").EnumerateArray().Select(p => p.GetProperty("phaseKey").GetString()));

        var history = await (await host.Client(TestHost.ReadKey).GetAsync("/api/v1/workflows/wf-1/events?after=1")).ExpectAsync(200);
        Assert.Equal("Download progress: 42%", history.GetProperty("data")[0].GetProperty("message").GetString());

        await using var late = await host.ConnectAsync("/ws/workflow/wf-1?after=4&snapshot=true");
        var snapshot = await late.ReceiveJsonAsync();
        Assert.Equal(("snapshot", 6L), (snapshot.GetProperty("type").GetString(), snapshot.GetProperty("seq").GetInt64()));
        var replayed = await late.ReceiveThroughSeqAsync(6);
        Assert.Equal([5L, 6L], replayed.Select(m => m.GetProperty("seq").GetInt64()));
        // The replay encodes the phases once per page and splices them into each message; the last
        // message describes the same state live and replayed, so its bytes must be the same.
        Assert.Equal(messages[5].GetRawText(), replayed[1].GetRawText());
    }

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Phase_count_and_depth_are_capped_before_any_other_check_and_write_nothing(Engine engine)
    {
        await using var host = await TestHost.StartAsync(engine);
        var http = host.Client(TestHost.WriteKey);
        // A bad metadata too: only the cap is reported, because it is checked first.
        var tooMany = await (await http.PostJsonAsync("/api/v1/workflows", $$"""{"metadata":7,"phases":{{WorkflowShapes.Flat(501)}}}""")).ExpectAsync(400);
        Assert.Equal(["phases"], tooMany.GetProperty("errors").EnumerateObject().Select(p => p.Name));
        Assert.Contains("at most 500 phases", tooMany.GetProperty("errors").GetProperty("phases")[0].GetString(), StringComparison.Ordinal);
        var tooDeep = await (await http.PostJsonAsync("/api/v1/workflows", $$"""{"metadata":7,"phases":{{WorkflowShapes.Chain(10)}}}""")).ExpectAsync(400);
        Assert.Equal(["phases"], tooDeep.GetProperty("errors").EnumerateObject().Select(p => p.Name));
        Assert.Contains("'c9' has 9 ancestors", tooDeep.GetProperty("errors").GetProperty("phases")[0].GetString(), StringComparison.Ordinal);
        Assert.Empty((await (await host.Client().GetAsync("/api/v1/workflows")).ExpectAsync(200)).GetProperty("data").EnumerateArray());

        await (await http.PostJsonAsync("/api/v1/workflows", $$"""{"id":"chain","phases":{{WorkflowShapes.Chain(9)}}}""")).ExpectAsync(201);
        var max = await (await http.PostJsonAsync("/api/v1/workflows", $$"""{"id":"max","phases":{{WorkflowShapes.AtTheCaps()}}}""")).ExpectAsync(201);
        Assert.Equal((500, 8), (max.GetProperty("phases").GetArrayLength(), max.GetProperty("phases").EnumerateArray().Max(p => p.GetProperty("depth").GetInt32())));
        var leaf = await (await http.PostJsonAsync("/api/v1/workflows/max/phases/c8/complete", "{}")).ExpectAsync(200);
        Assert.Equal(50, leaf.GetProperty("overallProgress").GetInt32());
    }

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Bad_workflows_are_400_naming_the_rule_and_write_nothing(Engine engine)
    {
        await using var host = await TestHost.StartAsync(engine);
        var http = host.Client();
        var cases = new (string Body, string Named)[]
        {
            ("""{"phases":[]}""", "at least one phase"),
            ("""{"phases":[{"key":"a","label":"A","weight":0.5},{"key":"b","label":"B","weight":0.4}]}""", "sum to 1"),
            ("""{"phases":[{"key":"a","label":"A","weight":0.5},{"key":"a","label":"B","weight":0.5}]}""", "unique"),
            ("""{"phases":[{"key":"a","label":"A","weight":1},{"key":"c","label":"C","weight":1,"parentPhaseKey":"x"}]}""", "names no phase"),
            ("""{"phases":[{"key":"a","weight":1}]}""", "label"),
            ("""{"phases":[{"key":"a","label":"A","weight":"1"}]}""", "weight"),
        };
        foreach (var (body, named) in cases)
        {
            var r = await http.PostJsonAsync("/api/v1/workflows", body);
            var text = await r.Content.ReadAsStringAsync();
            Assert.True(r.StatusCode == HttpStatusCode.BadRequest && r.IsProblem(), $"{body}: {(int)r.StatusCode} {text}");
            Assert.Contains(named, text, StringComparison.Ordinal);
        }
        Assert.Empty((await (await http.GetAsync("/api/v1/workflows")).ExpectAsync(200)).GetProperty("data").EnumerateArray());

        await (await http.PostJsonAsync("/api/v1/workflows", TwoLevel)).ExpectAsync(201);
        await (await http.PostJsonAsync("/api/v1/workflows", TwoLevel)).ExpectAsync(409);
        var parent = await (await http.PostJsonAsync("/api/v1/workflows/wf-1/phases/process/progress", """{"progress":5}""")).ExpectAsync(409);
        Assert.Contains("rolls up", parent.GetProperty("detail").GetString(), StringComparison.Ordinal);
        await (await http.PostJsonAsync("/api/v1/workflows/wf-1/phases/nope/progress", """{"progress":5}""")).ExpectAsync(404);
        await (await http.PostJsonAsync("/api/v1/workflows/wf-1/phases/download/progress", """{"progress":101}""")).ExpectAsync(400);
        await (await http.PostJsonAsync("/api/v1/workflows/missing/complete", "{}")).ExpectAsync(404);
        await (await http.PostJsonAsync("/api/v1/workflows/wf-1/fail", "{}")).ExpectAsync(400);
        var wf = await (await http.GetAsync("/api/v1/workflows/wf-1")).ExpectAsync(200);
        Assert.Equal(1, wf.GetProperty("lastSeq").GetInt64());
        Assert.Equal(HttpStatusCode.NoContent, (await http.DeleteAsync("/api/v1/workflows/wf-1")).StatusCode);
        await (await http.GetAsync("/api/v1/workflows/wf-1")).ExpectAsync(404);
    }

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Tasks_of_a_workflow_are_listed_in_sequence(Engine engine)
    {
        await using var host = await TestHost.StartAsync(engine);
        var http = host.Client();
        await (await http.PostJsonAsync("/api/v1/workflows", TwoLevel)).ExpectAsync(201);
        foreach (var (id, seq) in new[] { ("third", 3), ("first", 1), ("second", 2) })
        {
            var t = await http.CreateTaskAsync(id, $$""","workflowId":"wf-1","sequence":{{seq}}""");
            Assert.Equal(("wf-1", seq), (t.GetProperty("workflowId").GetString(), t.GetProperty("sequence").GetInt32()));
        }
        await http.CreateTaskAsync("unrelated");
        var tasks = await (await host.Client(TestHost.ReadKey).GetAsync("/api/v1/workflows/wf-1/tasks")).ExpectAsync(200);
        Assert.Equal(["first", "second", "third"], tasks.GetProperty("data").EnumerateArray().Select(t => t.GetProperty("id").GetString()));
        var bad = await (await http.PostJsonAsync("/api/v1/tasks", """{"id":"x","sequence":-1}""")).ExpectAsync(400);
        Assert.True(bad.GetProperty("errors").TryGetProperty("sequence", out _));
        Assert.Equal(JsonValueKind.Null, (await (await http.GetAsync("/api/v1/tasks/unrelated")).ExpectAsync(200)).GetProperty("workflowId").ValueKind);
    }
}
