using System.Text.Json;
using SpectralNotify.Tasks;
using SpectralNotify.Workflows;

namespace SpectralNotify.Server.Api.V1.Contracts;

/// <summary>POST /api/v1/workflows. <c>id</c> is generated when absent.</summary>
public sealed record CreateWorkflowRequest(string? Id = null, IReadOnlyList<PhaseRequest>? Phases = null, JsonElement? Metadata = null, TokenOnCreateRequest? Token = null);

/// <summary>One phase: weights of siblings (top level, or children of one parent) sum to 1.</summary>
public sealed record PhaseRequest(string? Key = null, string? Label = null, double? Weight = null, string? ParentPhaseKey = null);

/// <summary>POST …/phases/{key}/progress.</summary>
public sealed record PhaseProgressRequest(double? Progress = null, JsonElement? Metadata = null);

/// <summary>POST …/complete, …/cancel, …/phases/{key}/complete.</summary>
public sealed record WorkflowMetadataRequest(JsonElement? Metadata = null);

/// <summary>POST …/fail.</summary>
public sealed record WorkflowFailRequest(string? Error = null, JsonElement? Metadata = null);

/// <summary>A workflow as the v1 API shows it, with its phases in order.</summary>
public sealed record WorkflowDto(
    string Id, string Status, int OverallProgress, int ExpectedPhaseCount, int CompletedPhaseCount, string? ActivePhaseKey,
    bool AllPhasesDone, JsonElement Metadata, string? CreatedBy, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt,
    DateTimeOffset? CompletedAt, DateTimeOffset? FailedAt, DateTimeOffset? CanceledAt, long LastSeq, long Version,
    IReadOnlyList<PhaseDto>? Phases,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] TokenDto? Token = null)
{
    public static WorkflowDto From(Workflow w, IReadOnlyList<WorkflowPhase>? phases) => new(
        w.Id, w.Status.ToWire(), w.OverallProgress, w.ExpectedPhaseCount, w.CompletedPhaseCount, w.ActivePhaseKey, w.AllPhasesDone,
        TaskDto.Json(w.Metadata), w.CreatedBy, w.CreatedAt, w.UpdatedAt, w.CompletedAt, w.FailedAt, w.CanceledAt, w.LastSeq, w.Version,
        phases?.Select(PhaseDto.From).ToList());
}

public sealed record PhaseDto(
    string Key, string Label, double Weight, string Status, double Progress, int Order, string? ParentPhaseKey, int Depth,
    DateTimeOffset? StartedAt, DateTimeOffset? UpdatedAt, DateTimeOffset? CompletedAt)
{
    public static PhaseDto From(WorkflowPhase p) => new(
        p.Key, p.Label, p.Weight, p.Status.ToWire(), p.Progress, p.Order, p.ParentPhaseKey, p.Depth, p.StartedAt, p.UpdatedAt, p.CompletedAt);
}

/// <summary>One history entry.</summary>
public sealed record WorkflowEventDto(string WorkflowId, long Seq, string Type, string? PhaseKey, string Message, double? Progress,
    JsonElement? Metadata, DateTimeOffset Timestamp)
{
    public static WorkflowEventDto From(WorkflowEvent e) => new(e.WorkflowId, e.Seq, e.Type, e.PhaseKey, e.Message, e.Progress,
        e.Metadata is null ? null : TaskDto.Json(e.Metadata), e.Timestamp);
}
