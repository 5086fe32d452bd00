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

    private static async Task<(TaskService Tasks, TaskFeed Feed, TestDatabase Db, SpectralNotify.Storage.IStore Store)> SetupAsync()
    {
        var db = await TestDatabase.CreateAsync(Engine.Sqlite);
        var store = await db.CreateStoreAsync();
        var feed = new TaskFeed();
        return (new TaskService(store, feed), feed, db, store);
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
        var (tasks, _, db, store) = await SetupAsync();
        await using var _1 = db;
        await using var _2 = store;
        // A private feed lets the test announce committed changes in the order it chooses.
        var feed = new TaskFeed();
        using var metrics = new SpectralMetrics();
        var source = new TaskLiveSource(store);
        using var hub = new TaskHub(feed, [source], metrics, TimeProvider.System);
        var sink = new CollectingSink();
        var sub = new Subscription(source, "t", 0, 100, sink, metrics, TimeProvider.System);
        hub.Add(sub);
        var run = sub.RunAsync(false, JsonSerializerOptions.Web, CancellationToken.None);

        var c1 = await tasks.CreateAsync(new NewTask { Id = "t" }, default);
        var c2 = await tasks.MutateAsync("t", new ProgressMutation(10, null), default);
        var c3 = await tasks.MutateAsync("t", new ProgressMutation(20, null), default);
        var c4 = await tasks.MutateAsync("t", new ProgressMutation(30, null), default);
        foreach (var c in new[] { c1, c3, c4, c2 })
        {
            feed.Publish(FeedItem.ForTask("t", c.Event.Seq, c));
        }
        Assert.Equal([1L, 2L, 3L, 4L], await ReadAsync(sink, 4));
        Assert.Equal(0, metrics.GapRepairs.Value);
        sub.Complete();
        await run;
    }

    [Fact]
    public async Task A_change_that_never_arrives_is_read_from_storage_after_the_reorder_window()
    {
        var (tasks, _, db, store) = await SetupAsync();
        await using var _1 = db;
        await using var _2 = store;
        var feed = new TaskFeed();
        using var metrics = new SpectralMetrics();
        var source = new TaskLiveSource(store);
        using var hub = new TaskHub(feed, [source], metrics, TimeProvider.System);
        var sink = new CollectingSink();
        var sub = new Subscription(source, "t", 0, 100, sink, metrics, TimeProvider.System);
        hub.Add(sub);
        var run = sub.RunAsync(false, JsonSerializerOptions.Web, CancellationToken.None);

        var c1 = await tasks.CreateAsync(new NewTask { Id = "t" }, default);
        await tasks.MutateAsync("t", new ProgressMutation(10, null), default); // committed, never announced
        var c3 = await tasks.MutateAsync("t", new ProgressMutation(20, null), default);
        feed.Publish(FeedItem.ForTask("t", 1, c1));
        feed.Publish(FeedItem.ForTask("t", 3, c3));
        Assert.Equal([1L, 2L, 3L], await ReadAsync(sink, 3));
        sub.Complete();
        await run;
    }
}
