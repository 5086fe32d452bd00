using System.Text.Json;
using SpectralNotify.Realtime;
using SpectralNotify.Storage;
using SpectralNotify.Tasks;

namespace SpectralNotify.Server.Realtime;

/// <summary>Live updates of tasks: the reference task messages plus <c>seq</c> (see <see cref="TaskMessages"/>).</summary>
public sealed class TaskLiveSource(IStore store) : ILiveSource
{
    public string Kind => FeedItem.TaskKind;

    public Outgoing Encode(FeedItem item)
    {
        var change = (TaskChange)item.Change!;
        return new Outgoing(item.Seq, TaskMessages.TypeOf(change.Event), TaskMessages.Encode(change.Event, change.Task), change.Event.Timestamp);
    }

    public async Task<ReplayPage> ReadAfterAsync(string id, long after, ReplayLimit limit, CancellationToken ct)
    {
        var events = await store.TaskEventListAsync(id, after, limit.Messages, ct);
        if (events.Count == 0 || await store.TaskGetAsync(id, ct) is not { } task)
        {
            return ReplayPage.Empty(limit);
        }
        // History keeps events, not task snapshots: replayed messages carry the task as it is now.
        return new ReplayPage(limit).Fill(events, e => new Outgoing(e.Seq, TaskMessages.TypeOf(e), TaskMessages.Encode(e, task)));
    }

    public async Task<long> CurrentSeqAsync(string id, CancellationToken ct) => (await store.TaskGetAsync(id, ct))?.LastSeq ?? 0;

    public async Task<(long Seq, byte[] Payload)> SnapshotAsync(string id, JsonSerializerOptions json, CancellationToken ct)
    {
        var task = await store.TaskGetAsync(id, ct);
        return (task?.LastSeq ?? 0, TaskMessages.Snapshot(task, json));
    }
}
