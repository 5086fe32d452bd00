namespace SpectralNotify.Jobs;

/// <summary>
/// A job definition: what to run (<see cref="Type"/> and <see cref="Payload"/>), where
/// (<see cref="Queue"/>), how (priority, retries, timeout) and when (<see cref="Schedule"/>). Its
/// executions are runs, each a task. <see cref="NextFireAt"/> is stored, so a restart neither loses
/// nor doubles a firing; <see cref="Version"/> guards updates (If-Match).
/// </summary>
public sealed record Job
{
    public const string Active = "active";
    public const string Paused = "paused";

    public required string Id { get; init; }
    public required string Type { get; init; }
    /// <summary>JSON text.</summary>
    public string Payload { get; init; } = "{}";
    public string Queue { get; init; } = "default";
    public int Priority { get; init; } = 50;
    public int MaxRetries { get; init; } = 3;
    public int? TimeoutSeconds { get; init; }
    public JobSchedule? Schedule { get; init; }
    public string Misfire { get; init; } = MisfirePolicy.FireOnce;
    public string? UniqueKey { get; init; }
    public string State { get; init; } = Active;
    public string? CreatedBy { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
    public DateTimeOffset? DeletedAt { get; init; }
    public long Version { get; init; } = 1;
    public DateTimeOffset? NextFireAt { get; init; }
}

/// <summary>Filters for listing jobs, newest first.</summary>
public sealed record JobListParams(string? Type, string? Queue, string? State, bool IncludeDeleted, int Limit, Storage.TaskCursor? Cursor);

public sealed record JobPage(IReadOnlyList<Job> Items, Storage.TaskCursor? Next);
