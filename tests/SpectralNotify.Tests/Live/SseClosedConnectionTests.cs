using SpectralNotify.Tests.Infrastructure;

namespace SpectralNotify.Tests.Live;

/// <summary>
/// An SSE stream (v1 task stream and the protocol-v2 twin) ends when its connection closes, even
/// where Kestrel's RequestAborted would not fire (<see cref="ClosableConnections"/>): it would
/// otherwise hold its subscription with nothing but a failed write to end it.
/// </summary>
public sealed class SseClosedConnectionTests
{
    public static TheoryData<Engine, string> Streams() => new()
    {
        { Engine.Sqlite, "/api/v1/tasks/t/stream" },
        { Engine.Sqlite, "/api/v1/live/sse?topic=task:t" },
        { Engine.Postgres, "/api/v1/tasks/t/stream" },
        { Engine.Postgres, "/api/v1/live/sse?topic=task:t" },
    };

    [Theory, MemberData(nameof(Streams))]
    public async Task A_stream_ends_when_its_connection_closes(Engine engine, string path)
    {
        var connections = new ClosableConnections();
        await using var host = await TestHost.StartAsync(engine, services: connections.Install);
        var http = host.Client();
        await http.CreateTaskAsync("t");
        using var request = new HttpRequestMessage(HttpMethod.Get, path + (path.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "after=0");
        request.Headers.Add(ClosableConnections.Header, "stream");
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        using var response = await host.Client(TestHost.ReadKey).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cts.Token);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var sse = new SseReader(await response.Content.ReadAsStreamAsync(cts.Token));
        Assert.NotNull(await sse.NextAsync(cts.Token));
        await Eventually.TrueAsync(async () => (await http.GetStringAsync("/metrics", cts.Token))
            .Contains("spectral_live_connections{transport=\"sse\"} 1", StringComparison.Ordinal), "/metrics counts the open stream");

        connections.Close("stream");

        // The server ends the response: the reader sees the end of the stream, not the 20 s deadline.
        while (await sse.NextAsync(cts.Token) is not null)
        {
        }
        await Eventually.TrueAsync(async () => (await http.GetStringAsync("/metrics", cts.Token))
            .Contains("spectral_live_connections{transport=\"sse\"} 0", StringComparison.Ordinal), "the stream's subscription is closed");
    }
}
