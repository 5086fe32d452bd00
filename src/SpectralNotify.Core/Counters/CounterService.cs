using SpectralNotify.Realtime;
using SpectralNotify.Storage;

namespace SpectralNotify.Counters;

/// <summary>Writes counters through the store and announces each committed change on the feed.</summary>
public sealed class CounterService(IStore store, TaskFeed feed)
{
    public async Task<CounterChange> CreateAsync(string name, long value, string? createdBy, CancellationToken ct)
    {
        var change = await store.CounterCreateAsync(name, value, createdBy, ct);
        Announce(change);
        return change;
    }

    public async Task<CounterChange> ApplyAsync(string name, CounterOperation op, CancellationToken ct)
    {
        var change = await store.CounterApplyAsync(name, op, ct);
        Announce(change);
        return change;
    }

    public async Task<bool> DeleteAsync(string name, CancellationToken ct)
    {
        var deleted = await store.CounterDeleteAsync(name, ct);
        if (deleted)
        {
            feed.Publish(new FeedItem(FeedItem.CounterKind, name, 0, null, Deleted: true));
        }
        return deleted;
    }

    private void Announce(CounterChange change) =>
        feed.Publish(new FeedItem(FeedItem.CounterKind, change.Counter.Name, change.Entry.Seq, change));
}
