namespace SpectralNotify.Client.Live;

/// <summary>What one <see cref="LiveListChange{TRow}"/> of a list watch is.</summary>
public enum LiveListChangeKind
{
    /// <summary>The list's current rows (newest <c>updatedAt</c> first): replace everything held.</summary>
    Snapshot,

    /// <summary>A row entered the list or changed.</summary>
    Upsert,

    /// <summary>A row left the list (<see cref="LiveListChange{TRow}.RemoveReason"/>).</summary>
    Remove,

    /// <summary>The list cannot be resumed from its cursor: drop every row; a fresh snapshot follows.</summary>
    MustRefetch,

    /// <summary>A resumed list has received every change it missed while disconnected.</summary>
    UpToDate,
}

/// <summary>One message of a live filtered list (<c>tasks</c>, <c>runs</c>, <c>workflows</c>, or the runs of one job).</summary>
/// <typeparam name="TRow">The row's REST shape.</typeparam>
public sealed record LiveListChange<TRow>
{
    /// <summary>Snapshot, upsert, remove, must-refetch, or up-to-date.</summary>
    public required LiveListChangeKind Kind { get; init; }

    /// <summary>The snapshot's rows, newest <c>updatedAt</c> first; empty for other kinds.</summary>
    public IReadOnlyList<TRow> Rows { get; init; } = [];

    /// <summary>The upserted row.</summary>
    public TRow? Row { get; init; }

    /// <summary>The id of the removed row.</summary>
    public string? RowId { get; init; }

    /// <summary>Why a row was removed: <c>left-filter</c>, <c>deleted</c> or <c>limit</c>.</summary>
    public string? RemoveReason { get; init; }

    /// <summary>Why the list must be fetched again (for <see cref="LiveListChangeKind.MustRefetch"/>).</summary>
    public string? RefetchReason { get; init; }

    /// <summary>The list's position after this message; pass it as <see cref="LiveListOptions.Cursor"/> to resume later.</summary>
    public string? Cursor { get; init; }
}
