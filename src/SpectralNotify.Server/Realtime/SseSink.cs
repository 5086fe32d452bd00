using System.Globalization;
using System.Text;

namespace SpectralNotify.Server.Realtime;

/// <summary>
/// Writes messages as server-sent events: <c>id: seq</c>, <c>event: type</c>, <c>data: json</c>.
/// The id lets EventSource resume with <c>Last-Event-ID</c>. Control messages carry no id.
/// </summary>
public sealed class SseSink(HttpResponse response) : ILiveSink
{
    private static readonly byte[] DataPrefix = "data: "u8.ToArray();
    private static readonly byte[] End = "\n\n"u8.ToArray();

    public async Task SendAsync(Outgoing message, CancellationToken ct)
    {
        if (message.Type == "keepalive")
        {
            await response.Body.WriteAsync(message.Payload, ct);
            await response.Body.WriteAsync(End, ct);
            await response.Body.FlushAsync(ct);
            return;
        }
        var head = message.Seq > 0
            ? $"id: {message.Seq.ToString(CultureInfo.InvariantCulture)}\nevent: {message.Type}\n"
            : $"event: {message.Type}\n";
        await response.Body.WriteAsync(Encoding.UTF8.GetBytes(head), ct);
        await response.Body.WriteAsync(DataPrefix, ct);
        await response.Body.WriteAsync(message.Payload, ct);
        if (message.Shared is { } shared)
        {
            await response.Body.WriteAsync(shared, ct);
        }
        if (message.Tail is { } tail)
        {
            await response.Body.WriteAsync(tail, ct);
        }
        await response.Body.WriteAsync(End, ct);
        await response.Body.FlushAsync(ct);
    }
}
