using SpectralNotify.Tasks;

namespace SpectralNotify.Workflows;

/// <summary>
/// A tracked unit made of weighted phases. <see cref="OverallProgress"/>,
/// <see cref="CompletedPhaseCount"/> and <see cref="ActivePhaseKey"/> are derived from the phases
/// by <see cref="WorkflowRules"/> on every change; <see cref="AllPhasesDone"/> says every phase
/// succeeded (the workflow itself completes only when told to).
/// </summary>
public sealed record Workflow
{
    public required string Id { get; init; }
    public TaskState Status { get; init; } = TaskState.Pending;
    public int OverallProgress { get; init; }
    public int ExpectedPhaseCount { get; init; }
    public int CompletedPhaseCount { get; init; }
    public string? ActivePhaseKey { get; init; }
    public bool AllPhasesDone { get; init; }
    public string Metadata { get; init; } = "{}";
    public string? CreatedBy { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
    public DateTimeOffset? CompletedAt { get; init; }
    public DateTimeOffset? FailedAt { get; init; }
    public DateTimeOffset? CanceledAt { get; init; }
    public long LastSeq { get; init; }
    public long Version { get; init; }
}

/// <summary>One entry of a workflow's history (seq 1, 2, 3 …).</summary>
public sealed record WorkflowEvent
{
    public required string WorkflowId { get; init; }
    public long Seq { get; init; }
    /// <summary>log, phase-progress, success, error or cancel (the reference's event types).</summary>
    public required string Type { get; init; }
    public string? PhaseKey { get; init; }
    public required string Message { get; init; }
    public double? Progress { get; init; }
    public string? Metadata { get; init; }
    public DateTimeOffset Timestamp { get; init; }
}

/// <summary>A committed workflow change: the workflow and all its phases after it, and the event it appended.</summary>
public sealed record WorkflowChange(Workflow Workflow, IReadOnlyList<WorkflowPhase> Phases, WorkflowEvent Event)
{
    /// <summary>
    /// The phases this change wrote, which are all a store has to write: every phase on create, the
    /// updated phase and the ancestors whose rolled-up progress or status moved on a phase update,
    /// none on complete, fail or cancel. Not part of notifications: <see cref="Phases"/> already holds them.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public IReadOnlyList<WorkflowPhase> ChangedPhases { get; init; } = [];
}

/// <summary>The workflow is success, failed or canceled and takes no further change (409).</summary>
public sealed class WorkflowTerminalException(string id, TaskState status)
    : SpectralException($"Workflow '{id}' is {status.ToWire()}; a {status.ToWire()} workflow cannot change.")
{
    public TaskState Status { get; } = status;
}

/// <summary>No phase with this key in the workflow (404).</summary>
public sealed class PhaseNotFoundException(string workflowId, string key)
    : SpectralException($"Workflow '{workflowId}' has no phase '{key}'.");

/// <summary>A parent phase's progress is derived from its children and cannot be set (409).</summary>
public sealed class ParentPhaseException(string key)
    : SpectralException($"Phase '{key}' has child phases; its progress rolls up from them and cannot be set directly.");

/// <summary>No workflow with this id (404).</summary>
public sealed class WorkflowNotFoundException(string id) : SpectralException($"Workflow '{id}' does not exist.")
{
    public string WorkflowId { get; } = id;
}

/// <summary>A workflow with this id exists (409).</summary>
public sealed class WorkflowAlreadyExistsException(string id) : SpectralException($"Workflow '{id}' already exists.")
{
    public string WorkflowId { get; } = id;
}

/// <summary>A workflow with its phases in order.</summary>
public sealed record WorkflowSnapshot(Workflow Workflow, IReadOnlyList<WorkflowPhase> Phases);

/// <summary>Newest-first listing of workflows, keyset-paginated like tasks.</summary>
public sealed record WorkflowListParams(TaskState? Status, int Limit, Storage.TaskCursor? Cursor);

public sealed record WorkflowPage(IReadOnlyList<Workflow> Items, Storage.TaskCursor? Next);
