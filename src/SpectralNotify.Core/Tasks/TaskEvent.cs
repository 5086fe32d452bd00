namespace SpectralNotify.Tasks;

/// <summary>One entry of a task's append-only history; <see cref="Seq"/> is 1, 2, 3 … per task.</summary>
public sealed record TaskEvent
{
    public required string TaskId { get; init; }
    public long Seq { get; init; }
    public required string Type { get; init; }
    public required string Kind { get; init; }
    public required string Message { get; init; }
    public double? Progress { get; init; }
    /// <summary>JSON object text, or null.</summary>
    public string? Metadata { get; init; }
    public DateTimeOffset Timestamp { get; init; }
}
