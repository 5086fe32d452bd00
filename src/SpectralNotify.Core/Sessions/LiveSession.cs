namespace SpectralNotify.Sessions;

/// <summary>A live connection (WebSocket or SSE) watching one entity.</summary>
public sealed record LiveSession
{
    public required string Id { get; init; }
    public string? ClientId { get; init; }
    public string? User { get; init; }
    /// <summary>"websocket" or "sse".</summary>
    public required string ConnectionType { get; init; }
    /// <summary>"task" (workflow and counter arrive later).</summary>
    public required string EntityType { get; init; }
    public required string EntityId { get; init; }
    public required string NodeId { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset LastHeartbeat { get; init; }
    public bool Active { get; init; } = true;
    public DateTimeOffset? EndedAt { get; init; }
}
