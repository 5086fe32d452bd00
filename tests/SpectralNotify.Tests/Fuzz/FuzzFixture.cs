using SpectralNotify.Tests.Infrastructure;

namespace SpectralNotify.Tests.Fuzz;

/// <summary>
/// The entities the route templates point at, created before the fuzz starts so that valid requests
/// reach the code behind validation: a task with a running tool, a workflow, a counter, a config key,
/// a scheduled job and a claimed run whose lease token the run routes use.
/// </summary>
public sealed record FuzzFixture(string LeaseToken, string ToolExecution)
{
    public const string Task = "fz-task";
    public const string Workflow = "fz-wf";
    public const string Phase = "p1";
    public const string Counter = "fz_counter";
    public const string ConfigKey = "fz.key";
    public const string Job = "fz-job";
    public const string Run = "fz-run";

    public static async Task<FuzzFixture> SeedAsync(TestHost host)
    {
        var admin = host.Client();
        await admin.CreateTaskAsync(Task, ""","title":"fuzz","metadata":{"k":1}""");
        var tool = await (await admin.PostJsonAsync($"/api/v1/tasks/{Task}/tools", """{"toolName":"grep","arguments":{}}""")).ExpectAsync(201);
        await (await admin.PostJsonAsync("/api/v1/workflows",
            $$$"""{"id":"{{{Workflow}}}","phases":[{"key":"{{{Phase}}}","label":"P1","weight":0.5},{"key":"p2","label":"P2","weight":0.5}]}""")).ExpectAsync(201);
        await (await admin.PostJsonAsync("/api/v1/counters", $$"""{"name":"{{Counter}}","value":1}""")).ExpectAsync(201);
        await (await admin.PutAsync($"/api/v1/config/{ConfigKey}", HttpJson.Body("""{"type":"string","value":"v"}"""))).ExpectAsync(201);
        await (await admin.PostJsonAsync("/api/v1/jobs",
            $$$"""{"id":"{{{Job}}}","type":"fz","queue":"fz","schedule":{"cron":"0 0 1 1 *"}}""")).ExpectAsync(201);
        await (await admin.PostJsonAsync("/api/v1/runs", $$$"""{"runs":[{"id":"{{{Run}}}","type":"fz","queue":"fz-run"}]}""")).ExpectAsync(201);
        var claimed = await (await admin.PostJsonAsync("/api/v1/workers/claim",
            """{"workerId":"fuzz","queues":["fz-run"],"max":1,"leaseSeconds":3600,"waitSeconds":0}""")).ExpectAsync(200);
        var run = claimed.GetProperty("runs")[0];
        Assert.Equal(Run, run.GetProperty("id").GetString());
        return new FuzzFixture(run.GetProperty("leaseToken").GetString()!, tool.GetProperty("id").GetString()!);
    }

    /// <summary>Replaces the placeholders of a template's path or body; <paramref name="newId"/> fills <c>{new}</c>.</summary>
    public string Fill(string text, string newId) => text
        .Replace("{task}", Task, StringComparison.Ordinal)
        .Replace("{wf}", Workflow, StringComparison.Ordinal)
        .Replace("{phase}", Phase, StringComparison.Ordinal)
        .Replace("{counter}", Counter, StringComparison.Ordinal)
        .Replace("{config}", ConfigKey, StringComparison.Ordinal)
        .Replace("{job}", Job, StringComparison.Ordinal)
        .Replace("{run}", Run, StringComparison.Ordinal)
        .Replace("{lease}", LeaseToken, StringComparison.Ordinal)
        .Replace("{tool}", ToolExecution, StringComparison.Ordinal)
        .Replace("{new}", newId, StringComparison.Ordinal);
}
