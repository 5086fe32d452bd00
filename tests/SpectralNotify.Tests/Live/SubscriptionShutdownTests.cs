using System.Text.Json;
using SpectralNotify.Realtime;
using SpectralNotify.Server.Observability;
using SpectralNotify.Server.Realtime;

namespace SpectralNotify.Tests.Live;

/// <summary>What a shutdown relies on: a completed subscription sends what is queued, and LastSent is then the resume point.</summary>
public sealed class SubscriptionShutdownTests
{
    /// <summary>Nothing in storage: every message comes from the queue.</summary>
    private sealed class EmptySource : ILiveSource
    {
        public string Kind => FeedItem.TaskKind;
        public Outgoing Encode(FeedItem item) => throw new NotSupportedException();
        public Task<ReplayPage> ReadAfterAsync(string id, long after, ReplayLimit limit, CancellationToken ct) => Task.FromResult(ReplayPage.Empty(limit));
        public Task<long> CurrentSeqAsync(string id, CancellationToken ct) => Task.FromResult(0L);
        public Task<(long Seq, byte[] Payload)> SnapshotAsync(string id, JsonSerializerOptions json, CancellationToken ct) => throw new NotSupportedException();
    }

    /// <summary>Holds the first send until released, as a busy socket would.</summary>
    private sealed class GatedSink : ILiveSink
    {
        public TaskCompletionSource FirstSendStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public List<long> Sent { get; } = [];

        public async Task SendAsync(Outgoing message, CancellationToken ct)
        {
            FirstSendStarted.TrySetResult();
            await Release.Task.WaitAsync(ct);
            Sent.Add(message.Seq);
        }
    }

    [Fact]
    public async Task Complete_sends_what_is_queued_and_a_later_offer_is_not_an_overflow()
    {
        using var metrics = new SpectralMetrics();
        var sink = new GatedSink();
        var sub = new Subscription(new EmptySource(), "t", 0, new QueueBounds(100, 1 << 20), sink, metrics, TimeProvider.System);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var run = sub.RunAsync(false, JsonSerializerOptions.Web, timeout.Token);
        sub.Offer(new Outgoing(1, "event", "{}"u8.ToArray()));
        await sink.FirstSendStarted.Task.WaitAsync(timeout.Token);
        sub.Offer(new Outgoing(2, "event", "{}"u8.ToArray()));
        sub.Offer(new Outgoing(3, "event", "{}"u8.ToArray()));

        sub.Complete();
        sub.Offer(new Outgoing(4, "event", "{}"u8.ToArray())); // the hub can still announce until the endpoint removes the subscription
        sink.Release.SetResult();
        await run;

        Assert.Equal([1L, 2L, 3L], sink.Sent);
        Assert.Equal(3, sub.LastSent);
        Assert.False(sub.Overflowed);
    }

    /// <summary>
    /// A v2 connection's subscriptions share one byte budget: one that is unsubscribed with messages
    /// queued, or offered more after it ended, must not keep them counted, or a client that keeps
    /// unsubscribing from busy topics is eventually closed as a slow consumer.
    /// </summary>
    [Fact]
    public async Task A_cancelled_subscription_gives_back_the_bytes_of_what_it_never_sent()
    {
        using var metrics = new SpectralMetrics();
        var sink = new GatedSink();
        var budget = new ByteBudget(1 << 20);
        var sub = new Subscription(new EmptySource(), "t", 0, new QueueBounds(100, 1 << 20), sink, metrics, TimeProvider.System, budget);
        using var unsubscribe = new CancellationTokenSource();
        var run = sub.RunAsync(false, JsonSerializerOptions.Web, unsubscribe.Token);
        sub.Offer(new Outgoing(1, "event", new byte[100]));
        await sink.FirstSendStarted.Task.WaitAsync(TimeSpan.FromSeconds(10)); // seq 1 is being sent (dequeued, released)
        for (var seq = 2; seq <= 5; seq++)
        {
            sub.Offer(new Outgoing(seq, "event", new byte[100]));
        }
        Assert.Equal(400, budget.Queued);

        await unsubscribe.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(0, budget.Queued);

        sub.Offer(new Outgoing(6, "event", new byte[100])); // the hub may announce until the subscription is removed
        Assert.Equal(0, budget.Queued);
        Assert.False(sub.Overflowed);
    }
}
