namespace SpectralNotify.Client.Models;

/// <summary>A live connection watching an entity (<c>GET /api/v1/sessions</c>, admin).</summary>
public sealed record Session
{
    /// <summary>The session's id.</summary>
    public string Id { get; init; } = "";

    /// <summary>The id the client gave, if any.</summary>
    public string? ClientId { get; init; }

    /// <summary>The key or token name.</summary>
    public string? User { get; init; }

    /// <summary><c>websocket</c> or <c>sse</c>.</summary>
    public string ConnectionType { get; init; } = "";

    /// <summary>What it watches: <c>task</c>, <c>workflow</c>, <c>counter</c>, ….</summary>
    public string EntityType { get; init; } = "";

    /// <summary>The watched entity's id.</summary>
    public string EntityId { get; init; } = "";

    /// <summary>The server node holding the connection.</summary>
    public string NodeId { get; init; } = "";

    /// <summary>When it connected.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>Its last heartbeat.</summary>
    public DateTimeOffset LastHeartbeat { get; init; }

    /// <summary>Still connected.</summary>
    public bool Active { get; init; }

    /// <summary>When it ended.</summary>
    public DateTimeOffset? EndedAt { get; init; }
}
