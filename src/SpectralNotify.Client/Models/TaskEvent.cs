using System.Text.Json;

namespace SpectralNotify.Client.Models;

/// <summary>One entry of a task's append-only history.</summary>
public sealed record TaskEvent
{
    /// <summary>The task.</summary>
    public string TaskId { get; init; } = "";

    /// <summary>Its number within the task: 1, 2, 3 …, without gaps.</summary>
    public long Seq { get; init; }

    /// <summary>One of <see cref="TaskEventTypes"/>.</summary>
    public string Type { get; init; } = TaskEventTypes.Log;

    /// <summary>What happened.</summary>
    public string Message { get; init; } = "";

    /// <summary>The progress this event set, if it set one.</summary>
    public double? Progress { get; init; }

    /// <summary>The event's own JSON fields, if any.</summary>
    public JsonElement? Metadata { get; init; }

    /// <summary>When it was written (server clock).</summary>
    public DateTimeOffset Timestamp { get; init; }
}

/// <summary>The values of <see cref="TaskEvent.Type"/> and <see cref="AddEventRequest.Type"/>.</summary>
public static class TaskEventTypes
{
    /// <summary>A log line.</summary>
    public const string Log = "log";

    /// <summary>A progress change.</summary>
    public const string Progress = "progress";

    /// <summary>An error (also written by fail and cancel).</summary>
    public const string Error = "error";

    /// <summary>Success (written by complete).</summary>
    public const string Success = "success";
}
