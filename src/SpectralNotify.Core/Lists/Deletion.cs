namespace SpectralNotify.Lists;

/// <summary>
/// A tombstone: an entity deleted at <see cref="DeletedAt"/>, kept for <c>Spectral:LiveListHistory</c>
/// so a list resumed from a cursor can send <c>remove</c> for rows that vanished while it was away.
/// Written in the same transaction as the delete.
/// </summary>
public sealed record Deletion(string Kind, string Id, DateTimeOffset DeletedAt)
{
    /// <summary>A task was deleted (by DELETE or TTL expiry). A run is a task, so a deleted run is one of these too.</summary>
    public const string Task = "task";

    /// <summary>A workflow was deleted.</summary>
    public const string Workflow = "workflow";
}
