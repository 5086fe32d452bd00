using SpectralNotify.Jobs;
using SpectralNotify.Sessions;
using SpectralNotify.Stats;
using SpectralNotify.Tasks;
using SpectralNotify.Tests.Infrastructure;

namespace SpectralNotify.Tests.Storage;

/// <summary>
/// <c>GET /api/v1/stats</c>'s reads on every engine: tasks by status, finished tasks in the right bucket
/// (bucket edges included), queue depth and age, leased runs per worker, live sessions per node.
/// </summary>
public abstract class StatsStoreConformance() : StoreTest(Start)
{
    private static readonly DateTimeOffset Start = new(2026, 10, 1, 8, 0, 0, TimeSpan.Zero);

    private async Task FinishAsync(string id, TaskMutation finish, DateTimeOffset at)
    {
        await Store.TaskCreateAsync(new NewTask { Id = id }, default);
        Time.Advance(at - Time.GetUtcNow());
        await Store.TaskMutateAsync(id, finish, default);
    }

    [Fact]
    public async Task Counts_buckets_queues_workers_and_nodes()
    {
        await Store.TaskCreateAsync(new NewTask { Id = "waiting" }, default);
        await Store.RunEnqueueAsync([new NewRun { Id = "r-avail", Type = "t", Queue = "q1" }], default);
        await Store.RunEnqueueAsync([new NewRun { Id = "r-later", Type = "t", Queue = "q1", RunAt = Start.AddHours(1) }], default);
        await Store.RunEnqueueAsync([new NewRun { Id = "r-leased", Type = "t", Queue = "q2" }], default);
        await Store.RunClaimAsync(new ClaimRequest("worker-b", ["q2"], null, 5, TimeSpan.FromMinutes(10)), default);
        await FinishAsync("s1", new CompleteMutation(null), Start.AddSeconds(30));
        await FinishAsync("f1", new FailMutation("x", null), Start.AddMinutes(1));                            // on the bucket's first instant
        await FinishAsync("c1", new CancelMutation(null, null), Start.AddMinutes(2).AddMilliseconds(-1));    // on its last
        await FinishAsync("s2", new CompleteMutation(null), Start.AddMinutes(2).AddSeconds(10));
        LiveSession S(string id, string node) => new() { Id = id, ConnectionType = "websocket", EntityType = "task", EntityId = "x", NodeId = node, CreatedAt = Start };
        await Store.SessionOpenAsync(S("a1", "node-a"), default);
        await Store.SessionOpenAsync(S("a2", "node-a"), default);
        await Store.SessionOpenAsync(S("b1", "node-b"), default);
        await Store.SessionCloseAsync(["a2"], Time.GetUtcNow(), default);

        var now = Time.GetUtcNow();
        var window = StatsWindow.Create(60, now, out _)!;
        var stats = ServerStats.From(await Store.StatsReadAsync(window, now, default), window, now);

        Assert.Equal((2L, 1L, 1L), (stats.Tasks.Success, stats.Tasks.Failed, stats.Tasks.Canceled));
        Assert.Equal(8, stats.Tasks.Total);
        Assert.Equal(4, stats.Tasks.Pending + stats.Tasks.InProgress);
        Assert.Equal(60, stats.Throughput.Buckets.Count);
        Assert.Equal(Start.AddMinutes(2), stats.Throughput.Buckets[^1].Start);
        Assert.Equal(Start.AddMinutes(-57), stats.Throughput.From);
        var tail = stats.Throughput.Buckets.TakeLast(3).Select(b => (b.Success, b.Failed, b.Canceled)).ToArray();
        Assert.Equal([(1L, 0L, 0L), (0L, 1L, 1L), (1L, 0L, 0L)], tail);
        Assert.All(stats.Throughput.Buckets.SkipLast(3), b => Assert.Equal(0, b.Success + b.Failed + b.Canceled));
        Assert.Equal(1.0 / 3, stats.Throughput.FailureRate);

        var q1 = Assert.Single(stats.Queues, q => q.Queue == "q1");
        Assert.Equal((1L, 1L, 0L), (q1.Available, q1.Waiting, q1.Leased));
        Assert.Equal(Start, q1.OldestAvailableAt);
        Assert.Equal((long)(now - Start).TotalSeconds, q1.OldestAgeSeconds);
        var q2 = Assert.Single(stats.Queues, q => q.Queue == "q2");
        Assert.Equal((0L, 0L, 1L, (DateTimeOffset?)null), (q2.Available, q2.Waiting, q2.Leased, q2.OldestAvailableAt));
        Assert.Equal(["q1", "q2"], stats.Queues.Select(q => q.Queue));
        var worker = Assert.Single(stats.Workers);
        Assert.Equal(("worker-b", 1L, "q2"), (worker.WorkerId, worker.Runs, Assert.Single(worker.Queues)));
        Assert.Equal([("node-a", 1L), ("node-b", 1L)], stats.Nodes.Select(n => (n.NodeId, n.LiveSessions)));

        // A short window sees only its own buckets; an expired lease is no longer a worker's.
        var oneMinute = StatsWindow.Create(1, now, out _)!;
        var recent = ServerStats.From(await Store.StatsReadAsync(oneMinute, now, default), oneMinute, now);
        Assert.Equal((1L, 0L, 0L), (recent.Throughput.Success, recent.Throughput.Failed, recent.Throughput.Canceled));
        Assert.Equal(0.0, recent.Throughput.FailureRate);
        Time.Advance(TimeSpan.FromMinutes(11));
        Assert.Empty((await Store.StatsReadAsync(window, Time.GetUtcNow(), default)).Workers);
    }

    [Theory]
    [InlineData(1, 60, 1)]
    [InlineData(60, 60, 60)]
    [InlineData(61, 120, 31)]
    [InlineData(1440, 1440, 60)]
    public void A_window_is_whole_aligned_buckets_at_most_sixty(int minutes, int bucketSeconds, int buckets)
    {
        var now = new DateTimeOffset(2026, 10, 1, 8, 3, 20, TimeSpan.Zero);
        var w = StatsWindow.Create(minutes, now, out var error)!;
        Assert.Null(error);
        Assert.Equal((bucketSeconds, buckets), (w.BucketSeconds, w.Buckets));
        Assert.True(w.From <= now.AddMinutes(-minutes).AddSeconds(bucketSeconds) && now < w.To && w.To <= now.AddSeconds(bucketSeconds));
        Assert.Equal(0, (w.To - DateTimeOffset.UnixEpoch).Ticks % (bucketSeconds * TimeSpan.TicksPerSecond));
        Assert.Null(StatsWindow.Create(0, now, out var tooSmall));
        Assert.NotNull(tooSmall);
        Assert.Null(StatsWindow.Create(1441, now, out _));
    }
}

public sealed class SqliteStatsStoreTests : StatsStoreConformance
{
    protected override Engine Engine => Engine.Sqlite;
}

public sealed class PostgresStatsStoreTests : StatsStoreConformance
{
    protected override Engine Engine => Engine.Postgres;
}
