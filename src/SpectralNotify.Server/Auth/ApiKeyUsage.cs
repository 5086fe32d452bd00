using System.Collections.Concurrent;
using System.Threading.Channels;
using SpectralNotify.Storage;

namespace SpectralNotify.Server.Auth;

/// <summary>
/// Records when database keys are used (<c>last_used_at</c>) off the request path: a request only
/// queues the key's id, at most once per <see cref="Resolution"/> per key on this node, and this
/// service writes it in the background. The store's own condition keeps nodes from each writing
/// within one resolution. A full queue drops the record (it is a hint; the next minute retries),
/// and a failed write is logged, never seen by a request.
/// </summary>
public sealed class ApiKeyUsage(IStore store, TimeProvider time, ILogger<ApiKeyUsage> log) : BackgroundService
{
    /// <summary>How precise <c>lastUsedAt</c> is: one write per key per minute at most.</summary>
    public static readonly TimeSpan Resolution = TimeSpan.FromMinutes(1);

    private const int QueueCapacity = 1024;

    private readonly Channel<(string Id, DateTimeOffset At)> _queue = Channel.CreateBounded<(string, DateTimeOffset)>(
        new BoundedChannelOptions(QueueCapacity) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

    // One entry per database key that authenticated on this node since start.
    private readonly ConcurrentDictionary<string, DateTimeOffset> _lastQueued = new(StringComparer.Ordinal);

    private long _queued;

    /// <summary>Uses queued for writing since start: lets tests see the throttle without waiting on the clock.</summary>
    public long Queued => Interlocked.Read(ref _queued);

    /// <summary>Notes that <paramref name="keyId"/> authenticated now; returns at once.</summary>
    public void Record(string keyId)
    {
        var now = time.GetUtcNow();
        if (_lastQueued.TryGetValue(keyId, out var last) && now - last < Resolution)
        {
            return;
        }
        // Two requests racing here may both queue; the store's condition makes the second a no-op.
        _lastQueued[keyId] = now;
        if (_queue.Writer.TryWrite((keyId, now)))
        {
            Interlocked.Increment(ref _queued);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var (id, at) in _queue.Reader.ReadAllAsync(stoppingToken))
            {
                try
                {
                    await store.ApiKeyTouchAsync(id, at, Resolution, stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    log.LogWarning(ex, "Could not record the use of API key {KeyId}: {Error}", id, ex.Message);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: uses still queued are dropped; they only refine lastUsedAt.
        }
    }
}
