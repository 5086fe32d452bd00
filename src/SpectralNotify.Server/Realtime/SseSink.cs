using System.Buffers;
using System.Globalization;
using System.IO.Pipelines;
using System.Text;

namespace SpectralNotify.Server.Realtime;

/// <summary>
/// Writes messages as server-sent events: <c>id: seq</c>, <c>event: type</c>, <c>data: json</c>.
/// The id lets EventSource resume with <c>Last-Event-ID</c>. Control messages carry no id.
/// </summary>
/// <remarks>
/// Each message is buffered whole in the response's <see cref="PipeWriter"/> and flushed once: every
/// <c>Response.Body.WriteAsync</c> is a flush of its own, which made an event four HTTP chunks
/// (and as many socket sends while the connection kept up) instead of one.
/// </remarks>
public sealed class SseSink(HttpResponse response) : ILiveSink
{
    private static readonly byte[] DataPrefix = "data: "u8.ToArray();
    private static readonly byte[] End = "\n\n"u8.ToArray();

    public async Task SendAsync(Outgoing message, CancellationToken ct)
    {
        var writer = response.BodyWriter;
        if (message.Type == "keepalive")
        {
            writer.Write(message.Payload);
            writer.Write(End);
            await FlushAsync(writer, ct);
            return;
        }
        var head = message.Seq > 0
            ? $"id: {message.Seq.ToString(CultureInfo.InvariantCulture)}\nevent: {message.Type}\n"
            : $"event: {message.Type}\n";
        Encoding.UTF8.GetBytes(head, writer);
        writer.Write(DataPrefix);
        writer.Write(message.Payload);
        if (message.Shared is { } shared)
        {
            writer.Write(shared);
        }
        if (message.Tail is { } tail)
        {
            writer.Write(tail);
        }
        writer.Write(End);
        await FlushAsync(writer, ct);
    }

    /// <summary>One flush; a cancelled one ends the stream as a cancelled stream write would.</summary>
    internal static async Task FlushAsync(PipeWriter writer, CancellationToken ct)
    {
        var result = await writer.FlushAsync(ct);
        if (result.IsCanceled)
        {
            throw new OperationCanceledException(ct);
        }
    }
}
