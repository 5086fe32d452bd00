namespace SpectralNotify.Postgres;

/// <summary>
/// A multi-row task insert met an id that is already taken: PostgreSQL names the constraint but,
/// with error details redacted, not the row. The store finds which id and answers with
/// <see cref="Tasks.TaskAlreadyExistsException"/> (<see cref="PostgresStore"/>.TakenIdAsync).
/// </summary>
internal sealed class TakenIdsException(IReadOnlyList<string> ids)
    : Exception($"One of {ids.Count} new task ids is already taken.")
{
    public IReadOnlyList<string> Ids { get; } = ids;
}
