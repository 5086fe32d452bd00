using System.Collections.Concurrent;
using SpectralNotify.Realtime;
using SpectralNotify.Server.Observability;

namespace SpectralNotify.Server.Realtime;

/// <summary>
/// Fans committed task changes out to live subscriptions. Each change is encoded once and the same
/// bytes are queued to every subscriber of that task; queuing never blocks, so a slow socket can
/// never hold up the publisher or other subscribers.
/// </summary>
/// <remarks>
/// Changes can reach the hub out of seq order: two writes to one task commit in order, but their
/// callers resume on different threads and may announce in either order. Each topic therefore
/// restores the order itself: a change ahead of the next expected seq waits in a small buffer until
/// the missing one arrives. Only when the missing change does not arrive within
/// <see cref="ReorderWindow"/> (a lost notification from another node) does the topic send a hint,
/// and subscribers read the gap from storage. Without this, one swap would make every subscriber
/// of a hot task read the database.
/// </remarks>
public sealed class TaskHub : IDisposable
{
    /// <summary>Type of the payload-less marker that makes a subscription read up to its seq from storage.</summary>
    public const string HintType = "hint";

    /// <summary>How long a change ahead of a gap waits for the missing one. Defaults to 200 ms.</summary>
    public static readonly TimeSpan ReorderWindow = TimeSpan.FromMilliseconds(200);

    private readonly ConcurrentDictionary<string, Topic> _topics = new(StringComparer.Ordinal);
    private readonly IDisposable _feedSubscription;
    private readonly SpectralMetrics _metrics;
    private readonly TimeProvider _time;

    private readonly Dictionary<string, ILiveSource> _sources;
    /// <summary>The sources (formats) of each feed kind: one change is delivered to the topics of each.</summary>
    private readonly Dictionary<string, ILiveSource[]> _byKind;

    public TaskHub(TaskFeed feed, IEnumerable<ILiveSource> sources, SpectralMetrics metrics, TimeProvider time)
    {
        _sources = sources.ToDictionary(s => s.Namespace, StringComparer.Ordinal);
        _byKind = _sources.Values.GroupBy(s => s.Kind, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);
        _metrics = metrics;
        _time = time;
        _feedSubscription = feed.Subscribe(OnFeed);
    }

    public int TopicCount => _topics.Count;

    /// <summary>The topic key of one entity in one source's namespace.</summary>
    public static string Key(string ns, string id) => ns + ":" + id;

    /// <summary>The source of the namespace <paramref name="ns"/> (for v1, the kind).</summary>
    public ILiveSource Source(string ns) => _sources[ns];

    public void Add(Subscription s)
    {
        while (true)
        {
            var topic = _topics.GetOrAdd(s.TopicKey, _ => new Topic());
            lock (topic)
            {
                if (topic.Dead)
                {
                    continue;
                }
                topic.Subscribers.Add(s);
                topic.Snapshot = null;
                return;
            }
        }
    }

    public void Remove(Subscription s)
    {
        if (!_topics.TryGetValue(s.TopicKey, out var topic))
        {
            return;
        }
        lock (topic)
        {
            topic.Subscribers.Remove(s);
            topic.Snapshot = null;
            if (topic.Subscribers.Count == 0)
            {
                topic.Dead = true;
                _topics.TryRemove(new KeyValuePair<string, Topic>(s.TopicKey, topic));
            }
        }
    }

    private void OnFeed(FeedItem item)
    {
        if (item.Change is not null)
        {
            _metrics.EventsAppended.Add(1);
        }
        if (!_byKind.TryGetValue(item.Kind, out var sources))
        {
            return;
        }
        foreach (var source in sources)
        {
            if (_topics.TryGetValue(Key(source.Namespace, item.Id), out var topic))
            {
                OnTopic(topic, source, item);
            }
        }
    }

    private void OnTopic(Topic topic, ILiveSource source, FeedItem item)
    {
        lock (topic)
        {
            topic.Source = source;
            if (item.Deleted)
            {
                topic.Pending.Clear();
                Deliver(topic, source.EncodeDeleted(item.Id, _time.GetUtcNow()));
                topic.NextSeq = 1;
                return;
            }
            if (topic.NextSeq > 0 && item.Seq < topic.NextSeq)
            {
                return; // already delivered (an echo, or a change a hint already covered)
            }
            if (topic.NextSeq > 0 && item.Seq > topic.NextSeq)
            {
                topic.Pending[item.Seq] = item;
                if (!topic.FlushScheduled)
                {
                    topic.FlushScheduled = true;
                    _ = FlushAfterWindowAsync(topic);
                }
                return;
            }
            DeliverInOrder(topic, item);
        }
    }

    /// <summary>Delivers <paramref name="item"/> and every buffered change that now follows it. Caller holds the topic lock.</summary>
    private void DeliverInOrder(Topic topic, FeedItem item)
    {
        Deliver(topic, Encode(topic, item));
        topic.NextSeq = item.Seq + 1;
        while (topic.Pending.Remove(topic.NextSeq, out var next))
        {
            Deliver(topic, Encode(topic, next));
            topic.NextSeq = next.Seq + 1;
        }
    }

    private async Task FlushAfterWindowAsync(Topic topic)
    {
        await Task.Delay(ReorderWindow, _time);
        lock (topic)
        {
            topic.FlushScheduled = false;
            if (topic.Pending.Count == 0)
            {
                return;
            }
            // The gap did not fill: let subscribers read it from storage, then go on in order.
            var first = topic.Pending.Keys.Min();
            topic.Pending.Remove(first, out var item);
            Deliver(topic, new Outgoing(first - 1, HintType, []));
            DeliverInOrder(topic, item!);
            if (topic.Pending.Count > 0)
            {
                topic.FlushScheduled = true;
                _ = FlushAfterWindowAsync(topic);
            }
        }
    }

    private static Outgoing Encode(Topic topic, FeedItem item) => item.Change is not null
        ? topic.Source!.Encode(item)
        : new Outgoing(item.Seq, HintType, []); // position only: subscribers read it from storage

    private void Deliver(Topic topic, Outgoing message)
    {
        _metrics.Broadcasts.Add(1);
        topic.Snapshot ??= [.. topic.Subscribers];
        foreach (var s in topic.Snapshot)
        {
            s.Offer(message);
        }
    }

    /// <summary>
    /// Makes every subscription read storage after its last seq (up to the latest): after this node
    /// lost notifications (its PostgreSQL LISTEN connection was down), changes committed meanwhile
    /// arrive now rather than with the next change of their entity.
    /// </summary>
    public void Resync()
    {
        foreach (var topic in _topics.Values)
        {
            lock (topic)
            {
                Deliver(topic, new Outgoing(ResyncSeq, HintType, []));
            }
        }
    }

    /// <summary>The position of a <see cref="Resync"/> hint: "everything there is".</summary>
    public const long ResyncSeq = long.MaxValue;

    public void Dispose() => _feedSubscription.Dispose();

    private sealed class Topic
    {
        public readonly HashSet<Subscription> Subscribers = [];
        /// <summary>Subscribers as an array, rebuilt lazily after joins and leaves instead of on every join.</summary>
        public Subscription[]? Snapshot;
        public readonly Dictionary<long, FeedItem> Pending = [];
        /// <summary>The seq expected next; 0 until the first change is seen.</summary>
        public long NextSeq;
        public bool FlushScheduled;
        public bool Dead;
        /// <summary>The format this topic's changes are encoded in; set under the lock before any delivery.</summary>
        public ILiveSource? Source;
    }
}
