using SpectralNotify.Stats;

namespace SpectralNotify.Storage;

/// <summary>The counts behind <c>GET /api/v1/stats</c>. Part of <see cref="IStore"/>.</summary>
public interface IStatsStore
{
    /// <summary>
    /// Tasks by status; terminal tasks per bucket of <paramref name="window"/> (by <c>completedAt</c>,
    /// <c>failedAt</c> or <c>canceledAt</c>); per queue the runs not done (available = pending, not blocked,
    /// <c>runAt</c> ≤ <paramref name="now"/>); per worker and queue the runs with an unexpired lease; per
    /// node the active live sessions. Every list is ordered by its name.
    /// </summary>
    Task<StatsRows> StatsReadAsync(StatsWindow window, DateTimeOffset now, CancellationToken ct);
}
