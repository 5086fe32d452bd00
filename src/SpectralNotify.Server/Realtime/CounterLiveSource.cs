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

    public async Task<ReplayPage> ReadAfterAsync(string id, long after, ReplayLimit limit, CancellationToken ct)
    {
        var entries = await store.CounterHistoryListAsync(id, after, limit.Messages, ct);
        if (entries.Count == 0 || await store.CounterGetAsync(id, ct) is not { } counter)
        {
            return ReplayPage.Empty(limit);
        }
        return new ReplayPage(limit).Fill(entries, e => new Outgoing(e.Seq, CounterMessages.TypeOf(e), CounterMessages.Encode(e, counter)));
    }

    public async Task<long> CurrentSeqAsync(string id, CancellationToken ct) => (await store.CounterGetAsync(id, ct))?.LastSeq ?? 0;

    public async Task<(long Seq, byte[] Payload)> SnapshotAsync(string id, JsonSerializerOptions json, CancellationToken ct)
    {
        var counter = await store.CounterGetAsync(id, ct);
        return (counter?.LastSeq ?? 0, CounterMessages.Snapshot(counter));
    }
}
