namespace SpectralNotify.Tools;

/// <summary>
/// One call of a tool made while working on a task (an agent's function call, a script run).
/// <see cref="Arguments"/> and <see cref="Output"/> hold JSON text. <see cref="DurationMs"/> is
/// computed by the server from its own clock when the execution finishes.
/// </summary>
public sealed record ToolExecution
{
    public required string Id { get; init; }
    public required string TaskId { get; init; }
    public required string ToolName { get; init; }
    public string Arguments { get; init; } = "{}";
    public string Status { get; init; } = ToolStatus.Running;
    public string? Output { get; init; }
    public string? Error { get; init; }
    public DateTimeOffset StartedAt { get; init; }
    public DateTimeOffset? CompletedAt { get; init; }
    public long? DurationMs { get; init; }
    public string? CreatedBy { get; init; }
}

/// <summary>Tool execution states: running, then exactly one of success, failed, timeout.</summary>
public static class ToolStatus
{
    public const string Running = "running";
    public const string Success = "success";
    public const string Failed = "failed";
    public const string Timeout = "timeout";
}

/// <summary>How a running execution ended.</summary>
public sealed record ToolFinish(string Status, string? Output, string? Error);

/// <summary>The execution is not running any more (409).</summary>
public sealed class ToolNotRunningException(string id, string status)
    : Tasks.SpectralException($"Tool execution '{id}' is {status}; only a running execution can finish.")
{
    public string ExecutionId { get; } = id;
    public string Status { get; } = status;
}

/// <summary>No such execution on this task (404).</summary>
public sealed class ToolNotFoundException(string taskId, string id)
    : Tasks.SpectralException($"Task '{taskId}' has no tool execution '{id}'.")
{
    public string ExecutionId { get; } = id;
}
