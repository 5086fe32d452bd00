using SpectralNotify.Tasks;

namespace SpectralNotify.Workflows;

/// <summary>
/// One weighted phase of a workflow. Phases form a forest through <see cref="ParentPhaseKey"/>;
/// siblings' weights sum to 1. <see cref="Depth"/> is computed from the parent chain, not taken
/// from the caller.
/// </summary>
public sealed record WorkflowPhase
{
    public required string Key { get; init; }
    public required string Label { get; init; }
    public double Weight { get; init; }
    public TaskState Status { get; init; } = TaskState.Pending;
    public double Progress { get; init; }
    public int Order { get; init; }
    public string? ParentPhaseKey { get; init; }
    public int Depth { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset? UpdatedAt { get; init; }
    public DateTimeOffset? CompletedAt { get; init; }
}
