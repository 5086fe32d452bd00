using System.Text.Json;
using SpectralNotify.Access;
using SpectralNotify.Counters;
using SpectralNotify.Realtime;
using SpectralNotify.Storage;

namespace SpectralNotify.Server.Realtime.V2;

/// <summary><c>counter:&lt;name&gt;</c>: each operation (the history entry) with the counter after it. A counter never ends.</summary>
public sealed class CounterTopic(IStore store, JsonSerializerOptions json) : EntityTopic(json)
{
    public override string Name => "counter";
    public override Resource Resource => Resource.Counters;
    public override string Kind => FeedItem.CounterKind;

    public override Outgoing Encode(FeedItem item)
    {
        var c = (CounterChange)item.Change!;
        return Message(c.Entry, c.Counter, c.Entry.Timestamp);
    }

    private Outgoing Message(CounterHistoryEntry e, Counter counter, DateTimeOffset? committedAt) =>
        ChangeMessage("change", Epoch.Of(counter.CreatedAt), e.Seq, e, counter, null, null, committedAt);

    public override async Task<ReplayPage> ReadAfterAsync(string id, long after, ReplayLimit limit, CancellationToken ct)
    {
        var entries = await store.CounterHistoryListAsync(id, after, limit.Messages, ct);
        if (entries.Count == 0 || await store.CounterGetAsync(id, ct) is not { } counter)
        {
            return ReplayPage.Empty(limit);
        }
        return new ReplayPage(limit).Fill(entries, e => Message(e, counter, null));
    }

    public override async Task<EntityState> StateAsync(string id, CancellationToken ct)
    {
        var counter = await store.CounterGetAsync(id, ct);
        var epoch = counter is null ? null : Epoch.Of(counter.CreatedAt);
        var seq = counter?.LastSeq ?? 0;
        return new EntityState(epoch, seq, LiveMessages.Snapshot(epoch, seq, counter, Json));
    }
}
