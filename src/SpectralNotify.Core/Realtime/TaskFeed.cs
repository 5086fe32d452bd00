using SpectralNotify.Tasks;

namespace SpectralNotify.Realtime;

/// <summary>
/// A committed change of one entity (<see cref="Kind"/> + <see cref="Id"/>) announced to live
/// subscribers. <see cref="Change"/> is the kind's change record (<see cref="TaskChange"/> for
/// tasks), or null when only the position is known (a notification too large to carry the change,
/// or a hint from another node): the receiver then reads storage. <see cref="Deleted"/> marks a
/// deletion, after which the entity's sequence starts again at 1.
/// </summary>
public sealed record FeedItem(string Kind, string Id, long Seq, object? Change, bool Deleted = false)
{
    /// <summary>
    /// For a change made by the job queue on this node: the run after it, so live run topics and
    /// lists need not read it back. Null otherwise (a task write to a run's task, another node).
    /// </summary>
    public Jobs.JobRun? Run { get; init; }

    public const string TaskKind = "task";
    public const string CounterKind = "counter";
    public const string WorkflowKind = "workflow";

    public static FeedItem ForTask(string id, long seq, TaskChange? change, bool deleted = false) => new(TaskKind, id, seq, change, deleted);
}

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
