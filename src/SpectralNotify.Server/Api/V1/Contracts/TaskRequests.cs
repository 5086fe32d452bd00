using System.Text.Json;

namespace SpectralNotify.Server.Api.V1.Contracts;

/// <summary>POST /api/v1/tasks. Every field is optional; <c>id</c> is generated (UUIDv7) when absent.</summary>
public sealed record CreateTaskRequest(
    string? Id = null, string? Title = null, string? Description = null, string? Type = null, string? Status = null,
    double? Progress = null, JsonElement? Metadata = null, JsonElement? Config = null, string? WorkspacePath = null,
    DateTimeOffset? ExpiresAt = null, double? TtlSeconds = null, string? WorkflowId = null, int? Sequence = null,
    TokenOnCreateRequest? Token = null);

/// <summary>PATCH /api/v1/tasks/{id}: only the fields present change.</summary>
public sealed record UpdateTaskRequest(string? Title = null, string? Description = null, JsonElement? Metadata = null, JsonElement? Config = null);

/// <summary>POST /api/v1/tasks/{id}/events.</summary>
public sealed record AddEventRequest(string? Type = null, string? Message = null, double? Progress = null, JsonElement? Metadata = null);

/// <summary>POST /api/v1/tasks/{id}/progress.</summary>
public sealed record ProgressRequest(double? Progress = null, string? Message = null);

/// <summary>POST /api/v1/tasks/{id}/complete.</summary>
public sealed record CompleteRequest(JsonElement? Metadata = null);

/// <summary>POST /api/v1/tasks/{id}/fail.</summary>
public sealed record FailRequest(string? Error = null, JsonElement? Metadata = null);

/// <summary>POST /api/v1/tasks/{id}/cancel.</summary>
public sealed record CancelRequest(string? Reason = null, JsonElement? Metadata = null);

/// <summary>POST /api/v1/tasks/batch: up to 250 operations, applied in order in one transaction.</summary>
public sealed record BatchRequest(IReadOnlyList<BatchOperation>? Operations = null);

/// <summary>
/// One batch operation. <c>op</c> is <c>create</c> (fields as in <see cref="CreateTaskRequest"/>),
/// <c>update</c>, <c>event</c>, <c>progress</c>, <c>complete</c>, <c>fail</c> or <c>cancel</c>
/// (fields as in the matching single-task request, plus <c>id</c>).
/// </summary>
public sealed record BatchOperation(
    string? Op = null, string? Id = null, string? Title = null, string? Description = null, string? Type = null,
    string? Status = null, double? Progress = null, JsonElement? Metadata = null, JsonElement? Config = null,
    string? WorkspacePath = null, DateTimeOffset? ExpiresAt = null, double? TtlSeconds = null,
    string? Message = null, string? Error = null, string? Reason = null);

/// <summary>The batch answer: one entry per operation, in order.</summary>
public sealed record BatchResult(IReadOnlyList<BatchItemResult> Data);

public sealed record BatchItemResult(int Index, string Op, TaskDto Task, EventDto Event);
