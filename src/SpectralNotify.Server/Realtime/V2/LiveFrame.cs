using System.Buffers;
using System.Net.WebSockets;

namespace SpectralNotify.Server.Realtime.V2;

/// <summary>
/// One message on its way out of a protocol-v2 connection: the shared encoded <see cref="Message"/>,
/// preceded by the subscription's <c>{"id":"…",</c> (<see cref="Prefix"/>) in place of the message's
/// opening brace; no prefix for connection messages (<c>welcome</c>, <c>pong</c>, <c>heartbeat</c>).
/// <see cref="Counted"/>: a <see cref="Subscription"/> already counted it in the sent-messages metric.
/// </summary>
public readonly record struct LiveFrame(byte[]? Prefix, Outgoing Message, bool Counted = false)
{
    public async Task WriteAsync(WebSocket socket, CancellationToken ct)
    {
        if (Prefix is null && Message.Shared is null && Message.Tail is null)
        {
            await socket.SendAsync(Message.Payload, WebSocketMessageType.Text, endOfMessage: true, ct);
            return;
        }
        var prefix = Prefix ?? [];
        var skip = Prefix is null ? 0 : 1; // the message's own "{"
        var length = prefix.Length + Message.Length - skip;
        var buffer = ArrayPool<byte>.Shared.Rent(length + skip);
        try
        {
            prefix.CopyTo(buffer, 0);
            // Copy the whole message right after the prefix, one byte early, so its "{" lands on the prefix's ","
            // ... and then restore that comma: cheaper than splitting CopyTo's three parts.
            Message.CopyTo(buffer.AsSpan(prefix.Length - skip));
            if (skip == 1)
            {
                buffer[prefix.Length - 1] = (byte)',';
            }
            await socket.SendAsync(buffer.AsMemory(0, length), WebSocketMessageType.Text, endOfMessage: true, ct);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>The length of the message as sent: the prefix in place of the message's opening brace.</summary>
    public int Length => Prefix is null ? Message.Length : Prefix.Length + Message.Length - 1;

    /// <summary>Writes the message as one piece into <paramref name="destination"/> (<see cref="Length"/> bytes; for the SSE twin): the same splice as <see cref="WriteAsync"/>.</summary>
    public void CopyTo(Span<byte> destination)
    {
        if (Prefix is null)
        {
            Message.CopyTo(destination);
            return;
        }
        Prefix.CopyTo(destination);
        Message.CopyTo(destination[(Prefix.Length - 1)..]); // its "{" lands on the prefix's ","
        destination[Prefix.Length - 1] = (byte)',';
    }
}
