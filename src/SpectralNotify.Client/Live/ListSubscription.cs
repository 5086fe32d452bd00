using System.Text.Json;
using System.Threading.Channels;

namespace SpectralNotify.Client.Live;

/// <summary>
/// A live filtered list (<c>tasks</c>, <c>runs</c>, <c>workflows</c>, <c>job:&lt;id&gt;</c>). Keeps the
/// last cursor and resumes from it after a reconnect: the server then sends what changed since and
/// <c>up-to-date</c>, or <c>must-refetch</c> and a fresh snapshot.
/// </summary>
internal sealed class ListSubscription<TRow>(string topic, LiveListOptions options) : LiveSubscription(topic)
{
    private readonly Channel<LiveListChange<TRow>> output =
        Channel.CreateUnbounded<LiveListChange<TRow>>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });

    private string? cursor = options.Cursor;

    public ChannelReader<LiveListChange<TRow>> Reader => output.Reader;

    public override bool HoldsPosition => cursor is not null;

    public override Dictionary<string, object?> SubscribeMessage() => new()
    {
        ["type"] = "subscribe",
        ["id"] = Id,
        ["topic"] = Topic,
        ["limit"] = options.Limit,
        ["filter"] = options.Filter,
        ["cursor"] = cursor,
    };

    public override void OnSubscribed(bool recovered, string? epoch, long? seq)
    {
    }

    public override bool Handle(string type, JsonElement message)
    {
        var next = String(message, "cursor");
        LiveListChange<TRow>? change = type switch
        {
            "snapshot" => new() { Kind = LiveListChangeKind.Snapshot, Rows = Read<List<TRow>>(message, "rows") ?? [] },
            "upsert" => new() { Kind = LiveListChangeKind.Upsert, Row = Read<TRow>(message, "row") },
            "remove" => new() { Kind = LiveListChangeKind.Remove, RowId = String(message, "rowId"), RemoveReason = String(message, "reason") },
            "must-refetch" => new() { Kind = LiveListChangeKind.MustRefetch, RefetchReason = String(message, "reason") },
            "up-to-date" => new() { Kind = LiveListChangeKind.UpToDate },
            _ => null, // unsubscribed, and types this version does not know
        };
        if (change is null)
        {
            return false;
        }
        if (next is not null)
        {
            cursor = next;
        }
        output.Writer.TryWrite(change with { Cursor = cursor });
        return false;
    }

    public override void Complete(Exception? error) => output.Writer.TryComplete(error);
}
