namespace SpectralNotify.Client.Models;

/// <summary>The server's summary (<c>GET /api/v1/stats</c>); see docs/api.md "Stats".</summary>
public sealed record ServerStats
{
    /// <summary>When it was read (server clock).</summary>
    public DateTimeOffset At { get; init; }

    /// <summary>Every task by status.</summary>
    public StatsTaskCounts Tasks { get; init; } = new();

    /// <summary>Tasks finished per bucket of the window.</summary>
    public StatsSeries Throughput { get; init; } = new();

    /// <summary>Per queue: runs available, waiting, leased; age of the oldest available.</summary>
    public IReadOnlyList<StatsQueue> Queues { get; init; } = [];

    /// <summary>Workers holding at least one unexpired lease.</summary>
    public IReadOnlyList<StatsWorker> Workers { get; init; } = [];

    /// <summary>Nodes with live sessions.</summary>
    public IReadOnlyList<StatsNode> Nodes { get; init; } = [];
}

/// <summary>Tasks by status.</summary>
public sealed record StatsTaskCounts(long Total = 0, long Pending = 0, long InProgress = 0, long Success = 0, long Failed = 0, long Canceled = 0);

/// <summary>Finished tasks over time: buckets oldest first; <see cref="FailureRate"/> = failed ÷ (success + failed), null when none finished.</summary>
public sealed record StatsSeries
{
    /// <summary>The window asked for, in minutes.</summary>
    public int WindowMinutes { get; init; }

    /// <summary>The length of a bucket.</summary>
    public int BucketSeconds { get; init; }

    /// <summary>Start of the first bucket.</summary>
    public DateTimeOffset From { get; init; }

    /// <summary>End of the last bucket (after now).</summary>
    public DateTimeOffset To { get; init; }

    /// <summary>Every bucket, zeros too.</summary>
    public IReadOnlyList<StatsBucket> Buckets { get; init; } = [];

    /// <summary>Succeeded in the window.</summary>
    public long Success { get; init; }

    /// <summary>Failed in the window.</summary>
    public long Failed { get; init; }

    /// <summary>Canceled in the window (not failures).</summary>
    public long Canceled { get; init; }

    /// <summary>failed ÷ (success + failed), or null.</summary>
    public double? FailureRate { get; init; }
}

/// <summary>Tasks finished in one bucket.</summary>
public sealed record StatsBucket(DateTimeOffset Start, long Success, long Failed, long Canceled);

/// <summary>A queue's runs that are not done.</summary>
public sealed record StatsQueue(string Queue, long Available, long Waiting, long Leased, DateTimeOffset? OldestAvailableAt, long? OldestAgeSeconds);

/// <summary>A worker holding leases.</summary>
public sealed record StatsWorker(string WorkerId, long Runs, IReadOnlyList<string> Queues);

/// <summary>A node's live sessions.</summary>
public sealed record StatsNode(string NodeId, long LiveSessions);
