using System.Text.Json;

namespace SpectralNotify.Client.Models;

/// <summary>
/// <c>POST /api/v1/tasks</c>. Every field is optional; the server generates <see cref="Id"/> (a
/// UUIDv7) when absent. JSON fields take any <see cref="JsonElement"/>, e.g.
/// <c>JsonSerializer.SerializeToElement(new { file = "a.mp4" })</c>.
/// </summary>
public sealed record CreateTaskRequest
{
    /// <summary>1–200 characters, no control characters or <c>/</c>; generated when null.</summary>
    public string? Id { get; init; }

    /// <summary>Up to 500 characters.</summary>
    public string? Title { get; init; }

    /// <summary>Up to 8 KiB.</summary>
    public string? Description { get; init; }

    /// <summary>A free type name.</summary>
    public string? Type { get; init; }

    /// <summary><c>pending</c> (default) or <c>in-progress</c>.</summary>
    public string? Status { get; init; }

    /// <summary>The starting progress, 0–100.</summary>
    public double? Progress { get; init; }

    /// <summary>A JSON object, up to 64 KiB.</summary>
    public JsonElement? Metadata { get; init; }

    /// <summary>A JSON object, up to 64 KiB.</summary>
    public JsonElement? Config { get; init; }

    /// <summary>Where the work happens.</summary>
    public string? WorkspacePath { get; init; }

    /// <summary>When the server deletes the task; not with <see cref="TtlSeconds"/>.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>Seconds until the server deletes the task; not with <see cref="ExpiresAt"/>.</summary>
    public double? TtlSeconds { get; init; }

    /// <summary>Places the task in a workflow (which need not exist yet).</summary>
    public string? WorkflowId { get; init; }

    /// <summary>The task's place in <see cref="WorkflowId"/>, 0 or more.</summary>
    public int? Sequence { get; init; }

    /// <summary>
    /// Asks for a read token for the new task in the answer (<see cref="SpectralTask.Token"/>), to hand
    /// to a browser. The server refuses it together with an <c>Idempotency-Key</c>, so the client sends
    /// none automatically on such a create.
    /// </summary>
    public TokenOnCreate? Token { get; init; }
}

/// <summary><c>PATCH /api/v1/tasks/{id}</c>: only the fields set change.</summary>
public sealed record UpdateTaskRequest
{
    /// <summary>The new title.</summary>
    public string? Title { get; init; }

    /// <summary>The new description.</summary>
    public string? Description { get; init; }

    /// <summary>The new metadata object (replaces the old one).</summary>
    public JsonElement? Metadata { get; init; }

    /// <summary>The new config object (replaces the old one).</summary>
    public JsonElement? Config { get; init; }
}

/// <summary><c>POST /api/v1/tasks/{id}/events</c>.</summary>
public sealed record AddEventRequest
{
    /// <summary>One of <see cref="TaskEventTypes"/>; required.</summary>
    public string? Type { get; init; }

    /// <summary>What happened; required, up to 8 KiB.</summary>
    public string? Message { get; init; }

    /// <summary>Also sets the task's progress.</summary>
    public double? Progress { get; init; }

    /// <summary>The event's own JSON object.</summary>
    public JsonElement? Metadata { get; init; }
}

/// <summary><c>POST /api/v1/tasks/{id}/progress</c>.</summary>
public sealed record ProgressRequest
{
    /// <summary>0–100; required.</summary>
    public double? Progress { get; init; }

    /// <summary>The event's message instead of "Progress updated to N%".</summary>
    public string? Message { get; init; }
}

/// <summary><c>POST /api/v1/tasks/{id}/complete</c>.</summary>
public sealed record CompleteTaskRequest
{
    /// <summary>The metadata of the event this writes (the task's own metadata is unchanged).</summary>
    public JsonElement? Metadata { get; init; }
}

/// <summary><c>POST /api/v1/tasks/{id}/fail</c>.</summary>
public sealed record FailTaskRequest
{
    /// <summary>The error text; required, up to 8 KiB.</summary>
    public string? Error { get; init; }

    /// <summary>The metadata of the event this writes (the task's own metadata is unchanged).</summary>
    public JsonElement? Metadata { get; init; }
}

/// <summary><c>POST /api/v1/tasks/{id}/cancel</c>.</summary>
public sealed record CancelTaskRequest
{
    /// <summary>Why; shown in the event "Task canceled: reason".</summary>
    public string? Reason { get; init; }

    /// <summary>The metadata of the event this writes (the task's own metadata is unchanged).</summary>
    public JsonElement? Metadata { get; init; }
}

/// <summary>The filter and page of <c>GET /api/v1/tasks</c> (newest first).</summary>
public sealed record TaskQuery
{
    /// <summary>One of <see cref="TaskStatuses"/>, or several separated by commas (any of them).</summary>
    public string? Status { get; init; }

    /// <summary>An exact type.</summary>
    public string? Type { get; init; }

    /// <summary>Matches id, title and description, case-insensitive.</summary>
    public string? Q { get; init; }

    /// <summary>The id starts with it or the title contains it, ignoring the case of A–Z (as the live list filter's <c>search</c>).</summary>
    public string? Search { get; init; }

    /// <summary>Top-level metadata pairs that must all be equal; values are strings, numbers or booleans.</summary>
    public IReadOnlyDictionary<string, object>? Metadata { get; init; }

    /// <summary>Created after this time (exclusive).</summary>
    public DateTimeOffset? CreatedAfter { get; init; }

    /// <summary>Created before this time (exclusive).</summary>
    public DateTimeOffset? CreatedBefore { get; init; }

    /// <summary>The page size, 1–500; the server's default is 50.</summary>
    public int? Limit { get; init; }

    /// <summary>The <see cref="Page{T}.Next"/> of the previous page.</summary>
    public string? Cursor { get; init; }

    /// <summary><c>created</c> (newest <c>createdAt</c> first, the default) or <c>updated</c> (newest <c>updatedAt</c> first, as live lists).</summary>
    public string? Order { get; init; }
}
