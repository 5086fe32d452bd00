using System.Text.Json;

namespace SpectralNotify.Client.Models;

/// <summary>
/// One server-sent event of <c>GET /api/v1/tasks/{id}/stream</c>: a live message of protocol v1
/// (see docs/realtime.md), e.g. <c>{"type":"progress","taskId":…,"progress":42.5,"seq":2,…}</c>.
/// </summary>
public sealed record TaskStreamMessage
{
    /// <summary>The SSE <c>id</c>: the message's seq (resume after it), or null for control messages.</summary>
    public long? Seq { get; init; }

    /// <summary>The SSE <c>event</c>: the message type (<c>created</c>, <c>progress</c>, <c>log</c>, …).</summary>
    public string Type { get; init; } = "";

    /// <summary>The message itself.</summary>
    public JsonElement Data { get; init; }
}
