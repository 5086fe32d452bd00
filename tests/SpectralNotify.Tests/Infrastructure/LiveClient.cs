using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace SpectralNotify.Tests.Infrastructure;

/// <summary>A test-side WebSocket subscriber that reads whole text messages.</summary>
public sealed class LiveClient(ClientWebSocket socket) : IAsyncDisposable
{
    public ClientWebSocket Socket => socket;

    /// <summary>The next text message, or null when the server closed the socket.</summary>
    public async Task<string?> ReceiveTextAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(15));
        var buffer = new byte[16 * 1024];
        using var ms = new MemoryStream();
        while (true)
        {
            var r = await socket.ReceiveAsync(buffer, cts.Token);
            if (r.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }
            ms.Write(buffer, 0, r.Count);
            if (r.EndOfMessage)
            {
                return Encoding.UTF8.GetString(ms.ToArray());
            }
        }
    }

    public async Task<JsonElement> ReceiveJsonAsync(TimeSpan? timeout = null)
    {
        var text = await ReceiveTextAsync(timeout) ?? throw new InvalidOperationException($"Socket closed: {socket.CloseStatus} {socket.CloseStatusDescription}");
        using var doc = JsonDocument.Parse(text);
        return doc.RootElement.Clone();
    }

    /// <summary>Reads messages until one with <c>seq == <paramref name="lastSeq"/></c>, returning all seq-bearing messages.</summary>
    public async Task<List<JsonElement>> ReceiveThroughSeqAsync(long lastSeq, TimeSpan? timeout = null)
    {
        var list = new List<JsonElement>();
        while (true)
        {
            var m = await ReceiveJsonAsync(timeout);
            if (m.TryGetProperty("seq", out var s) && m.GetProperty("type").GetString() != "snapshot")
            {
                list.Add(m);
                if (s.GetInt64() >= lastSeq)
                {
                    return list;
                }
            }
        }
    }

    public Task SendTextAsync(string text) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None);

    public async ValueTask DisposeAsync()
    {
        if (socket.State == WebSocketState.Open)
        {
            try
            {
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "Client closing connection", cts.Token);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
            {
            }
        }
        socket.Dispose();
    }
}
