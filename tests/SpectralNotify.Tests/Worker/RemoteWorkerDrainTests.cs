using SpectralNotify.Tests.Infrastructure;

namespace SpectralNotify.Tests.Worker;

/// <summary>
/// Stopping the worker's host (Ctrl+C, SIGTERM): claiming stops; an attempt that ends within the
/// drain timeout is recorded as usual; one still running at its end is interrupted through its token
/// and handed back to the server, and another worker takes it at once.
/// </summary>
public sealed class RemoteWorkerDrainTests(ITestOutputHelper output)
{
    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task An_attempt_that_finishes_within_the_drain_timeout_completes_after_the_stop_began(Engine engine)
    {
        await using var server = await WorkerServer.StartAsync(engine);
        var probe = new Probe();
        await using var worker = await WorkerHost.StartAsync(server.BaseAddress, w => w.AddHandler<ReleasedHandler>("long"),
            o => o.DrainTimeout = TimeSpan.FromSeconds(60), services: s => s.AddSingleton(probe), output: output);

        var id = await server.EnqueueAsync("long");
        Assert.Equal(id, await probe.Started.Task.WaitAsync(Probe.Wait));
        var stop = worker.StopAsync();
        await Eventually.TrueAsync(() => Task.FromResult(worker.Log.Entries.Any(e => e.Contains("drains 1 running attempt", StringComparison.Ordinal))),
            "the stopping host waits for the running attempt");
        Assert.False(stop.IsCompleted);
        probe.Release.SetResult();
        await stop;

        var run = await server.WaitForStatusAsync(id, "success");
        Assert.Equal(1, run.GetProperty("attempt").GetInt32());
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task An_attempt_still_running_when_the_drain_ends_is_interrupted_and_retried_by_another_worker(Engine engine)
    {
        await using var server = await WorkerServer.StartAsync(engine);
        var probe = new Probe();
        await using (var first = await WorkerHost.StartAsync(server.BaseAddress, w => w.AddHandler<WaitForTokenHandler>("job"),
            o => o.DrainTimeout = TimeSpan.FromMilliseconds(500), services: s => s.AddSingleton(probe), output: output))
        {
            var id = await server.EnqueueAsync("job", extra: ""","maxRetries":1""");
            Assert.Equal(id, await probe.Started.Task.WaitAsync(Probe.Wait));
            await first.StopAsync();
            Assert.True(probe.TokenFired.Task.IsCompleted, "the handler's token fired when the drain ran out");

            // Handed back with no backoff and one attempt used.
            var back = await server.RunAsync(id);
            Assert.True(back.GetProperty("state").GetString() == "pending", $"the run should be pending, is {back}");
            Assert.Equal(1, back.GetProperty("attempt").GetInt32());
            Assert.Contains(await server.EventMessagesAsync(id), m => m.Contains("interrupted by shutdown", StringComparison.Ordinal));

            var second = new Probe();
            await using var other = await WorkerHost.StartAsync(server.BaseAddress, w => w.AddHandler<QuickHandler>("job"),
                services: s => s.AddSingleton(second), output: output);
            var run = await server.WaitForStatusAsync(id, "success");
            Assert.Equal(2, run.GetProperty("attempt").GetInt32());
            Assert.Equal([(id, 2)], second.Attempts);
        }
    }
}
