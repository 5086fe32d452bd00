using System.Collections.Concurrent;
using SpectralNotify.Server.Hosting;
using SpectralNotify.Sessions;
using SpectralNotify.Storage;

namespace SpectralNotify.Server.Realtime;

/// <summary>
/// Records every live connection as a session row, heartbeats the open ones in one batch per
/// interval, and marks sessions inactive when they close, when this node restarts, or when their
/// node stops heartbeating (another node's sweeper catches those).
/// </summary>
public sealed class SessionTracker(IStore store, SpectralOptions options, TimeProvider time, ILogger<SessionTracker> log) : BackgroundService
{
    private readonly ConcurrentDictionary<string, byte> _open = new(StringComparer.Ordinal);

    public string NodeId => options.NodeId;

    public async Task<string> OpenAsync(string connectionType, string entityType, string entityId, string? clientId, string? user, CancellationToken ct)
    {
        var id = Guid.CreateVersion7().ToString();
        var now = time.GetUtcNow();
        await store.SessionOpenAsync(new LiveSession
        {
            Id = id, ClientId = clientId, User = user, ConnectionType = connectionType, EntityType = entityType,
            EntityId = entityId, NodeId = options.NodeId, CreatedAt = now, LastHeartbeat = now,
        }, ct);
        _open[id] = 0;
        return id;
    }

    public async Task CloseAsync(string id)
    {
        _open.TryRemove(id, out _);
        try
        {
            await store.SessionCloseAsync([id], time.GetUtcNow(), CancellationToken.None);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The heartbeat sweeper marks it inactive later; a closing socket must not fail on this.
            log.LogWarning(ex, "Could not mark session {Session} inactive", id);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.SessionHeartbeatInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    var now = time.GetUtcNow();
                    if (!_open.IsEmpty)
                    {
                        await store.SessionHeartbeatAsync(_open.Keys.ToList(), now, stoppingToken);
                    }
                    await store.SessionSweepAsync(null, now - options.SessionStaleAfter, now, stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
                {
                    log.LogWarning(ex, "Session heartbeat failed; retrying next interval");
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        var ids = _open.Keys.ToList();
        if (ids.Count > 0)
        {
            try
            {
                await store.SessionCloseAsync(ids, time.GetUtcNow(), cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // The host's shutdown timeout ran out: the sweeper of another node (or of the next start) closes them.
                log.LogWarning("Shutdown timeout: {Count} sessions left open for the sweeper", ids.Count);
            }
        }
    }
}
