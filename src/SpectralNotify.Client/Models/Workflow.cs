using System.Text.Json;

namespace SpectralNotify.Client.Models;

/// <summary>A workflow with weighted, hierarchical phases (<c>GET /api/v1/workflows/{id}</c>).</summary>
public sealed record Workflow
{
    /// <summary>The workflow's id.</summary>
    public string Id { get; init; } = "";

    /// <summary>One of <see cref="TaskStatuses"/>.</summary>
    public string Status { get; init; } = TaskStatuses.Pending;

    /// <summary>The floor of the weighted sum of the top-level phases, 0–100.</summary>
    public int OverallProgress { get; init; }

    /// <summary>How many phases it has.</summary>
    public int ExpectedPhaseCount { get; init; }

    /// <summary>How many have succeeded.</summary>
    public int CompletedPhaseCount { get; init; }

    /// <summary>The phase that changed last, if any is running.</summary>
    public string? ActivePhaseKey { get; init; }

    /// <summary>True when every phase succeeded (the workflow still needs complete).</summary>
    public bool AllPhasesDone { get; init; }

    /// <summary>A JSON object of the caller's own fields.</summary>
    public JsonElement Metadata { get; init; }

    /// <summary>The name of the key that created it.</summary>
    public string? CreatedBy { get; init; }

    /// <summary>When it was created.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>When it last changed.</summary>
    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>When it succeeded.</summary>
    public DateTimeOffset? CompletedAt { get; init; }

    /// <summary>When it failed.</summary>
    public DateTimeOffset? FailedAt { get; init; }

    /// <summary>When it was canceled.</summary>
    public DateTimeOffset? CanceledAt { get; init; }

    /// <summary>The seq of its last history entry.</summary>
    public long LastSeq { get; init; }

    /// <summary>Its version (ETag).</summary>
    public long Version { get; init; }

    /// <summary>Its phases in order; null in list answers.</summary>
    public IReadOnlyList<WorkflowPhase>? Phases { get; init; }

    /// <summary>Only in a create answer that asked for one: a read token for this workflow.</summary>
    public AccessToken? Token { get; init; }
}

/// <summary>One phase of a workflow.</summary>
public sealed record WorkflowPhase
{
    /// <summary>Unique within the workflow.</summary>
    public string Key { get; init; } = "";

    /// <summary>What to show.</summary>
    public string Label { get; init; } = "";

    /// <summary>Its share of its parent (or of the workflow); siblings sum to 1.</summary>
    public double Weight { get; init; }

    /// <summary>One of <see cref="TaskStatuses"/>.</summary>
    public string Status { get; init; } = TaskStatuses.Pending;

    /// <summary>0–100; a parent's is its children's weighted sum.</summary>
    public double Progress { get; init; }

    /// <summary>Its position in the workflow's phase list.</summary>
    public int Order { get; init; }

    /// <summary>Its parent phase, or null at the top level.</summary>
    public string? ParentPhaseKey { get; init; }

    /// <summary>0 at the top level.</summary>
    public int Depth { get; init; }

    /// <summary>When it started.</summary>
    public DateTimeOffset? StartedAt { get; init; }

    /// <summary>When it last changed.</summary>
    public DateTimeOffset? UpdatedAt { get; init; }

    /// <summary>When it succeeded.</summary>
    public DateTimeOffset? CompletedAt { get; init; }
}

/// <summary>One entry of a workflow's history.</summary>
public sealed record WorkflowEvent
{
    /// <summary>The workflow.</summary>
    public string WorkflowId { get; init; } = "";

    /// <summary>1, 2, 3 ….</summary>
    public long Seq { get; init; }

    /// <summary><c>log</c>, <c>phase-progress</c>, <c>success</c>, <c>error</c> or <c>cancel</c>.</summary>
    public string Type { get; init; } = "";

    /// <summary>The phase it concerns, if any.</summary>
    public string? PhaseKey { get; init; }

    /// <summary>What happened.</summary>
    public string Message { get; init; } = "";

    /// <summary>The phase progress it set, if any.</summary>
    public double? Progress { get; init; }

    /// <summary>Its own JSON fields, if any.</summary>
    public JsonElement? Metadata { get; init; }

    /// <summary>When (server clock).</summary>
    public DateTimeOffset Timestamp { get; init; }
}
