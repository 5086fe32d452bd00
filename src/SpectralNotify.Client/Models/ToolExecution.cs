using System.Text.Json;

namespace SpectralNotify.Client.Models;

/// <summary>A tool execution of a task (<c>/api/v1/tasks/{id}/tools</c>).</summary>
public sealed record ToolExecution
{
    /// <summary>The execution's id.</summary>
    public string Id { get; init; } = "";

    /// <summary>The task.</summary>
    public string TaskId { get; init; } = "";

    /// <summary>The tool's name.</summary>
    public string ToolName { get; init; } = "";

    /// <summary>The arguments (any JSON; <c>{}</c> when none were given).</summary>
    public JsonElement Arguments { get; init; }

    /// <summary><c>running</c>, <c>success</c>, <c>failed</c> or <c>timeout</c>.</summary>
    public string Status { get; init; } = "running";

    /// <summary>The output of a completed execution.</summary>
    public JsonElement? Output { get; init; }

    /// <summary>The error of a failed or timed-out execution.</summary>
    public string? Error { get; init; }

    /// <summary>When it started (server clock).</summary>
    public DateTimeOffset StartedAt { get; init; }

    /// <summary>When it finished.</summary>
    public DateTimeOffset? CompletedAt { get; init; }

    /// <summary>How long it ran, by the server's clock.</summary>
    public long? DurationMs { get; init; }

    /// <summary>The name of the key that started it.</summary>
    public string? CreatedBy { get; init; }
}

/// <summary><c>POST /api/v1/tasks/{id}/tools</c>.</summary>
public sealed record StartToolRequest
{
    /// <summary>Required, up to 200 characters.</summary>
    public string? ToolName { get; init; }

    /// <summary>Any JSON; <c>{}</c> when null.</summary>
    public JsonElement? Arguments { get; init; }
}
