using SpectralNotify.Sessions;

namespace SpectralNotify.Storage;

/// <summary>Live connections (sessions) of every node. Part of <see cref="IStore"/>.</summary>
public interface ISessionStore
{
    /// <summary>Marks sessions inactive.</summary>
    Task SessionCloseAsync(IReadOnlyList<string> ids, DateTimeOffset now, CancellationToken ct);

    /// <summary>
    /// What an open session watches now (its <c>entityId</c>): a protocol-v2 connection's
    /// subscriptions change while it is open. Ended sessions keep what they last watched.
    /// </summary>
    Task SessionDescribeAsync(IReadOnlyList<(string Id, string Watching)> sessions, CancellationToken ct);

    /// <summary>Bumps <c>lastHeartbeat</c> of the given live sessions.</summary>
    Task SessionHeartbeatAsync(IReadOnlyList<string> ids, DateTimeOffset now, CancellationToken ct);

    Task<IReadOnlyList<LiveSession>> SessionListAsync(bool? active, int limit, CancellationToken ct);

    /// <summary>Deletes up to <paramref name="limit"/> inactive sessions that ended before <paramref name="endedBefore"/>; returns how many.</summary>
    Task<int> SessionPruneAsync(DateTimeOffset endedBefore, int limit, CancellationToken ct);

    /// <summary>Records that a live connection opened.</summary>
    Task SessionOpenAsync(LiveSession session, CancellationToken ct);

    /// <summary>Marks active sessions of <paramref name="nodeId"/> inactive (start-up after a crash), or, with null, every session whose heartbeat is older than <paramref name="staleBefore"/>.</summary>
    Task<int> SessionSweepAsync(string? nodeId, DateTimeOffset staleBefore, DateTimeOffset now, CancellationToken ct);
}
