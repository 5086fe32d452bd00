using System.Text.Json;
using SpectralNotify.Access;
using SpectralNotify.Realtime;
using SpectralNotify.Server.Api.V1.Contracts;
using SpectralNotify.Storage;
using SpectralNotify.Tasks;
using SpectralNotify.Workflows;

namespace SpectralNotify.Server.Realtime.V2;

/// <summary><c>workflow:&lt;id&gt;</c>: a workflow's events with the workflow and all its phases after each.</summary>
public sealed class WorkflowTopic(IStore store, JsonSerializerOptions json) : EntityTopic(json)
{
    public override string Name => "workflow";
    public override Resource Resource => Resource.Workflows;
    public override string Kind => FeedItem.WorkflowKind;

    /// <summary>The workflow's own terminal events (not a phase's): success, error, cancel.</summary>
    private static string? EndReason(WorkflowEvent e, Workflow w) => e.PhaseKey is null && w.Status.IsTerminal()
        ? e.Type switch { "success" => "success", "error" => "failed", "cancel" => "canceled", _ => null }
        : null;

    public override Outgoing Encode(FeedItem item)
    {
        var c = (WorkflowChange)item.Change!;
        return Message(c.Event, WorkflowDto.From(c.Workflow, c.Phases), c.Workflow, c.Event.Timestamp);
    }

    private Outgoing Message(WorkflowEvent e, WorkflowDto dto, Workflow w, DateTimeOffset? committedAt) =>
        ChangeMessage("change", Epoch.Of(w.CreatedAt), e.Seq, WorkflowEventDto.From(e), dto, null, EndReason(e, w), committedAt);

    public override async Task<ReplayPage> ReadAfterAsync(string id, long after, ReplayLimit limit, CancellationToken ct)
    {
        var events = await store.WorkflowEventListAsync(id, after, limit.Messages, ct);
        if (events.Count == 0 || await store.WorkflowGetAsync(id, ct) is not { } s)
        {
            return ReplayPage.Empty(limit);
        }
        var dto = WorkflowDto.From(s.Workflow, s.Phases);
        return new ReplayPage(limit).Fill(events, e => Message(e, dto, s.Workflow, null));
    }

    public override async Task<EntityState> StateAsync(string id, CancellationToken ct)
    {
        var s = await store.WorkflowGetAsync(id, ct);
        var epoch = s is null ? null : Epoch.Of(s.Workflow.CreatedAt);
        var seq = s?.Workflow.LastSeq ?? 0;
        return new EntityState(epoch, seq, LiveMessages.Snapshot(epoch, seq, s is null ? null : WorkflowDto.From(s.Workflow, s.Phases), Json), EntityState.EndOf(s?.Workflow.Status));
    }
}
