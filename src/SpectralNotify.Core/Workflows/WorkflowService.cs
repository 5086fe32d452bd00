using SpectralNotify.Realtime;
using SpectralNotify.Storage;
using SpectralNotify.Tasks;

namespace SpectralNotify.Workflows;

/// <summary>Writes workflows through the store and announces each committed change on the feed.</summary>
public sealed class WorkflowService(IStore store, TaskFeed feed)
{
    public async Task<WorkflowChange> CreateAsync(WorkflowCreateParams p, CancellationToken ct) =>
        Announce(await store.WorkflowCreateAsync(p, ct));

    public async Task<WorkflowChange> UpdatePhaseAsync(WorkflowPhaseUpdateParams p, CancellationToken ct) =>
        Announce(await store.WorkflowUpdatePhaseAsync(p, ct));

    public async Task<WorkflowChange> FinishAsync(WorkflowFinishParams p, CancellationToken ct) =>
        Announce(await store.WorkflowFinishAsync(p, ct));

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
