using SpectralNotify.Tasks;
using SpectralNotify.Workflows;

namespace SpectralNotify.Storage;

/// <summary>Workflows, their weighted phases and history. Part of <see cref="IStore"/>.</summary>
public interface IWorkflowStore
{
    /// <summary>Creates a workflow from validated phases, with history entry 1.</summary>
    /// <exception cref="WorkflowAlreadyExistsException"/>
    Task<WorkflowChange> WorkflowCreateAsync(WorkflowCreateParams p, CancellationToken ct);

    /// <summary>Deletes a workflow with its phases and history; false when it did not exist.</summary>
    Task<bool> WorkflowDeleteAsync(string id, CancellationToken ct);

    /// <summary>History entries with seq &gt; <paramref name="afterSeq"/>, oldest first.</summary>
    Task<IReadOnlyList<WorkflowEvent>> WorkflowEventListAsync(string id, long afterSeq, int limit, CancellationToken ct);

    /// <summary>Complete, fail or cancel under the workflow's write lock (see <see cref="WorkflowRules.Finish"/>).</summary>
    Task<WorkflowChange> WorkflowFinishAsync(WorkflowFinishParams p, CancellationToken ct);

    Task<WorkflowSnapshot?> WorkflowGetAsync(string id, CancellationToken ct);

    Task<WorkflowPage> WorkflowListAsync(WorkflowListParams p, CancellationToken ct);

    /// <summary>Sets a leaf phase's progress under the workflow's write lock (see <see cref="WorkflowRules.UpdatePhase"/>).</summary>
    Task<WorkflowChange> WorkflowUpdatePhaseAsync(WorkflowPhaseUpdateParams p, CancellationToken ct);
}
