namespace SpectralNotify.Tasks;

/// <summary>Input for creating a task; validated before it reaches the store.</summary>
public sealed record NewTask
{
    public required string Id { get; init; }
    public string? Title { get; init; }
    public string? Description { get; init; }
    public string? Type { get; init; }
    public TaskState Status { get; init; } = TaskState.Pending;
    public double Progress { get; init; }
    public string Metadata { get; init; } = "{}";
    public string Config { get; init; } = "{}";
    public string? WorkspacePath { get; init; }
    public string? CreatedBy { get; init; }
    public DateTimeOffset? ExpiresAt { get; init; }
    public string? WorkflowId { get; init; }
    public int? Sequence { get; init; }
}
