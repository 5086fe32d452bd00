using System.Text.Json;

namespace SpectralNotify.Client.Models;

/// <summary>A task as the v1 API shows it (<c>GET /api/v1/tasks/{id}</c>).</summary>
public sealed record SpectralTask
{
    /// <summary>The task's id (given at create, or a generated UUIDv7).</summary>
    public string Id { get; init; } = "";

    /// <summary>A short title.</summary>
    public string? Title { get; init; }

    /// <summary>A longer description.</summary>
    public string? Description { get; init; }

    /// <summary>A free type name, e.g. <c>encode</c>; runs carry their job type.</summary>
    public string? Type { get; init; }

    /// <summary>One of <see cref="TaskStatuses"/>.</summary>
    public string Status { get; init; } = TaskStatuses.Pending;

    /// <summary>0 to 100.</summary>
    public double Progress { get; init; }

    /// <summary>A JSON object of the caller's own fields.</summary>
    public JsonElement Metadata { get; init; }

    /// <summary>A JSON object of settings for whoever does the work.</summary>
    public JsonElement Config { get; init; }

    /// <summary>Where the work happens, if it has a place.</summary>
    public string? WorkspacePath { get; init; }

    /// <summary>The error text of a failed task.</summary>
    public string? Error { get; init; }

    /// <summary>The name of the API key that created the task.</summary>
    public string? CreatedBy { get; init; }

    /// <summary>When it was created.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>When it last changed.</summary>
    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>When it became in-progress.</summary>
    public DateTimeOffset? StartedAt { get; init; }

    /// <summary>When it succeeded.</summary>
    public DateTimeOffset? CompletedAt { get; init; }

    /// <summary>When it failed.</summary>
    public DateTimeOffset? FailedAt { get; init; }

    /// <summary>When it was canceled.</summary>
    public DateTimeOffset? CanceledAt { get; init; }

    /// <summary>When the server deletes it.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>The seq of its last event: resume a watch or a history read after it.</summary>
    public long LastSeq { get; init; }

    /// <summary>Its version: the ETag, for <see cref="RequestOptions.IfMatch"/>.</summary>
    public long Version { get; init; }

    /// <summary>The workflow the task belongs to, if any.</summary>
    public string? WorkflowId { get; init; }

    /// <summary>Its place in the workflow.</summary>
    public int? Sequence { get; init; }

    /// <summary>Only in a create answer that asked for one (<see cref="CreateTaskRequest.Token"/>): a read token for this task.</summary>
    public AccessToken? Token { get; init; }
}
