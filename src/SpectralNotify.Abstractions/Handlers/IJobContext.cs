using System.Text.Json;

namespace SpectralNotify.Handlers;

/// <summary>
/// What a handler knows about its run and how it reports. Progress, events and tool executions go
/// to the run's task (its id is the run id), so every watcher of the task or run sees them live.
/// </summary>
public interface IJobContext
{
    /// <summary>The run's id, which is also its task's id.</summary>
    string RunId { get; }

    /// <summary>The job that fired the run; null for a one-off run.</summary>
    string? JobId { get; }

    /// <summary>The run's type: the handler's registration name.</summary>
    string Type { get; }

    /// <summary>1 for the first attempt.</summary>
    int Attempt { get; }

    /// <summary>The run's payload (a JSON value; an empty object when none was given).</summary>
    JsonElement Payload { get; }

    /// <summary>Sets the task's progress (0–100) with an optional message.</summary>
    Task ProgressAsync(double progress, string? message = null, CancellationToken ct = default);

    /// <summary>
    /// Appends an event to the task's history. <paramref name="type"/> is one of <c>log</c>, <c>progress</c>,
    /// <c>error</c> or <c>success</c> (the server refuses any other with 400).
    /// </summary>
    Task EventAsync(string message, string type = "log", double? progress = null, CancellationToken ct = default);

    /// <summary>Starts a tool execution on the task; returns its id for <see cref="ToolCompleteAsync"/> / <see cref="ToolFailAsync"/>.</summary>
    Task<string> ToolStartAsync(string toolName, JsonElement? arguments = null, CancellationToken ct = default);

    /// <summary>Completes a tool execution with its result.</summary>
    Task ToolCompleteAsync(string executionId, JsonElement? result = null, CancellationToken ct = default);

    /// <summary>Fails a tool execution.</summary>
    Task ToolFailAsync(string executionId, string error, CancellationToken ct = default);
}
