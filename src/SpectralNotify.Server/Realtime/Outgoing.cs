namespace SpectralNotify.Server.Realtime;

/// <summary>
/// One encoded message on its way to a connection. <see cref="Seq"/> &gt; 0 for task events (used to
/// drop duplicates and repair gaps); 0 for a deletion (the sequence restarts); -1 for control
/// messages (pong, error) that are never filtered. The payload is shared by all subscribers.
/// </summary>
public readonly record struct Outgoing(long Seq, string Type, byte[] Payload, DateTimeOffset? CommittedAt = null)
{
    public const long Control = -1;
}
