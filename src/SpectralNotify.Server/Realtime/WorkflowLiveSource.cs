using System.Text.Json;
using SpectralNotify.Realtime;
using SpectralNotify.Storage;
using SpectralNotify.Workflows;

namespace SpectralNotify.Server.Realtime;

/// <summary>
/// Live updates of workflows (see <see cref="WorkflowMessages"/>). Replayed messages carry the
/// current workflow and phases. Every message carries all phases, so they are encoded once per
/// state and shared (<see cref="Outgoing.Shared"/>): once per live change for every subscriber, and
/// once per replay page rather than once per replayed event.
/// </summary>
public sealed class WorkflowLiveSource(IStore store) : ILiveSource
{
    public string Kind => FeedItem.WorkflowKind;

    public Outgoing Encode(FeedItem item)
    {
        var c = (WorkflowChange)item.Change!;
        return WorkflowMessages.Message(c.Event, c.Workflow, WorkflowMessages.State(c.Workflow, c.Phases), c.Event.Timestamp);
    }

    public async Task<ReplayPage> ReadAfterAsync(string id, long after, ReplayLimit limit, CancellationToken ct)
    {
        var events = await store.WorkflowEventListAsync(id, after, limit.Messages, ct);
        if (events.Count == 0 || await store.WorkflowGetAsync(id, ct) is not { } s)
        {
            return ReplayPage.Empty(limit);
        }
        var state = WorkflowMessages.State(s.Workflow, s.Phases);
        return new ReplayPage(limit).Fill(events, e => WorkflowMessages.Message(e, s.Workflow, state));
    }

    public async Task<long> CurrentSeqAsync(string id, CancellationToken ct) => (await store.WorkflowGetAsync(id, ct))?.Workflow.LastSeq ?? 0;

    public async Task<(long Seq, byte[] Payload)> SnapshotAsync(string id, JsonSerializerOptions json, CancellationToken ct)
    {
        var s = await store.WorkflowGetAsync(id, ct);
        return (s?.Workflow.LastSeq ?? 0, WorkflowMessages.Snapshot(s));
    }
}
