using System.Text.Json;
using System.Threading.Channels;
using SpectralNotify.Realtime;
using SpectralNotify.Server.Observability;
using SpectralNotify.Server.Realtime;
using SpectralNotify.Tasks;
using SpectralNotify.Tests.Infrastructure;

namespace SpectralNotify.Tests.Live;

/// <summary>The hub restores seq order of announcements itself, and falls back to storage only for a real gap.</summary>
public sealed class TaskHubTests
{
    private sealed class CollectingSink : ILiveSink
    {
        public Channel<long> Seqs { get; } = Channel.CreateUnbounded<long>();

        public Task SendAsync(Outgoing message, CancellationToken ct)
        {
            using var doc = JsonDocument.Parse(message.Payload);
            Seqs.Writer.TryWrite(doc.RootElement.GetProperty("seq").GetInt64());
            return Task.CompletedTask;
        }
    }

    /// <summary>
    /// A hub on a private feed, so the test announces committed changes in the order it chooses,
    /// with one running subscription to task "t" from seq 0. Writes go through a service whose own
    /// feed is not the hub's.
    /// </summary>
    private sealed class Bundle : IAsyncDisposable
    {
        public required TestDatabase Db { get; init; }
        public required SpectralNotify.Storage.IStore Store { get; init; }
        public required TaskService Tasks { get; init; }
        public required TaskFeed Feed { get; init; }
        public required SpectralMetrics Metrics { get; init; }
        public required TaskHub Hub { get; init; }
        public required CollectingSink Sink { get; init; }
        public required Subscription Subscription { get; init; }
        public required Task Run { get; init; }

        public async ValueTask DisposeAsync()
        {
            Subscription.Complete();
            await Run;
            Hub.Dispose();
            Metrics.Dispose();
            await Store.DisposeAsync();
            await Db.DisposeAsync();
        }
    }

    private static async Task<Bundle> SetupAsync()
    {
        var db = await TestDatabase.CreateAsync(Engine.Sqlite);
        var store = await db.CreateStoreAsync();
        var feed = new TaskFeed();
        var metrics = new SpectralMetrics();
        var source = new TaskLiveSource(store);
        var hub = new TaskHub(feed, [source], metrics, TimeProvider.System);
        var sink = new CollectingSink();
        var sub = new Subscription(source, "t", 0, new QueueBounds(100, 1 << 20), sink, metrics, TimeProvider.System);
        hub.Add(sub);
        return new Bundle
        {
            Db = db, Store = store, Tasks = new TaskService(store, new TaskFeed()), Feed = feed, Metrics = metrics, Hub = hub,
            Sink = sink, Subscription = sub, Run = sub.RunAsync(false, JsonSerializerOptions.Web, CancellationToken.None),
        };
    }

    private static async Task<List<long>> ReadAsync(CollectingSink sink, int count)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var list = new List<long>();
        while (list.Count < count)
        {
            list.Add(await sink.Seqs.Reader.ReadAsync(cts.Token));
        }
        return list;
    }

    [Fact]
    public async Task Swapped_announcements_are_delivered_in_order_without_reading_storage()
    {
        await using var b = await SetupAsync();
        var c1 = await b.Tasks.CreateAsync(new NewTask { Id = "t" }, default);
        var c2 = await b.Tasks.MutateAsync("t", new ProgressMutation(10, null), default);
        var c3 = await b.Tasks.MutateAsync("t", new ProgressMutation(20, null), default);
        var c4 = await b.Tasks.MutateAsync("t", new ProgressMutation(30, null), default);
        foreach (var c in new[] { c1, c3, c4, c2 })
        {
            b.Feed.Publish(FeedItem.ForTask("t", c.Event.Seq, c));
        }
        Assert.Equal([1L, 2L, 3L, 4L], await ReadAsync(b.Sink, 4));
        Assert.Equal(0, b.Metrics.GapRepairs.Value);
    }

    [Fact]
    public async Task A_change_that_never_arrives_is_read_from_storage_after_the_reorder_window()
    {
        await using var b = await SetupAsync();
        var c1 = await b.Tasks.CreateAsync(new NewTask { Id = "t" }, default);
        await b.Tasks.MutateAsync("t", new ProgressMutation(10, null), default); // committed, never announced
        var c3 = await b.Tasks.MutateAsync("t", new ProgressMutation(20, null), default);
        b.Feed.Publish(FeedItem.ForTask("t", 1, c1));
        b.Feed.Publish(FeedItem.ForTask("t", 3, c3));
        Assert.Equal([1L, 2L, 3L], await ReadAsync(b.Sink, 3));
    }
}
