using System.Text.Json;
using SpectralNotify.Realtime;
using SpectralNotify.Storage;
using SpectralNotify.Workflows;

namespace SpectralNotify.Server.Realtime;

/// <summary>Live updates of workflows (see <see cref="WorkflowMessages"/>). Replayed messages carry the current workflow and phases.</summary>
public sealed class WorkflowLiveSource(IStore store) : ILiveSource
{
    public string Kind => FeedItem.WorkflowKind;

    public Outgoing Encode(FeedItem item)
    {
        var c = (WorkflowChange)item.Change!;
        return new Outgoing(item.Seq, WorkflowMessages.TypeOf(c.Event), WorkflowMessages.Encode(c.Event, c.Workflow, c.Phases), c.Event.Timestamp);
    }

    public async Task<IReadOnlyList<Outgoing>> ReadAfterAsync(string id, long after, int limit, CancellationToken ct)
    {
        var events = await store.WorkflowEventListAsync(id, after, limit, ct);
        if (events.Count == 0 || await store.WorkflowGetAsync(id, ct) is not { } s)
        {
            return [];
        }
        return events.Select(e => new Outgoing(e.Seq, WorkflowMessages.TypeOf(e), WorkflowMessages.Encode(e, s.Workflow, s.Phases))).ToList();
    }

    public async Task<long> CurrentSeqAsync(string id, CancellationToken ct) => (await store.WorkflowGetAsync(id, ct))?.Workflow.LastSeq ?? 0;

    public async Task<(long Seq, byte[] Payload)> SnapshotAsync(string id, JsonSerializerOptions json, CancellationToken ct)
    {
        var s = await store.WorkflowGetAsync(id, ct);
        return (s?.Workflow.LastSeq ?? 0, WorkflowMessages.Snapshot(s));
    }
}
