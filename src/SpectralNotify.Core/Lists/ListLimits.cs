namespace SpectralNotify.Lists;

/// <summary>The bounds of live filtered lists (the <c>## Limits</c> section of docs/operations.md lists them).</summary>
public static class ListLimits
{
    /// <summary>Rows a list holds when the subscriber names no <c>limit</c>.</summary>
    public const int DefaultLimit = 50;

    /// <summary>The largest <c>limit</c>: every row is re-sent on a snapshot, so a list stays a screenful, not an export.</summary>
    public const int MaxLimit = 200;

    /// <summary>
    /// Rows (changes plus deletions) a resume from a cursor replays at most; past that, replaying costs
    /// more than a fresh snapshot of at most <see cref="MaxLimit"/> rows, so the server sends <c>must-refetch</c>.
    /// Ask the store for one more than this to learn that the cap was passed.
    /// </summary>
    public const int MaxResumeChanges = 1000;

    /// <summary>Statuses, states or metadata pairs one filter may name.</summary>
    public const int MaxFilterValues = 20;

    /// <summary>Characters of any one string in a filter (a type, queue, id, metadata key or value).</summary>
    public const int MaxFilterText = 200;
}
