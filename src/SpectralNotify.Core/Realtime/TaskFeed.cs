using SpectralNotify.Tasks;

namespace SpectralNotify.Realtime;

/// <summary>
/// A committed change announced to live subscribers. <see cref="Change"/> is null when only the
/// position is known (a notification too large to carry the change, or a hint from another node):
/// the receiver then reads the events from storage. <see cref="Deleted"/> marks a task deletion,
/// after which the task's sequence starts again at 1.
/// </summary>
public sealed record FeedItem(string TaskId, long Seq, TaskChange? Change, bool Deleted = false);

/// <summary>
/// The in-process change feed: the task service publishes here after each commit, and an engine
/// that is shared across processes (PostgreSQL LISTEN/NOTIFY) publishes what other nodes committed.
/// Notifications are hints; storage is the truth, so subscribers repair any gap by reading it.
/// </summary>
public sealed class TaskFeed
{
    private volatile Action<FeedItem>[] _handlers = [];
    private readonly Lock _gate = new();

    public void Publish(FeedItem item)
    {
        foreach (var handler in _handlers)
        {
            handler(item);
        }
    }

    public IDisposable Subscribe(Action<FeedItem> handler)
    {
        lock (_gate)
        {
            _handlers = [.. _handlers, handler];
        }
        return new Unsubscriber(this, handler);
    }

    private sealed class Unsubscriber(TaskFeed feed, Action<FeedItem> handler) : IDisposable
    {
        public void Dispose()
        {
            lock (feed._gate)
            {
                feed._handlers = [.. feed._handlers.Where(h => h != handler)];
            }
        }
    }
}
