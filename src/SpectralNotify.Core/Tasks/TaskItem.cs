namespace SpectralNotify.Tasks;

/// <summary>
/// A task row. <see cref="Metadata"/> and <see cref="Config"/> hold JSON object text exactly as
/// stored, so they round-trip byte for byte. Timestamps are UTC with millisecond precision.
/// </summary>
public sealed record TaskItem
{
    public required string Id { get; init; }
    public string? Title { get; init; }
    public string? Description { get; init; }
    public string? Type { get; init; }
    public TaskState Status { get; init; }
    public double Progress { get; init; }
    public string Metadata { get; init; } = "{}";
    public string Config { get; init; } = "{}";
    public string? WorkspacePath { get; init; }
    public string? Error { get; init; }
    public string? CreatedBy { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset? CompletedAt { get; init; }
    public DateTimeOffset? FailedAt { get; init; }
    public DateTimeOffset? CanceledAt { get; init; }
    public DateTimeOffset? ExpiresAt { get; init; }
    public long LastSeq { get; init; }
    public long Version { get; init; }
    /// <summary>The workflow this task belongs to, if any, and its place in it.</summary>
    public string? WorkflowId { get; init; }
    public int? Sequence { get; init; }
}
