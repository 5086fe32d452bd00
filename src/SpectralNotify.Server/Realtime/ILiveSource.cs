using System.Text.Json;
using SpectralNotify.Realtime;

namespace SpectralNotify.Server.Realtime;

/// <summary>
/// What the realtime layer needs from one kind of entity (task, counter, …): how to encode a
/// committed change, how to read changes after a seq back from storage, and a snapshot. The hub,
/// subscriptions, resume and gap repair are the same for every kind.
/// </summary>
public interface ILiveSource
{
    /// <summary>The <see cref="FeedItem.Kind"/> this source serves.</summary>
    string Kind { get; }

    /// <summary>
    /// The hub's topic namespace: the v1 endpoints and protocol v2 encode the same feed differently,
    /// so each format has its own topics (the kind itself for v1).
    /// </summary>
    string Namespace => Kind;

    /// <summary>The message for the entity's deletion (seq 0: its sequence restarts if it is created again).</summary>
    Outgoing EncodeDeleted(string id, DateTimeOffset at) => new(0, "deleted", TaskMessages.Deleted(Kind, id, at));

    /// <summary>The live message for a change announced with its payload.</summary>
    Outgoing Encode(FeedItem item);

    /// <summary>
    /// Messages for changes with seq &gt; <paramref name="after"/>, oldest first, rebuilt from storage,
    /// as many as fit <paramref name="limit"/> (at least one when there is one).
    /// </summary>
    Task<ReplayPage> ReadAfterAsync(string id, long after, ReplayLimit limit, CancellationToken ct);

    /// <summary>The entity's latest committed seq (0 when it does not exist): where a live-only subscription starts.</summary>
    Task<long> CurrentSeqAsync(string id, CancellationToken ct);

    /// <summary>A <c>snapshot</c> message and the seq it reflects (0 when the entity does not exist).</summary>
    Task<(long Seq, byte[] Payload)> SnapshotAsync(string id, JsonSerializerOptions json, CancellationToken ct);
}
