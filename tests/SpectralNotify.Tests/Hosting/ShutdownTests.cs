using System.Net.WebSockets;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using SpectralNotify.Tests.Infrastructure;

namespace SpectralNotify.Tests.Hosting;

/// <summary>
/// SIGTERM to the real <c>spectral</c> process: every client gets a clean end it can act on, and the
/// process exits with 0 within <c>Workers:DrainSeconds</c> + 2 s.
/// </summary>
public sealed class ShutdownTests
{
    private const string Key = "shutdown-key-0000000000001";
    private const int DrainSeconds = 2;

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Sigterm_closes_websockets_with_1001_and_resume_seq_ends_sse_answers_claims_and_exits_0(Engine engine)
    {
        await using var db = await TestDatabase.CreateAsync(engine);
        await using var server = await ServerProcess.StartServerAsync(db.Setting, Key, "node-stop", settings: new Dictionary<string, string>
        {
            ["Workers__DrainSeconds"] = DrainSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Logging__LogLevel__SpectralNotify.Server.Hosting.GracefulShutdown"] = "Information",
        });
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        http.DefaultRequestHeaders.Add("X-API-Key", Key);
        await http.CreateTaskAsync("watched");
        for (var i = 0; i < 3; i++)
        {
            await (await http.PostJsonAsync("/api/v1/tasks/watched/events", $$"""{"type":"log","message":"step {{i}}"}""")).ExpectAsync(201);
        }

        // Two WebSockets from different resume points, each having received everything up to seq 4.
        var sockets = new List<LiveClient>();
        foreach (var after in new[] { 0, 2 })
        {
            var socket = new ClientWebSocket();
            socket.Options.SetRequestHeader("X-API-Key", Key);
            await socket.ConnectAsync(new Uri($"ws://{server.BaseAddress.Authority}/ws/task/watched?after={after}"), CancellationToken.None);
            var client = new LiveClient(socket);
            sockets.Add(client);
            await client.ReceiveThroughSeqAsync(4);
        }
        using var sseResponse = await http.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/api/v1/tasks/watched/stream?after=0"), HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(200, (int)sseResponse.StatusCode);
        var sse = new SseReader(await sseResponse.Content.ReadAsStreamAsync());
        using var sseTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        while ((await sse.NextAsync(sseTimeout.Token))?.Id != "4")
        {
        }
        var claim = http.PostJsonAsync("/api/v1/workers/claim", """{"workerId":"w-stop","queues":["nothing-here"],"waitSeconds":20}""");
        await Eventually.TrueAsync(async () => (await http.GetStringAsync("/metrics")).Contains("spectral_claims_waiting 1", StringComparison.Ordinal),
            "the claim is waiting for work");

        await server.TerminateAsync();
        var exit = server.WaitForExitAsync(TimeSpan.FromSeconds(DrainSeconds + 2));

        foreach (var client in sockets)
        {
            Assert.Null(await client.ReceiveTextAsync());
            Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, client.Socket.CloseStatus);
            Assert.Equal("server shutting down; resume with ?after=4", client.Socket.CloseStatusDescription);
            await client.Socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None);
            await client.DisposeAsync();
        }
        Assert.Null(await sse.NextAsync(sseTimeout.Token)); // end of stream, no IOException
        Assert.Equal("server shutting down; resume with Last-Event-ID: 4", sse.LastComment);
        var claimed = await (await claim).ExpectAsync(200);
        Assert.Empty(claimed.GetProperty("runs").EnumerateArray());

        var code = await exit;
        Assert.True(code == 0, $"spectral should exit with 0 within {DrainSeconds + 2} s of SIGTERM; exit code: {(code is null ? "none, still running" : code)}\n{server.Output}");
        Assert.Contains("Shutting down: closing 3 live connections", server.Output, StringComparison.Ordinal);
        Assert.Contains("answering 1 waiting claims", server.Output, StringComparison.Ordinal);
        Assert.Contains("Shutdown complete", server.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_host_waits_for_the_in_process_drain_plus_one_second()
    {
        await using var host = await TestHost.StartAsync(Engine.Sqlite, new Dictionary<string, string?> { ["Workers:DrainSeconds"] = "3" });
        Assert.Equal(TimeSpan.FromSeconds(4), host.Services.GetRequiredService<IOptions<HostOptions>>().Value.ShutdownTimeout);
    }
}
