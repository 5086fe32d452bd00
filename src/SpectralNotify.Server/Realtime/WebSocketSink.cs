using System.Net.WebSockets;

namespace SpectralNotify.Server.Realtime;

/// <summary>Writes messages as WebSocket text frames. Only the subscription's writer loop calls it, so sends never overlap.</summary>
public sealed class WebSocketSink(WebSocket socket) : ILiveSink
{
    public Task SendAsync(Outgoing message, CancellationToken ct) =>
        socket.SendAsync(message.Payload, WebSocketMessageType.Text, endOfMessage: true, ct);
}
