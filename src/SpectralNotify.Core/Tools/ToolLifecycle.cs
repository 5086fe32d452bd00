using System.Globalization;
using System.Text.Json;
using SpectralNotify.Tasks;

namespace SpectralNotify.Tools;

/// <summary>The rules of tool executions and the task events they append.</summary>
public static class ToolLifecycle
{
    /// <summary>Finishes <paramref name="running"/> at <paramref name="now"/>; throws when it is not running.</summary>
    public static ToolExecution Finish(ToolExecution running, ToolFinish finish, DateTimeOffset now)
    {
        if (running.Status != ToolStatus.Running)
        {
            throw new ToolNotRunningException(running.Id, running.Status);
        }
        now = Clock.Truncate(now);
        return running with
        {
            Status = finish.Status,
            Output = finish.Output,
            Error = finish.Error,
            CompletedAt = now,
            DurationMs = Math.Max(0, (long)(now - running.StartedAt).TotalMilliseconds),
        };
    }

    /// <summary>The task mutation that records a start or a finish in the task's history.</summary>
    public static TaskMutation EventFor(ToolExecution e)
    {
        var ms = e.DurationMs?.ToString(CultureInfo.InvariantCulture);
        var (type, message) = e.Status switch
        {
            ToolStatus.Running => (TaskEventType.Log, $"Tool {e.ToolName} started"),
            ToolStatus.Success => (TaskEventType.Log, $"Tool {e.ToolName} completed in {ms} ms"),
            ToolStatus.Failed => (TaskEventType.Error, $"Tool {e.ToolName} failed after {ms} ms: {e.Error}"),
            _ => (TaskEventType.Error, $"Tool {e.ToolName} timed out after {ms} ms"),
        };
        var metadata = JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["toolExecutionId"] = e.Id,
            ["toolName"] = e.ToolName,
            ["status"] = e.Status,
            ["durationMs"] = e.DurationMs,
        });
        return new ToolEventMutation(type, message, metadata);
    }
}
