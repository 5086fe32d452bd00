using SpectralNotify.Lists;
using SpectralNotify.Tasks;
using SpectralNotify.Workflows;

namespace SpectralNotify.Storage;

/// <summary>
/// Reads for live filtered lists (protocol v2): a list's snapshot, the rows changed since a cursor and
/// the deletions since then. Every list query orders newest <c>updatedAt</c> first, then id descending
/// (<see cref="ListRow.NewestFirst"/>), and applies <see cref="ListFilter"/> in SQL exactly as
/// <see cref="ListFilter.Matches(ListRow)"/> does in memory. A filter that does not apply to the kind
/// (<see cref="ListFilter.AppliesTo"/>) matches no row. Part of <see cref="IStore"/>.
/// </summary>
public interface IListStore
{
    /// <summary>Tombstones of <paramref name="kind"/> (<see cref="Deletion.Task"/> or <see cref="Deletion.Workflow"/>) with <c>deletedAt</c> ≥ <paramref name="since"/>, newest first.</summary>
    Task<IReadOnlyList<Deletion>> DeletionsSinceAsync(string kind, DateTimeOffset since, int limit, CancellationToken ct);

    /// <summary>Deletes up to <paramref name="limit"/> tombstones older than <paramref name="before"/> (the expiry sweep, past <c>LiveListHistory</c>); returns how many.</summary>
    Task<int> DeletionsPruneAsync(DateTimeOffset before, int limit, CancellationToken ct);

    /// <summary>Every run (no filter) whose task has <c>updatedAt</c> ≥ <paramref name="since"/>, newest first: a resume matches them in memory.</summary>
    Task<IReadOnlyList<RunRow>> RunChangedSinceAsync(DateTimeOffset since, int limit, CancellationToken ct);

    /// <summary>Up to <paramref name="limit"/> runs matching <paramref name="filter"/>, with their tasks, newest task <c>updatedAt</c> first.</summary>
    Task<IReadOnlyList<RunRow>> RunListLiveAsync(ListFilter filter, int limit, CancellationToken ct);

    /// <summary>Every task (runs' tasks too) with <c>updatedAt</c> ≥ <paramref name="since"/>, newest first.</summary>
    Task<IReadOnlyList<TaskItem>> TaskChangedSinceAsync(DateTimeOffset since, int limit, CancellationToken ct);

    /// <summary>Up to <paramref name="limit"/> tasks matching <paramref name="filter"/>, newest <c>updatedAt</c> first.</summary>
    Task<IReadOnlyList<TaskItem>> TaskListLiveAsync(ListFilter filter, int limit, CancellationToken ct);

    /// <summary>Every workflow (without phases) with <c>updatedAt</c> ≥ <paramref name="since"/>, newest first.</summary>
    Task<IReadOnlyList<Workflow>> WorkflowChangedSinceAsync(DateTimeOffset since, int limit, CancellationToken ct);

    /// <summary>Up to <paramref name="limit"/> workflows (without phases) matching <paramref name="filter"/>, newest <c>updatedAt</c> first.</summary>
    Task<IReadOnlyList<Workflow>> WorkflowListLiveAsync(ListFilter filter, int limit, CancellationToken ct);
}
