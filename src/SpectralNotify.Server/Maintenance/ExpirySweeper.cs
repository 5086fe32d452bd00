using System.Runtime.ExceptionServices;
using SpectralNotify.Health;
using SpectralNotify.Server.Hosting;
using SpectralNotify.Tasks;

namespace SpectralNotify.Server.Maintenance;

/// <summary>
/// Every <see cref="SpectralOptions.SweepInterval"/>: deletes tasks past their <c>expiresAt</c> (TTL),
/// idempotency keys past their <see cref="SpectralOptions.IdempotencyRetention"/>, sessions that
/// ended more than <see cref="SpectralOptions.SessionRetention"/> ago, and deletion tombstones older
/// than <see cref="SpectralOptions.LiveListHistory"/> (live lists cannot resume from further back). Safe on several nodes at once:
/// each delete is idempotent, and subscribers get a <c>deleted</c> message.
/// </summary>
public sealed class ExpirySweeper(TaskService tasks, SpectralOptions options, HealthRegistry health, TimeProvider time, ILogger<ExpirySweeper> log)
    : BackgroundService
{
    private const int BatchSize = 500;

    /// <summary>Runs one sweep now; returns the number of tasks removed.</summary>
    /// <remarks>One clean-up failing does not stop the others; the first failure is rethrown at the end.</remarks>
    public async Task<int> SweepOnceAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var failures = new List<Exception>();
        var expiredTasks = await IsolatedAsync(failures, () => InBatchesAsync(limit => tasks.DeleteExpiredAsync(now, limit, ct)));
        await IsolatedAsync(failures, async () =>
        {
            await tasks.Store.IdempotencyDeleteExpiredAsync(now, ct);
            return 0;
        });
        var endedSessions = await IsolatedAsync(failures,
            () => InBatchesAsync(limit => tasks.Store.SessionPruneAsync(now - options.SessionRetention, limit, ct)));
        var tombstones = await IsolatedAsync(failures,
            () => InBatchesAsync(limit => tasks.Store.DeletionsPruneAsync(now - options.LiveListHistory, limit, ct)));
        if (expiredTasks > 0)
        {
            log.LogInformation("Removed {Count} expired tasks", expiredTasks);
        }
        if (endedSessions > 0)
        {
            log.LogDebug("Removed {Count} sessions that ended before the retention", endedSessions);
        }
        if (tombstones > 0)
        {
            log.LogDebug("Removed {Count} deletion tombstones older than the live list history", tombstones);
        }
        if (failures.Count > 0)
        {
            ExceptionDispatchInfo.Throw(failures[0]);
        }
        return expiredTasks;
    }

    /// <summary>Repeats a bounded delete while it fills a batch, so no single statement holds the writer long.</summary>
    private static async Task<int> InBatchesAsync(Func<int, Task<int>> deleteBatch)
    {
        var total = 0;
        int removed;
        do
        {
            removed = await deleteBatch(BatchSize);
            total += removed;
        }
        while (removed == BatchSize);
        return total;
    }

    private static async Task<int> IsolatedAsync(List<Exception> failures, Func<Task<int>> cleanUp)
    {
        try
        {
            return await cleanUp();
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
        {
            failures.Add(ex);
            return 0;
        }
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        PassLoop.RunAsync(health.Component("expiry-sweep"), options.SweepInterval, time, async ct =>
        {
            await SweepOnceAsync(ct);
            return false;
        }, stoppingToken);
}
