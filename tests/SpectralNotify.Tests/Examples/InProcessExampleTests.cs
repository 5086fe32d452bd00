using System.Text.Json;
using SpectralNotify.Tests.Infrastructure;

namespace SpectralNotify.Tests.Examples;

/// <summary>examples/InProcess, the server with a handler of its own, run as a process on both engines.</summary>
public sealed class InProcessExampleTests
{
    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task The_handler_runs_a_job_to_completion_and_a_bad_payload_fails_without_retry(Engine engine)
    {
        await using var db = await TestDatabase.CreateAsync(engine);
        await using var app = await ExampleApp.StartAsync("InProcess", "InProcessExample", new Dictionary<string, string> { ["SPECTRAL_DATABASE"] = db.Setting });
        var http = app.Client();

        await (await http.PostJsonAsync("/api/v1/runs", """
            {"runs":[{"id":"thumbs-1","type":"thumbnail","payload":{"image":"cat.png","sizes":[64,128]}},
                     {"id":"thumbs-bad","type":"thumbnail","payload":{},"maxRetries":3}]}
            """)).ExpectAsync(201);

        var run = await RunAsync(http, "thumbs-1", "success");
        Assert.Equal("""{"thumbnails":["cat-64.png","cat-128.png"]}""", run.GetProperty("result").GetRawText());
        var task = await (await http.GetAsync("/api/v1/tasks/thumbs-1")).ExpectAsync(200);
        Assert.Equal("success", task.GetProperty("status").GetString());
        Assert.Equal(100, task.GetProperty("progress").GetDouble());
        var tools = await (await http.GetAsync("/api/v1/tasks/thumbs-1/tools")).ExpectAsync(200);
        Assert.Equal(2, tools.GetProperty("data").EnumerateArray().Count(t => t.GetProperty("status").GetString() == "success"));

        var bad = await RunAsync(http, "thumbs-bad", "failed");
        Assert.Equal(1, bad.GetProperty("attempt").GetInt32());
    }

    /// <summary>Waits until the run's task has <paramref name="status"/>, then returns the run.</summary>
    private static async Task<JsonElement> RunAsync(HttpClient http, string id, string status)
    {
        JsonElement run = default;
        await Eventually.TrueAsync(async () =>
        {
            run = await (await http.GetAsync($"/api/v1/runs/{id}")).ExpectAsync(200);
            return run.GetProperty("status").GetString() == status;
        }, $"run {id} is {status}", TimeSpan.FromSeconds(30));
        return run;
    }
}
