using System.Globalization;
using System.Net.Sockets;
using System.Text;
using SpectralNotify.Tests.Infrastructure;

namespace SpectralNotify.Tests.Live;

/// <summary>
/// Both SSE streams put every event on the wire whole: one HTTP chunk holds one or more complete
/// events, never a piece of one. Read from a raw socket, since an HTTP client hides the chunking. An
/// event written line by line used to be five or six chunks, each flushed (and usually sent) alone.
/// </summary>
public sealed class SseFramingTests
{
    [Theory]
    [InlineData("/api/v1/tasks/t/stream?after=0")]
    [InlineData("/api/v1/live/sse?topic=task:t&after=0")]
    public async Task Every_chunk_holds_whole_events(string pathAndQuery)
    {
        await using var host = await TestHost.StartAsync(Engine.Sqlite);
        var http = host.Client();
        await http.CreateTaskAsync("t");
        for (var i = 0; i < 3; i++)
        {
            await (await http.PostJsonAsync("/api/v1/tasks/t/events", $$"""{"type":"log","message":"m{{i}}"}""")).ExpectAsync(201);
        }
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(host.BaseAddress.Host, host.BaseAddress.Port, cts.Token);
        var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(
            $"GET {pathAndQuery} HTTP/1.1\r\nHost: {host.BaseAddress.Authority}\r\nX-API-Key: {TestHost.AdminKey}\r\nAccept: text/event-stream\r\n\r\n"), cts.Token);
        var reader = new ChunkReader(stream);

        var head = await reader.LineBlockAsync(cts.Token);
        Assert.StartsWith("HTTP/1.1 200", head, StringComparison.Ordinal);
        Assert.Contains("transfer-encoding: chunked", head, StringComparison.OrdinalIgnoreCase);
        var chunks = new List<string>();
        while (!string.Concat(chunks).Contains("m2", StringComparison.Ordinal))
        {
            chunks.Add(await reader.ChunkAsync(cts.Token));
        }

        Assert.All(chunks, chunk =>
        {
            Assert.EndsWith("\n\n", chunk, StringComparison.Ordinal);
            // Every event block in it starts with a field name: nothing continues an event begun in an earlier chunk.
            Assert.All(chunk.Split("\n\n", StringSplitOptions.RemoveEmptyEntries),
                block => Assert.Matches("^(retry|id|event|data|:)", block));
        });
        Assert.All(new[] { "\"m0\"", "\"m1\"", "\"m2\"" }, m => Assert.Contains(m, string.Concat(chunks), StringComparison.Ordinal));
    }

    /// <summary>Reads an HTTP/1.1 response off a raw stream: the header block, then one chunk at a time.</summary>
    private sealed class ChunkReader(Stream stream)
    {
        private readonly byte[] _one = new byte[1];

        public async Task<string> LineBlockAsync(CancellationToken ct)
        {
            var text = new StringBuilder();
            while (!text.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
            {
                text.Append((char)await ByteAsync(ct));
            }
            return text.ToString();
        }

        public async Task<string> ChunkAsync(CancellationToken ct)
        {
            var size = int.Parse(await LineAsync(ct), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            var data = new byte[size];
            await stream.ReadExactlyAsync(data, ct);
            Assert.Equal("", await LineAsync(ct));
            return Encoding.UTF8.GetString(data);
        }

        private async Task<string> LineAsync(CancellationToken ct)
        {
            var line = new StringBuilder();
            while (true)
            {
                var b = await ByteAsync(ct);
                if (b == '\n')
                {
                    return line.ToString().TrimEnd('\r');
                }
                line.Append((char)b);
            }
        }

        private async Task<byte> ByteAsync(CancellationToken ct)
        {
            await stream.ReadExactlyAsync(_one, ct);
            return _one[0];
        }
    }
}
