using System.Text.Json;
using SpectralNotify.Client;
using SpectralNotify.Client.Models;
using SpectralNotify.Tests.Infrastructure;

namespace SpectralNotify.Tests.Cli;

/// <summary>The client verbs of the real <c>spectral</c> process against a real server on each engine.</summary>
public sealed class ClientVerbsCliTests
{
    private const string Key = "cli-verbs-test-admin-key-0123456789";

    internal static Dictionary<string, string> Env(ServerProcess server, string key = Key) => new()
    {
        ["SPECTRAL_URL"] = server.BaseAddress.ToString(),
        ["SPECTRAL_API_KEY"] = key,
    };

    private static async Task<JsonElement> JsonAsync(ServerProcess server, params string[] args)
    {
        var (code, stdout, stderr) = await ServerProcess.RunSplitAsync(Env(server), args);
        Assert.True(code == 0, $"spectral {string.Join(' ', args)} exited {code}: {stderr}");
        return JsonDocument.Parse(stdout).RootElement;
    }

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Tasks_round_trip_create_progress_event_complete_get(Engine engine)
    {
        await using var db = await TestDatabase.CreateAsync(engine);
        await using var server = await ServerProcess.StartServerAsync(db.Setting, Key, "cli-verbs");

        var created = await JsonAsync(server, "tasks", "create", "--id", "encode-1", "--title", "Encode video", "--metadata", """{"file":"a.mp4"}""", "-o", "json");
        Assert.Equal(("encode-1", "pending"), (created.GetProperty("id").GetString(), created.GetProperty("status").GetString()));
        var progressed = await JsonAsync(server, "-o", "json", "tasks", "progress", "encode-1", "42.5", "-m", "pass 1");
        Assert.Equal(42.5, progressed.GetProperty("progress").GetDouble());
        var added = await JsonAsync(server, "tasks", "event", "encode-1", "pass 2 of 2", "--type", "log", "-o", "json");
        Assert.Equal("pass 2 of 2", added.GetProperty("message").GetString());
        await JsonAsync(server, "tasks", "complete", "encode-1", "-o", "json");

        var got = await JsonAsync(server, "tasks", "get", "encode-1", "-o", "json");
        Assert.Equal(("success", 100.0, "a.mp4"), (got.GetProperty("status").GetString(), got.GetProperty("progress").GetDouble(), got.GetProperty("metadata").GetProperty("file").GetString()));

        var (code, text, _) = await ServerProcess.RunSplitAsync(Env(server), "tasks", "get", "encode-1");
        Assert.Equal(0, code);
        Assert.Matches(@"(?m)^Status:\s+success$", text);
        Assert.Matches(@"(?m)^Title:\s+Encode video$", text);

        (code, var lines, _) = await ServerProcess.RunSplitAsync(Env(server), "tasks", "list", "-o", "jsonl");
        Assert.Equal(0, code);
        var row = Assert.Single(lines.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal("encode-1", JsonDocument.Parse(row).RootElement.GetProperty("id").GetString());
        (code, text, _) = await ServerProcess.RunSplitAsync(Env(server), "tasks", "list");
        Assert.Equal(0, code);
        Assert.Matches(@"(?m)^ID\s+STATUS\s+PROGRESS", text);
        Assert.Matches(@"(?m)^encode-1\s+success\s+100%", text);

        // A refused call: exit 1, one error line; a missing task is a 404.
        (code, _, var stderr) = await ServerProcess.RunSplitAsync(Env(server), "tasks", "progress", "missing", "10");
        Assert.Equal(1, code);
        Assert.StartsWith("error: 404", stderr, StringComparison.Ordinal);
        // A wrong key or an unreachable server: 4.
        (code, _, stderr) = await ServerProcess.RunSplitAsync(Env(server, "wrong-key-wrong-key-wrong-key"), "tasks", "get", "encode-1");
        Assert.Equal((4, true), (code, stderr.StartsWith("error: 401", StringComparison.Ordinal)));
        (code, _, stderr) = await ServerProcess.RunSplitAsync(
            new Dictionary<string, string> { ["SPECTRAL_API_KEY"] = Key }, "tasks", "get", "encode-1", "--server", $"http://127.0.0.1:{ServerProcess.FreePort()}");
        Assert.Equal((4, true), (code, stderr.StartsWith("error: cannot reach", StringComparison.Ordinal)));
    }

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Jobs_runs_workflows_and_counters(Engine engine)
    {
        await using var db = await TestDatabase.CreateAsync(engine);
        await using var server = await ServerProcess.StartServerAsync(db.Setting, Key, "cli-jobs", settings: new Dictionary<string, string> { ["Workers__Enabled"] = "false" });

        var job = await JsonAsync(server, "jobs", "create", "--type", "demo", "--id", "nightly", "--cron", "0 3 * * *", "--tz", "Europe/Paris", "--paused", "-o", "json");
        Assert.Equal(("nightly", "paused"), (job.GetProperty("id").GetString(), job.GetProperty("state").GetString()));
        Assert.Equal("active", (await JsonAsync(server, "jobs", "resume", "nightly", "-o", "json")).GetProperty("state").GetString());
        Assert.Equal("paused", (await JsonAsync(server, "jobs", "pause", "nightly", "-o", "json")).GetProperty("state").GetString());
        var run = await JsonAsync(server, "jobs", "trigger", "nightly", "-o", "json");
        var runId = run.GetProperty("id").GetString()!;
        var runs = await JsonAsync(server, "jobs", "runs", "nightly", "-o", "json");
        Assert.Equal(runId, Assert.Single(runs.EnumerateArray()).GetProperty("id").GetString());
        Assert.Equal("nightly", (await JsonAsync(server, "runs", "get", runId, "-o", "json")).GetProperty("jobId").GetString());
        var (code, text, stderr) = await ServerProcess.RunSplitAsync(Env(server), "jobs", "list");
        Assert.True(code == 0, stderr);
        Assert.Matches(@"(?m)^nightly\s+demo\s+paused\s+cron '0 3 \* \* \*' in Europe/Paris", text);
        (code, _, stderr) = await ServerProcess.RunSplitAsync(Env(server), "runs", "cancel", runId);
        Assert.True(code == 0, stderr);
        var retried = await JsonAsync(server, "runs", "retry", runId, "-o", "json");
        Assert.NotEqual(runId, retried.GetProperty("id").GetString());

        await using var client = SpectralClient.Create(new SpectralClientOptions { BaseAddress = server.BaseAddress, ApiKey = Key });
        await client.Workflows.CreateAsync(new CreateWorkflowRequest
        {
            Id = "release",
            Phases = [new() { Key = "build", Label = "build", Weight = 0.75 }, new() { Key = "unit", Label = "unit", Weight = 1, ParentPhaseKey = "build" }, new() { Key = "ship", Label = "ship", Weight = 0.25 }],
        });
        // Progress goes to the leaf; its parent rolls up by weight.
        await client.Workflows.PhaseProgressAsync("release", "unit", 50);
        (code, text, stderr) = await ServerProcess.RunSplitAsync(Env(server), "workflows", "get", "release");
        Assert.True(code == 0, stderr);
        Assert.Matches(@"(?m)^├─ build\s+\[#{10}\.{10}\]\s+50%\s+\S+\s+weight 0\.75 \(75% of the whole\)$", text);
        Assert.Matches(@"(?m)^│  └─ unit\s+\[#{10}\.{10}\]\s+50%", text);
        Assert.Matches(@"(?m)^└─ ship\s", text);
        Assert.Equal("release", (await JsonAsync(server, "workflows", "get", "release", "-o", "json")).GetProperty("id").GetString());

        await client.Counters.CreateAsync("visits", 5);
        await client.Counters.IncrementAsync("visits", 2);
        Assert.Equal(7, (await JsonAsync(server, "counters", "get", "visits", "-o", "json")).GetProperty("value").GetInt64());
    }
}
