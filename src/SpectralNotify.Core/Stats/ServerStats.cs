using SpectralNotify.Tasks;

namespace SpectralNotify.Stats;

/// <summary>
/// The Overview's summary (<c>GET /api/v1/stats</c>): tasks by status, tasks finished over time,
/// queue depth and age, workers holding leases, live sessions per node. Field names are a public contract.
/// </summary>
public sealed record ServerStats(
    DateTimeOffset At,
    ServerStats.TaskCounts Tasks,
    ServerStats.Series Throughput,
    IReadOnlyList<ServerStats.QueueStats> Queues,
    IReadOnlyList<ServerStats.WorkerStats> Workers,
    IReadOnlyList<ServerStats.NodeStats> Nodes)
{
    /// <summary>Every task (runs' tasks too) by status.</summary>
    public sealed record TaskCounts(long Total, long Pending, long InProgress, long Success, long Failed, long Canceled);

    /// <summary>
    /// Tasks that finished per bucket of the window (<see cref="StatsWindow"/>), oldest first, every bucket
    /// present (zeros too). <see cref="FailureRate"/> is failed ÷ (success + failed) over the window, null
    /// when nothing finished; cancels are counted apart and are not failures.
    /// </summary>
    public sealed record Series(
        int WindowMinutes, int BucketSeconds, DateTimeOffset From, DateTimeOffset To,
        IReadOnlyList<Bucket> Buckets, long Success, long Failed, long Canceled, double? FailureRate);

    public sealed record Bucket(DateTimeOffset Start, long Success, long Failed, long Canceled);

    /// <summary>
    /// A queue's runs that are not done: <see cref="Available"/> to claim now, <see cref="Waiting"/> for their
    /// <c>runAt</c> or for dependencies, <see cref="Leased"/> to a worker (reserved or running). The age is
    /// how long the oldest available run has been claimable (now − its <c>runAt</c>), in whole seconds.
    /// </summary>
    public sealed record QueueStats(string Queue, long Available, long Waiting, long Leased, DateTimeOffset? OldestAvailableAt, long? OldestAgeSeconds);

    /// <summary>A worker id holding at least one unexpired lease, with the runs it holds and their queues.</summary>
    public sealed record WorkerStats(string WorkerId, long Runs, IReadOnlyList<string> Queues);

    /// <summary>A node with active live sessions (WebSocket and SSE connections).</summary>
    public sealed record NodeStats(string NodeId, long LiveSessions);

    /// <summary>Shapes what the store read into the summary at <paramref name="now"/>.</summary>
    public static ServerStats From(StatsRows rows, StatsWindow window, DateTimeOffset now)
    {
        long Count(TaskState s) => rows.Statuses.Where(c => c.Status == s.ToWire()).Sum(c => c.Count);
        var tasks = new TaskCounts(rows.Statuses.Sum(c => c.Count), Count(TaskState.Pending), Count(TaskState.InProgress),
            Count(TaskState.Success), Count(TaskState.Failed), Count(TaskState.Canceled));

        var buckets = new Bucket[window.Buckets];
        for (var i = 0; i < buckets.Length; i++)
        {
            long In(TaskState s) => rows.FinishedTasks.Where(f => f.Bucket == i && f.Status == s.ToWire()).Sum(f => f.Count);
            buckets[i] = new Bucket(window.From.AddSeconds((long)window.BucketSeconds * i), In(TaskState.Success), In(TaskState.Failed), In(TaskState.Canceled));
        }
        var success = buckets.Sum(b => b.Success);
        var failed = buckets.Sum(b => b.Failed);
        var series = new Series(window.Minutes, window.BucketSeconds, window.From, window.To, buckets, success, failed,
            buckets.Sum(b => b.Canceled), success + failed == 0 ? null : (double)failed / (success + failed));

        var queues = rows.Queues.Select(q => new QueueStats(q.Name, q.Available, q.Waiting, q.Leased, q.OldestAvailableAt,
            q.OldestAvailableAt is { } at ? Math.Max(0, (long)(now - at).TotalSeconds) : null)).ToList();
        var workers = rows.Workers.GroupBy(w => w.WorkerId, StringComparer.Ordinal)
            .Select(g => new WorkerStats(g.Key, g.Sum(w => w.Runs), [.. g.Select(w => w.Queue)])).ToList();
        var nodes = rows.Nodes.Select(n => new NodeStats(n.NodeId, n.Sessions)).ToList();
        return new ServerStats(now, tasks, series, queues, workers, nodes);
    }
}
