using System.Buffers;
using System.Net.WebSockets;

namespace SpectralNotify.Server.Realtime;

/// <summary>Writes messages as WebSocket text frames. Only the subscription's writer loop calls it, so sends never overlap.</summary>
public sealed class WebSocketSink(WebSocket socket) : ILiveSink
{
    public async Task SendAsync(Outgoing message, CancellationToken ct)
    {
        if (message.Shared is null && message.Tail is null)
        {
            await socket.SendAsync(message.Payload, WebSocketMessageType.Text, endOfMessage: true, ct);
            return;
        }
        // A spliced message goes out as one frame, as it always has: joined in a pooled buffer for the
        // send only, so the shared part is never copied into a long-lived array.
        var length = message.Length;
        var buffer = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            message.CopyTo(buffer);
            await socket.SendAsync(buffer.AsMemory(0, length), WebSocketMessageType.Text, endOfMessage: true, ct);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
