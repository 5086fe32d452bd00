using System.Text.Json;
using SpectralNotify.Tools;

namespace SpectralNotify.Server.Api.V1.Contracts;

/// <summary>A tool execution as the API shows it.</summary>
public sealed record ToolExecutionDto(
    string Id, string TaskId, string ToolName, JsonElement Arguments, string Status, JsonElement? Output, string? Error,
    DateTimeOffset StartedAt, DateTimeOffset? CompletedAt, long? DurationMs, string? CreatedBy)
{
    public static ToolExecutionDto From(ToolExecution e) => new(
        e.Id, e.TaskId, e.ToolName, TaskDto.Json(e.Arguments), e.Status, e.Output is null ? null : TaskDto.Json(e.Output),
        e.Error, e.StartedAt, e.CompletedAt, e.DurationMs, e.CreatedBy);
}

/// <summary>POST /api/v1/tasks/{id}/tools: <c>arguments</c> is any JSON (default <c>{}</c>).</summary>
public sealed record StartToolRequest(string? ToolName = null, JsonElement? Arguments = null);

/// <summary>POST …/tools/{execId}/complete: <c>output</c> is any JSON.</summary>
public sealed record CompleteToolRequest(JsonElement? Output = null);

/// <summary>POST …/tools/{execId}/fail.</summary>
public sealed record FailToolRequest(string? Error = null);
