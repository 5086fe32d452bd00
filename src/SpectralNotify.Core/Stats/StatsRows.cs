using System.Data.Common;
using SpectralNotify.Storage;

namespace SpectralNotify.Stats;

/// <summary>What a store reads for <see cref="ServerStats"/> (<see cref="IStatsStore"/>); <see cref="ServerStats.From"/> shapes it.</summary>
public sealed record StatsRows(
    IReadOnlyList<StatsRows.StatusCount> Statuses,
    IReadOnlyList<StatsRows.Finished> FinishedTasks,
    IReadOnlyList<StatsRows.Queue> Queues,
    IReadOnlyList<StatsRows.WorkerQueue> Workers,
    IReadOnlyList<StatsRows.Node> Nodes)
{
    /// <summary>Tasks with a status (wire name).</summary>
    public sealed record StatusCount(string Status, long Count);

    /// <summary>Tasks that reached a terminal status (wire name) in bucket <paramref name="Bucket"/> of the window (0 = first).</summary>
    public sealed record Finished(string Status, long Bucket, long Count);

    /// <summary>A queue's runs not done: available now, waiting (for <c>runAt</c> or dependencies), leased; the <c>runAt</c> of the oldest available.</summary>
    public sealed record Queue(string Name, long Available, long Waiting, long Leased, DateTimeOffset? OldestAvailableAt);

    /// <summary>Runs a worker holds an unexpired lease on, in one queue.</summary>
    public sealed record WorkerQueue(string WorkerId, string Queue, long Runs);

    /// <summary>Active live sessions of a node.</summary>
    public sealed record Node(string NodeId, long Sessions);

    /// <summary>Row mappers for the queries of each engine's <c>Sql/stats.sql</c>, in their column order.</summary>
    public static class Read
    {
        public static StatusCount Status(DbDataReader r) => new(r.GetString(0), r.GetInt64(1));

        public static Finished Finish(DbDataReader r) => new(r.GetString(0), r.GetInt64(1), r.GetInt64(2));

        public static Queue Queue(DbDataReader r, RowReader rows) => new(r.GetString(0), r.GetInt64(1), r.GetInt64(2), r.GetInt64(3), rows.Time(r, 4));

        public static WorkerQueue Worker(DbDataReader r) => new(r.GetString(0), r.GetString(1), r.GetInt64(2));

        public static Node Node(DbDataReader r) => new(r.GetString(0), r.GetInt64(1));
    }
}
