using SpectralNotify.Lists;
using SpectralNotify.Tasks;

namespace SpectralNotify.Storage;

/// <summary>
/// Filters for listing tasks. <see cref="Cursor"/> is the position of the last row of the previous page:
/// (createdAt, id), or (updatedAt, id) with <see cref="ByUpdated"/>.
/// </summary>
public sealed record TaskListParams
{
    /// <summary>Any of these statuses (null: any).</summary>
    public IReadOnlyList<TaskState>? Statuses { get; init; }
    public string? Type { get; init; }
    /// <summary>Case-insensitive substring of id, title or description.</summary>
    public string? Query { get; init; }
    /// <summary>Id prefix or title substring, as <see cref="ListFilter.Search"/>.</summary>
    public string? Search { get; init; }
    /// <summary>Top-level metadata pairs that must all be equal, as <see cref="ListFilter.Metadata"/>.</summary>
    public IReadOnlyList<MetadataCondition>? Metadata { get; init; }
    public DateTimeOffset? CreatedAfter { get; init; }
    public DateTimeOffset? CreatedBefore { get; init; }
    public int Limit { get; init; } = 50;
    /// <summary>Newest <c>updatedAt</c> first (the live list's order) instead of newest <c>createdAt</c> first.</summary>
    public bool ByUpdated { get; init; }
    public TaskCursor? Cursor { get; init; }
}

/// <summary>Keyset position in the newest-first order: <paramref name="CreatedAt"/> is the time the list is ordered by (createdAt, or updatedAt).</summary>
public sealed record TaskCursor(DateTimeOffset CreatedAt, string Id)
{
    /// <summary>The position of <paramref name="task"/> in the order <paramref name="p"/> asks for.</summary>
    public static TaskCursor Of(TaskItem task, TaskListParams p) => new(p.ByUpdated ? task.UpdatedAt : task.CreatedAt, task.Id);
}

public sealed record TaskPage(IReadOnlyList<TaskItem> Items, TaskCursor? Next);

/// <summary>Keyset paging shared by the engines: queries fetch one row more than the page to learn whether another page follows.</summary>
public static class KeysetPage
{
    /// <summary>Trims the extra row from <paramref name="rows"/> (fetched with limit + 1) and returns the cursor of the last row kept, or null on the last page.</summary>
    public static TaskCursor? Trim<T>(List<T> rows, int limit, Func<T, TaskCursor> position)
    {
        if (rows.Count <= limit)
        {
            return null;
        }
        rows.RemoveRange(limit, rows.Count - limit);
        return position(rows[^1]);
    }
}
