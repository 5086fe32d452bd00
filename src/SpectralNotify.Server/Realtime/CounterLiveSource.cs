using System.Text.Json;
using SpectralNotify.Counters;
using SpectralNotify.Realtime;
using SpectralNotify.Storage;

namespace SpectralNotify.Server.Realtime;

/// <summary>Live updates of counters (see <see cref="CounterMessages"/>).</summary>
public sealed class CounterLiveSource(IStore store) : ILiveSource
{
    public string Kind => FeedItem.CounterKind;

    public Outgoing Encode(FeedItem item)
    {
        var change = (CounterChange)item.Change!;
        return new Outgoing(item.Seq, CounterMessages.TypeOf(change.Entry), CounterMessages.Encode(change.Entry, change.Counter), change.Entry.Timestamp);
    }

    public async Task<IReadOnlyList<Outgoing>> ReadAfterAsync(string id, long after, int limit, CancellationToken ct)
    {
        var entries = await store.CounterHistoryListAsync(id, after, limit, ct);
        if (entries.Count == 0 || await store.CounterGetAsync(id, ct) is not { } counter)
        {
            return [];
        }
        return entries.Select(e => new Outgoing(e.Seq, CounterMessages.TypeOf(e), CounterMessages.Encode(e, counter))).ToList();
    }

    public async Task<long> CurrentSeqAsync(string id, CancellationToken ct) => (await store.CounterGetAsync(id, ct))?.LastSeq ?? 0;

    public async Task<(long Seq, byte[] Payload)> SnapshotAsync(string id, JsonSerializerOptions json, CancellationToken ct)
    {
        var counter = await store.CounterGetAsync(id, ct);
        return (counter?.LastSeq ?? 0, CounterMessages.Snapshot(counter));
    }
}
