using System.Buffers.Binary;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace SpectralNotify.Tests.Infrastructure;

/// <summary>
/// A WebSocket client on a bare TCP socket with a tiny receive buffer: it can stop reading
/// entirely (a stalled client the server must not buffer for without bound), then read what the
/// server sent afterwards, frame by frame.
/// </summary>
public sealed class RawWebSocket : IDisposable
{
    private readonly TcpClient _tcp;
    private readonly NetworkStream _stream;

    private RawWebSocket(TcpClient tcp)
    {
        _tcp = tcp;
        _stream = tcp.GetStream();
    }

    /// <summary>Connects and completes the upgrade of <paramref name="pathAndQuery"/>; throws unless the server answers 101.</summary>
    public static async Task<RawWebSocket> ConnectAsync(Uri baseAddress, string pathAndQuery)
    {
        var tcp = new TcpClient { ReceiveBufferSize = 4096 };
        await tcp.ConnectAsync(baseAddress.Host, baseAddress.Port);
        var ws = new RawWebSocket(tcp);
        var request = $"GET {pathAndQuery} HTTP/1.1\r\nHost: {baseAddress.Authority}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + $"Sec-WebSocket-Key: {Convert.ToBase64String(Guid.NewGuid().ToByteArray())}\r\nSec-WebSocket-Version: 13\r\n\r\n";
        await ws._stream.WriteAsync(Encoding.ASCII.GetBytes(request));
        var head = new StringBuilder();
        var one = new byte[1];
        while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
        {
            await ws._stream.ReadExactlyAsync(one);
            head.Append((char)one[0]);
        }
        if (!head.ToString().StartsWith("HTTP/1.1 101", StringComparison.Ordinal))
        {
            ws.Dispose();
            throw new InvalidOperationException("Upgrade refused: " + head);
        }
        return ws;
    }

    /// <summary>Reads every frame until the server's close frame: the seqs of the text messages, then the close code and reason.</summary>
    public async Task<(List<long> Seqs, int? CloseCode, string CloseReason)> ReadUntilCloseAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        var seqs = new List<long>();
        var header = new byte[2];
        while (true)
        {
            await _stream.ReadExactlyAsync(header, cts.Token);
            var opcode = header[0] & 0x0F;
            long length = header[1] & 0x7F;
            if (length == 126)
            {
                var ext = new byte[2];
                await _stream.ReadExactlyAsync(ext, cts.Token);
                length = BinaryPrimitives.ReadUInt16BigEndian(ext);
            }
            else if (length == 127)
            {
                var ext = new byte[8];
                await _stream.ReadExactlyAsync(ext, cts.Token);
                length = (long)BinaryPrimitives.ReadUInt64BigEndian(ext);
            }
            var payload = new byte[length];
            await _stream.ReadExactlyAsync(payload, cts.Token);
            if (opcode == 0x8)
            {
                return (seqs, payload.Length >= 2 ? BinaryPrimitives.ReadUInt16BigEndian(payload) : null, Encoding.UTF8.GetString(payload.AsSpan(Math.Min(2, payload.Length))));
            }
            if (opcode == 0x1)
            {
                using var doc = JsonDocument.Parse(payload);
                if (doc.RootElement.TryGetProperty("seq", out var seq))
                {
                    seqs.Add(seq.GetInt64());
                }
            }
        }
    }

    public void Dispose()
    {
        _stream.Dispose();
        _tcp.Dispose();
    }
}
