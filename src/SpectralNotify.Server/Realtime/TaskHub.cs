using System.Collections.Concurrent;
using SpectralNotify.Realtime;
using SpectralNotify.Server.Observability;

namespace SpectralNotify.Server.Realtime;

/// <summary>
/// Fans committed task changes out to live subscriptions. Each change is encoded once and the same
/// bytes are queued to every subscriber of that task; queuing never blocks, so a slow socket can
/// never hold up the publisher or other subscribers.
/// </summary>
public sealed class TaskHub : IDisposable
{
    private readonly ConcurrentDictionary<string, Topic> _topics = new(StringComparer.Ordinal);
    private readonly IDisposable _feedSubscription;
    private readonly SpectralMetrics _metrics;
    private readonly TimeProvider _time;

    public TaskHub(TaskFeed feed, SpectralMetrics metrics, TimeProvider time)
    {
        _metrics = metrics;
        _time = time;
        _feedSubscription = feed.Subscribe(OnFeed);
    }

    /// <summary>Type of the payload-less marker that makes a subscription read up to its seq from storage.</summary>
    public const string HintType = "hint";

    public int TopicCount => _topics.Count;

    public void Add(Subscription s)
    {
        while (true)
        {
            var topic = _topics.GetOrAdd(s.TaskId, _ => new Topic());
            lock (topic)
            {
                if (topic.Dead)
                {
                    continue;
                }
                topic.Subscribers = [.. topic.Subscribers, s];
                return;
            }
        }
    }

    public void Remove(Subscription s)
    {
        if (!_topics.TryGetValue(s.TaskId, out var topic))
        {
            return;
        }
        lock (topic)
        {
            topic.Subscribers = [.. topic.Subscribers.Where(x => x != s)];
            if (topic.Subscribers.Length == 0)
            {
                topic.Dead = true;
                _topics.TryRemove(new KeyValuePair<string, Topic>(s.TaskId, topic));
            }
        }
    }

    private void OnFeed(FeedItem item)
    {
        if (!_topics.TryGetValue(item.TaskId, out var topic))
        {
            return;
        }
        Outgoing message;
        if (item.Deleted)
        {
            message = new Outgoing(0, "deleted", TaskMessages.Deleted(item.TaskId, _time.GetUtcNow()));
        }
        else if (item.Change is { } change)
        {
            message = new Outgoing(item.Seq, TaskMessages.TypeOf(change.Event), TaskMessages.Encode(change.Event, change.Task), change.Event.Timestamp);
        }
        else
        {
            // Position only: queue a marker that makes each subscription read the range from storage.
            message = new Outgoing(item.Seq, HintType, []);
        }
        var subscribers = topic.Subscribers;
        _metrics.Broadcasts.Add(1);
        if (item.Change is not null)
        {
            _metrics.EventsAppended.Add(1);
        }
        foreach (var s in subscribers)
        {
            s.Offer(message);
        }
    }

    public void Dispose() => _feedSubscription.Dispose();

    private sealed class Topic
    {
        public Subscription[] Subscribers = [];
        public bool Dead;
    }
}
