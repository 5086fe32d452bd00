using System.Text.Json;
using SpectralNotify.Tests.Infrastructure;

namespace SpectralNotify.Tests.Api;

/// <summary>Tool executions over HTTP, watched live over a WebSocket.</summary>
public sealed class ToolsApiTests
{
    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task A_watcher_sees_tool_calls_as_they_start_and_finish(Engine engine)
    {
        await using var host = await TestHost.StartAsync(engine);
        var http = host.Client(TestHost.WriteKey);
        await http.CreateTaskAsync("agent-1");
        await using var ws = await host.ConnectAsync("/ws/task/agent-1?after=1");

        var started = await (await http.PostJsonAsync("/api/v1/tasks/agent-1/tools", """{"toolName":"web.search","arguments":{"q":"weather"}}""")).ExpectAsync(201);
        var execId = started.GetProperty("id").GetString()!;
        Assert.Equal(("running", "web.search", "weather"), (started.GetProperty("status").GetString(), started.GetProperty("toolName").GetString(),
            started.GetProperty("arguments").GetProperty("q").GetString()));
        var done = await (await http.PostJsonAsync($"/api/v1/tasks/agent-1/tools/{execId}/complete", """{"output":{"temp":21}}""")).ExpectAsync(200);
        Assert.Equal("success", done.GetProperty("status").GetString());
        Assert.True(done.GetProperty("durationMs").GetInt64() >= 0);
        Assert.Equal(21, done.GetProperty("output").GetProperty("temp").GetInt32());

        var second = await (await http.PostJsonAsync("/api/v1/tasks/agent-1/tools", """{"toolName":"db.query"}""")).ExpectAsync(201);
        var secondId = second.GetProperty("id").GetString()!;
        await (await http.PostJsonAsync($"/api/v1/tasks/agent-1/tools/{secondId}/fail", """{"error":"connection refused"}""")).ExpectAsync(200);

        var messages = await ws.ReceiveThroughSeqAsync(5);
        Assert.All(messages, m => Assert.Equal("tool", m.GetProperty("type").GetString()));
        Assert.Equal(["running", "success", "running", "failed"], messages.Select(m => m.GetProperty("tool").GetProperty("status").GetString()));
        Assert.Equal(execId, messages[1].GetProperty("tool").GetProperty("toolExecutionId").GetString());
        Assert.StartsWith("Tool db.query failed after", messages[3].GetProperty("event").GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal("in-progress", messages[0].GetProperty("task").GetProperty("status").GetString());

        var list = await (await host.Client(TestHost.ReadKey).GetAsync("/api/v1/tasks/agent-1/tools")).ExpectAsync(200);
        Assert.Equal(["success", "failed"], list.GetProperty("data").EnumerateArray().Select(e => e.GetProperty("status").GetString()));
        var events = await (await http.GetAsync("/api/v1/tasks/agent-1/events?after=1")).ExpectAsync(200);
        Assert.Equal(4, events.GetProperty("data").GetArrayLength());
    }

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Bad_tool_requests_are_4xx_and_write_nothing(Engine engine)
    {
        await using var host = await TestHost.StartAsync(engine);
        var http = host.Client();
        await http.CreateTaskAsync("t");
        var exec = (await (await http.PostJsonAsync("/api/v1/tasks/t/tools", """{"toolName":"x"}""")).ExpectAsync(201)).GetProperty("id").GetString();

        var problem = await (await http.PostJsonAsync("/api/v1/tasks/t/tools", """{"arguments":{}}""")).ExpectAsync(400);
        Assert.True(problem.GetProperty("errors").TryGetProperty("toolName", out _));
        await (await http.PostJsonAsync("/api/v1/tasks/missing/tools", """{"toolName":"x"}""")).ExpectAsync(404);
        await (await http.PostJsonAsync("/api/v1/tasks/t/tools/nope/complete", "{}")).ExpectAsync(404);
        problem = await (await http.PostJsonAsync($"/api/v1/tasks/t/tools/{exec}/fail", "{}")).ExpectAsync(400);
        Assert.True(problem.GetProperty("errors").TryGetProperty("error", out _));
        await (await http.PostJsonAsync($"/api/v1/tasks/t/tools/{exec}/timeout", "")).ExpectAsync(200);
        problem = await (await http.PostJsonAsync($"/api/v1/tasks/t/tools/{exec}/complete", "{}")).ExpectAsync(409);
        Assert.Equal("timeout", problem.GetProperty("currentStatus").GetString());
        await (await http.PostJsonAsync("/api/v1/tasks/t/tools", """{"toolName":"x"}""", null)).ExpectAsync(201);
        Assert.Equal(403, HttpStatusCodeOf(await host.Client(TestHost.ReadKey).PostJsonAsync("/api/v1/tasks/t/tools", """{"toolName":"x"}""")));

        var task = await (await http.GetAsync("/api/v1/tasks/t")).ExpectAsync(200);
        Assert.Equal(4, task.GetProperty("lastSeq").GetInt64()); // created, start, timeout, start again (refusals wrote nothing)
        await (await http.GetAsync("/api/v1/tasks/missing/tools")).ExpectAsync(404);
    }

    private static int HttpStatusCodeOf(HttpResponseMessage r) => (int)r.StatusCode;
}
