using System.Text.Json;
using System.Threading.Channels;

namespace SpectralNotify.Client.Live;

/// <summary>
/// A watch of one entity topic (<c>task:</c>, <c>workflow:</c>, <c>counter:</c>, <c>run:</c>). Keeps
/// the position <c>(epoch, seq)</c>; after a reconnect it resumes with <c>after</c> + <c>epoch</c>,
/// drops anything at or below the last seq of the same epoch, and turns <c>recovered: false</c> into
/// a <see cref="LiveChangeKind.Reset"/> carrying the server's snapshot.
/// </summary>
internal sealed class EntitySubscription<TEntity, TEvent>(string topic, LiveWatchOptions options) : LiveSubscription(topic)
{
    // Unbounded: the receive loop serves every watch and must never wait for one slow consumer.
    private readonly Channel<LiveChange<TEntity, TEvent>> output =
        Channel.CreateUnbounded<LiveChange<TEntity, TEvent>>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });

    private string? epoch;
    private long? seq;
    private bool everSubscribed;

    /// <summary>The next snapshot answers a resume that failed: report it as a reset.</summary>
    private bool resetPending;

    /// <summary>
    /// The next snapshot came with a resume the server honoured: it is the entity now, but the replay
    /// of every change after <c>after</c> follows it, so it must not move the position.
    /// </summary>
    private bool snapshotBeforeReplay;

    public ChannelReader<LiveChange<TEntity, TEvent>> Reader => output.Reader;

    public override bool HoldsPosition => seq is not null;

    public override Dictionary<string, object?> SubscribeMessage()
    {
        var message = new Dictionary<string, object?> { ["type"] = "subscribe", ["id"] = Id, ["topic"] = Topic };
        if (seq is { } position)
        {
            message["after"] = position;
            message["epoch"] = epoch;
        }
        else
        {
            // Nothing received yet (not even the snapshot asked for): the first subscribe again.
            message["after"] = options.After;
            message["epoch"] = options.Epoch;
            if (options.Snapshot ?? options.After is null)
            {
                message["snapshot"] = true;
            }
        }
        if (options.Follow)
        {
            message["follow"] = true;
        }
        return message;
    }

    public override void OnSubscribed(bool recovered, string? epoch, long? seq)
    {
        var resumed = this.seq is not null || (!everSubscribed && options.After is not null);
        everSubscribed = true;
        // Only the first subscribe asks for a snapshot; a resumed one with it gets the replay after it.
        snapshotBeforeReplay = resumed && recovered && this.seq is null && options.Snapshot == true;
        if (resumed && !recovered)
        {
            // Keep the old position until the snapshot arrives: if the link drops before it, the next
            // resume fails the same way and the snapshot comes again, instead of a silent skip.
            resetPending = true;
            return;
        }
        if (!resumed && (options.Snapshot ?? options.After is null))
        {
            return; // the position comes with the snapshot
        }
        this.epoch = epoch;
        this.seq = seq;
    }

    public override bool Handle(string type, JsonElement message)
    {
        switch (type)
        {
            case "snapshot":
            {
                var snapshotEpoch = String(message, "epoch");
                var snapshotSeq = Long(message, "seq") ?? 0;
                var entity = Read<TEntity>(message, "entity");
                if (snapshotBeforeReplay)
                {
                    snapshotBeforeReplay = false;
                }
                else
                {
                    epoch = snapshotEpoch;
                    seq = snapshotSeq;
                }
                var kind = resetPending ? LiveChangeKind.Reset : LiveChangeKind.Snapshot;
                resetPending = false;
                output.Writer.TryWrite(new LiveChange<TEntity, TEvent> { Kind = kind, Seq = snapshotSeq, Epoch = snapshotEpoch, Entity = entity });
                return false;
            }
            case "change":
            {
                var changeEpoch = String(message, "epoch");
                var changeSeq = Long(message, "seq") ?? 0;
                if (resetPending || (changeEpoch == epoch && seq is { } held && changeSeq <= held))
                {
                    return false; // a duplicate of what was delivered (or stale, before the reset's snapshot)
                }
                epoch = changeEpoch;
                seq = changeSeq;
                output.Writer.TryWrite(new LiveChange<TEntity, TEvent>
                {
                    Kind = LiveChangeKind.Change,
                    Seq = changeSeq,
                    Epoch = changeEpoch,
                    Event = Read<TEvent>(message, "event"),
                    Entity = Read<TEntity>(message, "entity"),
                    Task = message.TryGetProperty("task", out var task) && task.ValueKind == JsonValueKind.Object ? task.Clone() : null,
                });
                return false;
            }
            case "end":
                output.Writer.TryWrite(new LiveChange<TEntity, TEvent>
                {
                    Kind = LiveChangeKind.End,
                    Seq = Long(message, "seq") ?? seq ?? 0,
                    Epoch = epoch,
                    EndReason = String(message, "reason"),
                });
                if (options.Follow)
                {
                    return false;
                }
                output.Writer.TryComplete();
                return true;
            default:
                return false; // unsubscribed, and types this version does not know
        }
    }

    public override void Complete(Exception? error) => output.Writer.TryComplete(error);
}
