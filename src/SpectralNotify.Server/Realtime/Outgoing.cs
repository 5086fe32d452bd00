namespace SpectralNotify.Server.Realtime;

/// <summary>
/// One encoded message on its way to a connection. <see cref="Seq"/> &gt; 0 for task events (used to
/// drop duplicates and repair gaps); 0 for a deletion (the sequence restarts); -1 for control
/// messages (pong, error) that are never filtered. The payload is shared by all subscribers.
/// </summary>
/// <remarks>
/// A message may be spliced: its bytes are <see cref="Payload"/>, then <see cref="Shared"/>, then
/// <see cref="Tail"/>. A workflow message carries every phase, and every message of one replay page
/// (or of one live change) carries the same phases, so they are encoded once and the array is shared
/// instead of being copied into each message (audit finding 7). Sinks write the parts in order;
/// the client sees one message, byte for byte as if it had been encoded whole.
/// </remarks>
public readonly record struct Outgoing(long Seq, string Type, byte[] Payload, DateTimeOffset? CommittedAt = null)
{
    public const long Control = -1;

    /// <summary>Bytes shared with other messages, sent after <see cref="Payload"/>; null for a message in one piece.</summary>
    public byte[]? Shared { get; init; }

    /// <summary>Bytes sent after <see cref="Shared"/>; null for a message in one piece.</summary>
    public byte[]? Tail { get; init; }

    /// <summary>
    /// Protocol v2: this message ends the entity's stream (a terminal change, or a deletion). The
    /// bytes are an <c>end</c> message sent right after it (empty when the message is itself the end);
    /// a subscription without <c>follow</c> closes then. Null for every other message.
    /// </summary>
    public byte[]? End { get; init; }

    /// <summary>The length of the whole message on the wire.</summary>
    public int Length => Payload.Length + (Shared?.Length ?? 0) + (Tail?.Length ?? 0);

    /// <summary>The bytes this message alone holds (all but <see cref="Shared"/>).</summary>
    public int OwnLength => Payload.Length + (Tail?.Length ?? 0);

    /// <summary>Copies the whole message into <paramref name="destination"/>, which holds at least <see cref="Length"/> bytes.</summary>
    public void CopyTo(Span<byte> destination)
    {
        Payload.CopyTo(destination);
        Shared?.CopyTo(destination[Payload.Length..]);
        Tail?.CopyTo(destination[(Payload.Length + (Shared?.Length ?? 0))..]);
    }
}
