using System.Collections.Concurrent;
using SpectralNotify.Health;
using SpectralNotify.Server.Hosting;
using SpectralNotify.Server.Maintenance;
using SpectralNotify.Sessions;
using SpectralNotify.Storage;

namespace SpectralNotify.Server.Realtime;

/// <summary>
/// Records every live connection as a session row, heartbeats the open ones in one batch per
/// interval, and marks sessions inactive when they close, when this node restarts, or when their
/// node stops heartbeating (another node's sweeper catches those).
/// </summary>
public sealed class SessionTracker(IStore store, SpectralOptions options, HealthRegistry health, TimeProvider time, ILogger<SessionTracker> log)
    : BackgroundService
{
    private readonly ConcurrentDictionary<string, byte> _open = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _watching = new(StringComparer.Ordinal);
    private int _watchingFlushScheduled;

    /// <summary>How long changes of what sessions watch are gathered before one write: a page that opens ten subscriptions costs one.</summary>
    public static readonly TimeSpan WatchingDelay = TimeSpan.FromSeconds(1);

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

    /// <summary>
    /// What an open session watches changed (a protocol-v2 connection subscribed or unsubscribed).
    /// Written within about <see cref="WatchingDelay"/>, coalesced across sessions; only the latest
    /// description of each session is written.
    /// </summary>
    public void Watching(string id, string watching)
    {
        if (!_open.ContainsKey(id))
        {
            return;
        }
        _watching[id] = watching;
        if (Interlocked.Exchange(ref _watchingFlushScheduled, 1) == 0)
        {
            _ = FlushWatchingAsync();
        }
    }

    private async Task FlushWatchingAsync()
    {
        List<(string Id, string Watching)> batch = [];
        try
        {
            await Task.Delay(WatchingDelay, time);
            // Cleared before taking the batch: a change from now on schedules the next write.
            Interlocked.Exchange(ref _watchingFlushScheduled, 0);
            foreach (var id in _watching.Keys)
            {
                if (_watching.TryRemove(id, out var w) && _open.ContainsKey(id))
                {
                    batch.Add((id, w));
                }
            }
            if (batch.Count > 0)
            {
                await store.SessionDescribeAsync(batch, CancellationToken.None);
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Kept for the next write (a newer description wins); the connections themselves are unaffected.
            foreach (var (id, w) in batch)
            {
                _watching.TryAdd(id, w);
            }
            log.LogWarning(ex, "Could not record what {Count} live sessions watch; trying again with the next change or heartbeat", batch.Count);
        }
    }

    public async Task CloseAsync(string id)
    {
        _open.TryRemove(id, out _);
        _watching.TryRemove(id, out _);
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

    /// <summary>Heartbeats this node's open sessions and marks stale ones (of dead nodes) inactive, as component <c>session-tracker</c>.</summary>
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        PassLoop.RunAsync(health.Component("session-tracker"), options.SessionHeartbeatInterval, time, async ct =>
        {
            var now = time.GetUtcNow();
            if (!_open.IsEmpty)
            {
                await store.SessionHeartbeatAsync(_open.Keys.ToList(), now, ct);
            }
            if (!_watching.IsEmpty && Interlocked.Exchange(ref _watchingFlushScheduled, 1) == 0)
            {
                _ = FlushWatchingAsync();
            }
            await store.SessionSweepAsync(null, now - options.SessionStaleAfter, now, ct);
            return false;
        }, stoppingToken);

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
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // Another node's sweep marks them inactive once their heartbeats stop; shutdown goes on.
                log.LogWarning(ex, "Could not mark {Count} sessions inactive at shutdown", ids.Count);
            }
        }
    }
}
