using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using SpectralNotify.Server.Observability;
using SpectralNotify.Server.Realtime;
using SpectralNotify.Tests.Infrastructure;

namespace SpectralNotify.Tests.Live;

/// <summary>What one client can hold at the edge: live connections (total and per IP) and queued bytes per subscriber.</summary>
public sealed class LiveLimitsTests
{
    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Live_connections_past_a_cap_get_503_with_retry_after_and_every_slot_comes_back(Engine engine)
    {
        await using var host = await TestHost.StartAsync(engine, new Dictionary<string, string?>
        {
            ["Spectral:MaxLiveConnections"] = "3",
            ["Spectral:MaxLiveConnectionsPerIp"] = "2",
        });
        var gate = host.Services.GetRequiredService<LiveConnectionGate>();
        await using var ws1 = await host.ConnectAsync("/ws/task/t1");
        using var sse1 = await OpenSseAsync(host, IPAddress.Loopback);

        // 127.0.0.1 holds its 2: a third WebSocket upgrade and a third stream are refused before they start.
        var refused = new ClientWebSocket();
        refused.Options.CollectHttpResponseDetails = true;
        refused.Options.SetRequestHeader("X-API-Key", TestHost.ReadKey);
        await Assert.ThrowsAsync<WebSocketException>(() => refused.ConnectAsync(host.WebSocketUri("/ws/task/t1"), CancellationToken.None));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.HttpStatusCode);
        Assert.Equal("10", refused.HttpResponseHeaders!["Retry-After"].Single());
        using (var third = await OpenSseAsync(host, IPAddress.Loopback))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, third.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(10), third.Headers.RetryAfter?.Delta);
            var problem = await third.JsonAsync();
            Assert.Equal(503, problem.GetProperty("status").GetInt32());
            Assert.Contains("maximum of 2 live connections", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        // Another address gets the last slot of the total, then the total is full for it too.
        var other = IPAddress.Parse("127.0.0.2");
        using var sse2 = await OpenSseAsync(host, other);
        Assert.Equal(HttpStatusCode.OK, sse2.StatusCode);
        using (var over = await OpenSseAsync(host, other))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, over.StatusCode);
            Assert.Contains("maximum of 3 live connections", (await over.JsonAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        // A closed connection frees its slot.
        await ws1.DisposeAsync();
        await Eventually.TrueAsync(() => Task.FromResult(gate.Count == 2), "the closed WebSocket leaves the gate");
        await using var ws2 = await host.ConnectAsync("/ws/task/t1");
        sse1.Dispose();
        sse2.Dispose();
        await ws2.DisposeAsync();
        var metrics = host.Services.GetRequiredService<SpectralMetrics>();
        await Eventually.TrueAsync(() => Task.FromResult(gate.Count == 0 && metrics.LiveWebSockets == 0 && metrics.LiveSse == 0),
            "every connection left the gate and the gauges");
        Assert.Equal(3, metrics.LiveConnectionsRefused.Value);
    }

    [Fact]
    public async Task A_failed_session_insert_releases_the_hub_the_gauge_and_the_slot()
    {
        // PostgreSQL refuses a NUL in text, so recording the session fails after the connection was accepted
        // (unless the request is refused first as invalid: either way nothing may stay counted).
        await using var host = await TestHost.StartAsync(Engine.Postgres);
        var gate = host.Services.GetRequiredService<LiveConnectionGate>();
        var hub = host.Services.GetRequiredService<TaskHub>();
        var metrics = host.Services.GetRequiredService<SpectralMetrics>();
        try
        {
            await using var ws = await host.ConnectAsync("/ws/task/t1?clientId=a%00b");
            await ws.ReceiveTextAsync();
        }
        catch (WebSocketException)
        {
        }
        using (var sse = await host.Client().GetAsync("/api/v1/tasks/t1/stream?clientId=a%00b", HttpCompletionOption.ResponseHeadersRead))
        {
            try
            {
                await sse.Content.ReadAsByteArrayAsync();
            }
            catch (HttpRequestException)
            {
            }
        }
        await Eventually.TrueAsync(() => Task.FromResult(gate.Count == 0 && hub.TopicCount == 0 && metrics.LiveWebSockets == 0 && metrics.LiveSse == 0),
            "nothing stays registered");
    }

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task A_reader_that_never_reads_is_closed_at_the_byte_bound_with_4008_and_resumes_by_seq(Engine engine)
    {
        // The message bound is out of reach: only the bytes can close it.
        await using var host = await TestHost.StartAsync(engine, new Dictionary<string, string?>
        {
            ["Spectral:SubscriberQueueCapacity"] = "100000",
            ["Spectral:SubscriberQueueBytes"] = "262144",
        });
        var http = host.Client();
        var filler = new string('x', 60_000);
        await http.CreateTaskAsync("t1", $$""","metadata":{"filler":"{{filler}}"}""");
        using var stalled = await RawWebSocket.ConnectAsync(host.BaseAddress, $"/ws/task/t1?after=1&apiKey={TestHost.ReadKey}");
        // ~60 KB per message, 18 MB in all: far more than the socket buffers and the 256 KiB queue hold.
        const int Total = 300;
        for (var i = 0; i < Total; i++)
        {
            await (await http.PostJsonAsync("/api/v1/tasks/t1/events", $$"""{"type":"log","message":"m{{i}}"}""")).ExpectAsync(201);
        }
        var (seqs, code, reason) = await stalled.ReadUntilCloseAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(Enumerable.Range(2, seqs.Count).Select(i => (long)i), seqs);
        var last = seqs.Count > 0 ? seqs[^1] : 1;
        Assert.Equal(4008, code);
        Assert.Contains($"after={last}", reason, StringComparison.Ordinal);
        Assert.True(last < Total + 1, "the subscriber should have been cut off before the end");
        Assert.Equal(1, host.Services.GetRequiredService<SpectralMetrics>().SlowConsumersClosed.Value);

        await using var resumed = await host.ConnectAsync($"/ws/task/t1?after={last}");
        var rest = await resumed.ReceiveThroughSeqAsync(Total + 1, TimeSpan.FromSeconds(30));
        Assert.Equal(Enumerable.Range((int)last + 1, Total + 1 - (int)last).Select(i => (long)i), rest.Select(m => m.GetProperty("seq").GetInt64()));
    }

    /// <summary>Opens an SSE stream from <paramref name="local"/> (any 127.x address reaches the loopback server).</summary>
    private static async Task<HttpResponseMessage> OpenSseAsync(TestHost host, IPAddress local)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, ct) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
                socket.Bind(new IPEndPoint(local, 0));
                await socket.ConnectAsync(context.DnsEndPoint, ct);
                return new NetworkStream(socket, ownsSocket: true);
            },
        };
        var client = new HttpClient(handler, disposeHandler: true) { BaseAddress = host.BaseAddress };
        client.DefaultRequestHeaders.Add("X-API-Key", TestHost.ReadKey);
        return await client.GetAsync("/api/v1/tasks/t1/stream", HttpCompletionOption.ResponseHeadersRead);
    }
}
