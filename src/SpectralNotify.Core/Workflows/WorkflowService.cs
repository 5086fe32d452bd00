using SpectralNotify.Realtime;
using SpectralNotify.Storage;
using SpectralNotify.Tasks;

namespace SpectralNotify.Workflows;

/// <summary>Writes workflows through the store and announces each committed change on the feed.</summary>
public sealed class WorkflowService(IStore store, TaskFeed feed)
{
    public async Task<WorkflowChange> CreateAsync(string id, IReadOnlyList<PhaseInput> phases, string metadata, string? createdBy, CancellationToken ct,
        TaskState status = TaskState.Pending) =>
        Announce(await store.WorkflowCreateAsync(id, phases, metadata, createdBy, status, ct));

    public async Task<WorkflowChange> UpdatePhaseAsync(string id, string key, double progress, string? metadata, CancellationToken ct,
        RuleSet rules = RuleSet.Strict) =>
        Announce(await store.WorkflowUpdatePhaseAsync(id, key, progress, metadata, rules, ct));

    public async Task<WorkflowChange> FinishAsync(string id, TaskState outcome, string? error, string? metadata, CancellationToken ct,
        RuleSet rules = RuleSet.Strict) =>
        Announce(await store.WorkflowFinishAsync(id, outcome, error, metadata, rules, ct));

    public async Task<bool> DeleteAsync(string id, CancellationToken ct)
    {
        var deleted = await store.WorkflowDeleteAsync(id, ct);
        if (deleted)
        {
            feed.Publish(new FeedItem(FeedItem.WorkflowKind, id, 0, null, Deleted: true));
        }
        return deleted;
    }

    private WorkflowChange Announce(WorkflowChange change)
    {
        feed.Publish(new FeedItem(FeedItem.WorkflowKind, change.Workflow.Id, change.Event.Seq, change));
        return change;
    }
}
