using System.Text.Json;
using System.Text.Json.Serialization;
using SpectralNotify.Tasks;

namespace SpectralNotify.Server.Api.V1.Contracts;

/// <summary>A task as the v1 API shows it. Null fields are sent as explicit nulls.</summary>
public sealed record TaskDto(
    string Id, string? Title, string? Description, string? Type, string Status, double Progress,
    JsonElement Metadata, JsonElement Config, string? WorkspacePath, string? Error, string? CreatedBy,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? StartedAt, DateTimeOffset? CompletedAt,
    DateTimeOffset? FailedAt, DateTimeOffset? CanceledAt, DateTimeOffset? ExpiresAt, long LastSeq, long Version,
    string? WorkflowId, int? Sequence,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] TokenDto? Token = null)
{
    public static TaskDto From(TaskItem t) => new(
        t.Id, t.Title, t.Description, t.Type, t.Status.ToWire(), t.Progress, Json(t.Metadata), Json(t.Config),
        t.WorkspacePath, t.Error, t.CreatedBy, t.CreatedAt, t.UpdatedAt, t.StartedAt, t.CompletedAt, t.FailedAt,
        t.CanceledAt, t.ExpiresAt, t.LastSeq, t.Version, t.WorkflowId, t.Sequence);

    internal static JsonElement Json(string text)
    {
        using var doc = JsonDocument.Parse(text);
        return doc.RootElement.Clone();
    }
}

/// <summary>One event of a task's history.</summary>
public sealed record EventDto(
    string TaskId, long Seq, string Type, string Message,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? Progress,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] JsonElement? Metadata,
    DateTimeOffset Timestamp)
{
    public static EventDto From(TaskEvent e) => new(
        e.TaskId, e.Seq, e.Type, e.Message, e.Progress, e.Metadata is null ? null : TaskDto.Json(e.Metadata), e.Timestamp);
}

/// <summary>The list envelope: <c>{"data": [...], "next": cursor | null}</c>.</summary>
public sealed record Page<T>(IReadOnlyList<T> Data, string? Next);
