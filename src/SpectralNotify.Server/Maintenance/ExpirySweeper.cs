using SpectralNotify.Health;
using SpectralNotify.Server.Hosting;
using SpectralNotify.Tasks;

namespace SpectralNotify.Server.Maintenance;

/// <summary>
/// Deletes tasks past their <c>expiresAt</c> (TTL) and idempotency keys past their 24 h, every
/// <see cref="SpectralOptions.SweepInterval"/>. Safe on several nodes at once: each delete is
/// idempotent, and subscribers get a <c>deleted</c> message.
/// </summary>
public sealed class ExpirySweeper(TaskService tasks, SpectralOptions options, HealthRegistry health, TimeProvider time, ILogger<ExpirySweeper> log)
    : BackgroundService
{
    private const int BatchSize = 500;

    /// <summary>Runs one sweep now; returns the number of tasks removed.</summary>
    public async Task<int> SweepOnceAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var total = 0;
        Exception? failed = null;
        try
        {
            int removed;
            do
            {
                removed = await tasks.DeleteExpiredAsync(now, BatchSize, ct);
                total += removed;
            }
            while (removed == BatchSize);
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
        {
            failed = ex; // the idempotency clean-up below still runs: one failing must not stop the other
        }
        await tasks.Store.IdempotencyDeleteExpiredAsync(now, ct);
        if (total > 0)
        {
            log.LogInformation("Removed {Count} expired tasks", total);
        }
        if (failed is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failed);
        }
        return total;
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        PassLoop.RunAsync(health.Component("expiry-sweep"), options.SweepInterval, time, async ct =>
        {
            await SweepOnceAsync(ct);
            return false;
        }, stoppingToken);
}
