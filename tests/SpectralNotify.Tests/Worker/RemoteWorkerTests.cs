using SpectralNotify.Tests.Infrastructure;

namespace SpectralNotify.Tests.Worker;

/// <summary>
/// <c>SpectralNotify.Worker</c> in the test process against the real <c>spectral</c> executable on
/// both engines: outcomes, reports on the run's task, retries by the server's rules, and cancel.
/// </summary>
public sealed class RemoteWorkerTests(ITestOutputHelper output)
{
    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task A_run_completes_with_its_progress_events_tool_execution_and_result(Engine engine)
    {
        await using var server = await WorkerServer.StartAsync(engine);
        var probe = new Probe();
        await using var worker = await WorkerHost.StartAsync(server.BaseAddress, w => w.AddHandler<ReportingHandler>("thumbnail"),
            services: s => s.AddSingleton(probe), output: output);

        var id = await server.EnqueueAsync("thumbnail", """{"image":"a.png"}""");
        var run = await server.WaitForStatusAsync(id, "success");

        Assert.Equal("a.png-128.png", run.GetProperty("result").GetProperty("thumb").GetString());
        Assert.Equal(1, run.GetProperty("attempt").GetInt32());
        Assert.StartsWith("test-worker-", run.GetProperty("workerId").GetString());
        var messages = await server.EventMessagesAsync(id);
        Assert.Contains("a quarter", messages);
        Assert.Contains("three quarters", messages);
        Assert.Contains("almost done", messages);
        var tools = await (await server.Http.GetAsync($"/api/v1/tasks/{id}/tools")).ExpectAsync(200);
        var tool = Assert.Single(tools.GetProperty("data").EnumerateArray());
        Assert.Equal("resize", tool.GetProperty("toolName").GetString());
        Assert.Equal("success", tool.GetProperty("status").GetString());
        Assert.Equal([(id, 1)], probe.Attempts);
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task A_throwing_handler_is_retried_per_max_retries_then_dead_lettered_and_a_non_retryable_failure_ends_at_once(Engine engine)
    {
        await using var server = await WorkerServer.StartAsync(engine);
        var probe = new Probe();
        await using var worker = await WorkerHost.StartAsync(server.BaseAddress,
            w => w.AddHandler<ThrowingHandler>("flaky").AddHandler<FatalHandler>("fatal"), services: s => s.AddSingleton(probe), output: output);

        var flaky = await server.EnqueueAsync("flaky", extra: ""","maxRetries":2""");
        var fatal = await server.EnqueueAsync("fatal", extra: ""","maxRetries":3""");

        // The server's backoff (2 s, then 4 s, plus jitter) spaces the three attempts.
        var dead = await server.WaitForStatusAsync(flaky, "failed", TimeSpan.FromSeconds(90));
        Assert.Equal(3, dead.GetProperty("attempt").GetInt32());
        Assert.Equal("done", dead.GetProperty("state").GetString());
        Assert.Equal([1, 2, 3], probe.Attempts.Where(a => a.Run == flaky).Select(a => a.Attempt));
        var task = await (await server.Http.GetAsync($"/api/v1/tasks/{flaky}")).ExpectAsync(200);
        Assert.Contains("InvalidOperationException: boom on attempt 3", task.GetProperty("error").GetString());
        var messages = await server.EventMessagesAsync(flaky);
        Assert.Contains(messages, m => m.Contains("boom on attempt 1", StringComparison.Ordinal));

        var ended = await server.WaitForStatusAsync(fatal, "failed");
        Assert.Equal(1, ended.GetProperty("attempt").GetInt32());
        Assert.Equal([1], probe.Attempts.Where(a => a.Run == fatal).Select(a => a.Attempt));
        var fatalTask = await (await server.Http.GetAsync($"/api/v1/tasks/{fatal}")).ExpectAsync(200);
        Assert.Contains("the payload can never work", fatalTask.GetProperty("error").GetString());
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task A_cancel_on_the_server_reaches_the_handlers_token_and_the_run_ends_canceled(Engine engine)
    {
        await using var server = await WorkerServer.StartAsync(engine);
        var probe = new Probe();
        await using var worker = await WorkerHost.StartAsync(server.BaseAddress, w => w.AddHandler<WaitForTokenHandler>("endless"),
            o => o.LeaseDuration = TimeSpan.FromSeconds(9), services: s => s.AddSingleton(probe), output: output);

        var id = await server.EnqueueAsync("endless", extra: ""","maxRetries":5""");
        Assert.Equal(id, await probe.Started.Task.WaitAsync(Probe.Wait));
        await (await server.Http.PostJsonAsync($"/api/v1/tasks/{id}/cancel", "{}")).ExpectAsync(202);

        // The next heartbeat (every third of the 9 s lease) answers cancelRequested.
        await probe.TokenFired.Task.WaitAsync(Probe.Wait);
        var run = await server.WaitForStatusAsync(id, "canceled");
        Assert.Equal(1, run.GetProperty("attempt").GetInt32());
        Assert.Single(probe.Attempts);
    }
}
