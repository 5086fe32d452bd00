using SpectralNotify.Tasks;

namespace SpectralNotify.Storage;

/// <summary>Filters for listing tasks. <see cref="Cursor"/> is the (createdAt, id) of the last row of the previous page.</summary>
public sealed record TaskListParams
{
    public TaskState? Status { get; init; }
    public string? Type { get; init; }
    /// <summary>Case-insensitive substring of id, title or description.</summary>
    public string? Query { get; init; }
    public DateTimeOffset? CreatedAfter { get; init; }
    public DateTimeOffset? CreatedBefore { get; init; }
    public int Limit { get; init; } = 50;
    public TaskCursor? Cursor { get; init; }
}

/// <summary>Keyset position in the newest-first order.</summary>
public sealed record TaskCursor(DateTimeOffset CreatedAt, string Id);

public sealed record TaskPage(IReadOnlyList<TaskItem> Items, TaskCursor? Next);
