using SpectralNotify.Tests.Infrastructure;

namespace SpectralNotify.Tests.Worker;

/// <summary>
/// The server is killed with SIGKILL while a remote worker's attempt runs, and started again on the
/// same address: the worker's reports and outcome are retried until the server answers (each once,
/// by its Idempotency-Key), the attempt keeps its lease, and the claim loops go on.
/// </summary>
public sealed class RemoteWorkerRestartTests(ITestOutputHelper output)
{
    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task A_run_under_way_when_the_server_is_killed_and_restarted_still_completes_and_claiming_goes_on(Engine engine)
    {
        await using var server = await WorkerServer.StartAsync(engine);
        var probe = new Probe();
        await using var worker = await WorkerHost.StartAsync(server.BaseAddress,
            w => w.AddHandler<ReleasedHandler>("long").AddHandler<QuickHandler>("quick"),
            // A lease that outlasts the restart (a minute and more on a loaded CI machine), so the attempt
            // is still this worker's when the server is back.
            o => o.LeaseDuration = TimeSpan.FromMinutes(5),
            services: s => s.AddSingleton(probe), output: output);

        var id = await server.EnqueueAsync("long");
        Assert.Equal(id, await probe.Started.Task.WaitAsync(Probe.Wait));
        await server.KillAsync();
        probe.Release.SetResult();
        // The handler's next report finds no server and is being retried.
        await Eventually.TrueAsync(() => Task.FromResult(worker.Log.Entries.Any(e => e.Contains($"run {id}: progress", StringComparison.Ordinal))),
            "the worker retries the handler's report while the server is down", TimeSpan.FromSeconds(30));

        await server.RestartAsync();
        var run = await server.WaitForStatusAsync(id, "success");
        Assert.Equal(1, run.GetProperty("attempt").GetInt32());
        Assert.True(run.GetProperty("result").GetProperty("done").GetBoolean());
        var messages = await server.EventMessagesAsync(id);
        Assert.Single(messages, m => m == "finishing");

        var next = await server.EnqueueAsync("quick");
        await server.WaitForStatusAsync(next, "success");
        Assert.Equal([(id, 1), (next, 1)], probe.Attempts);
    }
}
