using System.Text.Json;
using SpectralNotify.Access;
using SpectralNotify.Realtime;

namespace SpectralNotify.Server.Realtime.V2;

/// <summary>
/// One kind of entity topic of protocol v2 (<c>task:&lt;id&gt;</c>, <c>workflow:…</c>, <c>counter:…</c>,
/// <c>run:…</c>): changes in their REST shapes, in the hub's <c>v2:</c> namespace so they are encoded
/// apart from the v1 messages of the same feed. Ordering, dedupe and gap repair are
/// <see cref="Subscription"/>'s, as for v1.
/// </summary>
public abstract class EntityTopic(JsonSerializerOptions json) : ILiveSource
{
    protected JsonSerializerOptions Json => json;

    /// <summary>The topic's prefix on the wire (<c>task</c> in <c>task:abc</c>).</summary>
    public abstract string Name { get; }

    /// <summary>What reading it needs (<see cref="AccessRules"/>).</summary>
    public abstract Resource Resource { get; }

    public abstract string Kind { get; }

    public string Namespace => "v2:" + Name;

    public abstract Outgoing Encode(FeedItem item);

    public abstract Task<ReplayPage> ReadAfterAsync(string id, long after, ReplayLimit limit, CancellationToken ct);

    /// <summary>The entity's epoch, seq and snapshot, read together.</summary>
    public abstract Task<EntityState> StateAsync(string id, CancellationToken ct);

    /// <summary>A deletion is the end of the stream (reason <c>deleted</c>); a following subscription goes on at seq 1 of the next incarnation.</summary>
    public Outgoing EncodeDeleted(string id, DateTimeOffset at) => new(0, "end", LiveMessages.End("deleted", 0)) { End = [] };

    public async Task<long> CurrentSeqAsync(string id, CancellationToken ct) => (await StateAsync(id, ct)).Seq;

    public async Task<(long Seq, byte[] Payload)> SnapshotAsync(string id, JsonSerializerOptions options, CancellationToken ct)
    {
        var state = await StateAsync(id, ct);
        return (state.Seq, state.Snapshot);
    }

    /// <summary>A change message, with its <c>end</c> when it made the entity terminal (<paramref name="endReason"/>).</summary>
    protected Outgoing ChangeMessage(string type, string? epoch, long seq, object @event, object entity, object? task, string? endReason, DateTimeOffset? committedAt) =>
        new(seq, type, LiveMessages.Change(epoch, seq, @event, entity, task, Json), committedAt)
        {
            End = endReason is null ? null : LiveMessages.End(endReason, seq),
        };
}
