using System.Globalization;
using System.Net.WebSockets;
using System.Text;

namespace SpectralNotify.Server.Realtime;

/// <summary>
/// How a live connection ends when the server stops (<c>ApplicationStopping</c>): its queue takes no
/// more messages, what is already queued is sent, then a WebSocket is closed with 1001 and an SSE
/// stream ends with a comment and the final chunk. Both name the last seq actually sent, so a client
/// that resumes from it (<c>?after=</c>, <c>Last-Event-ID</c>) misses nothing.
/// </summary>
/// <remarks>
/// The timeouts are short on purpose: the host stops within <c>Workers:DrainSeconds</c> + 1 s
/// (<see cref="Hosting.GracefulShutdown"/>), and a client too slow to take its queue within
/// <see cref="FlushTimeout"/> is cut and resumes from the seq it did get.
/// </remarks>
public static class GoingAway
{
    /// <summary>1001: the server is going away.</summary>
    public const WebSocketCloseStatus Status = WebSocketCloseStatus.EndpointUnavailable;

    /// <summary>How long the queued messages may take to send. Defaults to 1 second.</summary>
    public static readonly TimeSpan FlushTimeout = TimeSpan.FromSeconds(1);

    /// <summary>How long a WebSocket client has to answer the close frame. Defaults to 1 second.</summary>
    public static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(1);

    /// <summary>The close reason; at most 61 bytes, well under the 123 a close frame allows.</summary>
    public static string Reason(long lastSent) =>
        "server shutting down; resume with ?after=" + lastSent.ToString(CultureInfo.InvariantCulture);

    /// <summary>The last thing on an SSE stream: a comment, so EventSource ignores it and reconnects with its Last-Event-ID.</summary>
    public static byte[] SseComment(long lastSent) =>
        Encoding.UTF8.GetBytes(": server shutting down; resume with Last-Event-ID: " + lastSent.ToString(CultureInfo.InvariantCulture) + "\n\n");
}
