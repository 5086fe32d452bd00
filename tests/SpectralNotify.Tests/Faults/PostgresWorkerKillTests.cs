using System.Diagnostics;
using System.Text.Json;
using SpectralNotify.Tests.Infrastructure;

namespace SpectralNotify.Tests.Faults;

/// <summary>
/// A real HTTP worker process (examples/workers/http-worker.mjs) is killed with SIGKILL mid-run: its
/// lease runs out, the scheduler fails the attempt, and the run is retried (attempt 2, here by the
/// test acting as a worker) and completed exactly once. On both engines: the lease rules are the
/// store's, and the PostgreSQL half of the fault suite checks they hold there too.
/// </summary>
public sealed class PostgresWorkerKillTests(ITestOutputHelper output)
{
    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task A_worker_killed_mid_run_loses_its_lease_and_the_run_completes_once_on_attempt_2(Engine engine)
    {
        await using var host = await TestHost.StartAsync(engine, new Dictionary<string, string?>
        {
            ["Workers:Enabled"] = "false",
            ["Spectral:SchedulerInterval"] = "00:00:00.200",
        });
        var http = host.Client(TestHost.WriteKey);
        // 8 s of work in 4 steps, heartbeating a 5 s lease every 2 s: alive, the worker keeps its lease.
        await (await http.PostJsonAsync("/api/v1/runs", """{"runs":[{"id":"long","type":"demo","payload":{"sleepMs":8000}}]}""")).ExpectAsync(201);

        using var worker = StartWorker(host, "doomed-worker");
        await Eventually.TrueAsync(async () =>
        {
            var t = await (await http.GetAsync("/api/v1/tasks/long")).ExpectAsync(200);
            return t.GetProperty("progress").GetDouble() > 0;
        }, "the worker reported progress (it holds the lease and heartbeats)", TimeSpan.FromSeconds(20));
        worker.Kill(entireProcessTree: true);
        await worker.WaitForExitAsync();
        var killedAt = DateTime.UtcNow;

        JsonElement run = default;
        for (var deadline = DateTime.UtcNow.AddSeconds(30); run.ValueKind == JsonValueKind.Undefined;)
        {
            Assert.True(DateTime.UtcNow < deadline, "nobody could claim the run within 30 s of the kill");
            var claim = await (await http.PostJsonAsync("/api/v1/workers/claim",
                """{"workerId":"test-worker","queues":["default"],"max":1,"leaseSeconds":5,"waitSeconds":2}""")).ExpectAsync(200);
            if (claim.GetProperty("runs").GetArrayLength() == 1)
            {
                run = claim.GetProperty("runs")[0];
            }
        }
        output.WriteLine($"{engine}: reclaimed {(DateTime.UtcNow - killedAt).TotalSeconds:F1} s after the kill (lease 5 s, retry backoff ~2 s)");
        Assert.Equal(2, run.GetProperty("attempt").GetInt32());
        var token = run.GetProperty("leaseToken").GetString();
        await (await http.PostJsonAsync("/api/v1/runs/long/complete", $$$"""{"leaseToken":"{{{token}}}","result":{"by":"test"}}""")).ExpectAsync(200);

        var final = await (await http.GetAsync("/api/v1/runs/long")).ExpectAsync(200);
        Assert.Equal("success", final.GetProperty("status").GetString());
        Assert.Equal(2, final.GetProperty("attempt").GetInt32());
        Assert.Equal("""{"by":"test"}""", final.GetProperty("result").GetRawText());
        var events = (await (await http.GetAsync("/api/v1/tasks/long/events?limit=100")).ExpectAsync(200)).GetProperty("data").EnumerateArray().ToList();
        Assert.Equal(1, events.Count(e => e.GetProperty("type").GetString() == "success"));
        Assert.Contains(events, e => e.GetProperty("message").GetString() == "doomed-worker took attempt 1");
    }

    private static Process StartWorker(TestHost host, string workerId)
    {
        var start = ExampleWorker.StartInfo(host, new Dictionary<string, string>
        {
            ["WORKER_ID"] = workerId,
            ["LEASE_SECONDS"] = "5",
            ["MAX_RUNS"] = "1",
        });
        var process = Process.Start(start)!;
        // Drain the pipes so the worker never blocks writing to them.
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }
}
