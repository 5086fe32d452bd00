using System.Text.Json;

namespace SpectralNotify.Client.Models;

/// <summary><c>POST /api/v1/tasks/batch</c>: up to 250 operations, applied in order in one transaction.</summary>
public sealed record TaskBatchRequest
{
    /// <summary>The operations.</summary>
    public IReadOnlyList<TaskBatchOperation> Operations { get; init; } = [];
}

/// <summary>
/// One batch operation. <see cref="Op"/> is one of <see cref="TaskBatchOps"/>: <c>create</c> takes the
/// fields of <see cref="CreateTaskRequest"/>; the others take <see cref="Id"/> plus the fields of the
/// matching single-task request.
/// </summary>
public sealed record TaskBatchOperation
{
    /// <summary>One of <see cref="TaskBatchOps"/>.</summary>
    public string? Op { get; init; }

    /// <summary>The task (optional for create).</summary>
    public string? Id { get; init; }

    /// <summary>create, update.</summary>
    public string? Title { get; init; }

    /// <summary>create, update.</summary>
    public string? Description { get; init; }

    /// <summary>create; for event, the event type.</summary>
    public string? Type { get; init; }

    /// <summary>create.</summary>
    public string? Status { get; init; }

    /// <summary>create, progress, event.</summary>
    public double? Progress { get; init; }

    /// <summary>create, update, event, complete, fail, cancel.</summary>
    public JsonElement? Metadata { get; init; }

    /// <summary>create, update.</summary>
    public JsonElement? Config { get; init; }

    /// <summary>create.</summary>
    public string? WorkspacePath { get; init; }

    /// <summary>create.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>create.</summary>
    public double? TtlSeconds { get; init; }

    /// <summary>event, progress.</summary>
    public string? Message { get; init; }

    /// <summary>fail.</summary>
    public string? Error { get; init; }

    /// <summary>cancel.</summary>
    public string? Reason { get; init; }
}

/// <summary>The values of <see cref="TaskBatchOperation.Op"/>.</summary>
public static class TaskBatchOps
{
    /// <summary>Creates a task.</summary>
    public const string Create = "create";

    /// <summary>Changes title, description, metadata or config.</summary>
    public const string Update = "update";

    /// <summary>Appends an event.</summary>
    public const string Event = "event";

    /// <summary>Sets progress.</summary>
    public const string Progress = "progress";

    /// <summary>Completes.</summary>
    public const string Complete = "complete";

    /// <summary>Fails.</summary>
    public const string Fail = "fail";

    /// <summary>Cancels.</summary>
    public const string Cancel = "cancel";
}

/// <summary>The batch answer: one entry per operation, in order.</summary>
public sealed record TaskBatchResult
{
    /// <summary>The results.</summary>
    public IReadOnlyList<TaskBatchItem> Data { get; init; } = [];
}

/// <summary>What one batch operation did.</summary>
public sealed record TaskBatchItem
{
    /// <summary>Its index in the request.</summary>
    public int Index { get; init; }

    /// <summary>Its <see cref="TaskBatchOperation.Op"/>.</summary>
    public string Op { get; init; } = "";

    /// <summary>The task after it.</summary>
    public SpectralTask Task { get; init; } = new();

    /// <summary>The event it appended.</summary>
    public TaskEvent Event { get; init; } = new();
}
