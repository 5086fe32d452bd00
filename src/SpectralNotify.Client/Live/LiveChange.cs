namespace SpectralNotify.Client.Live;

/// <summary>What one <see cref="LiveChange{TEntity, TEvent}"/> of an entity watch is.</summary>
public enum LiveChangeKind
{
    /// <summary>The entity as it is now (null while it does not exist); changes continue after its seq.</summary>
    Snapshot,

    /// <summary>One committed change: its event and the entity after it.</summary>
    Change,

    /// <summary>The entity became terminal (or was deleted); the watch ends unless it follows.</summary>
    End,

    /// <summary>
    /// The stream could not be resumed (the entity was deleted and created again, so its epoch
    /// changed, or its history is gone): drop what you held and start again from this snapshot.
    /// </summary>
    Reset,
}

/// <summary>One message of an entity watch (task, workflow, counter, run), delivered once, in seq order.</summary>
/// <typeparam name="TEntity">The entity's REST shape.</typeparam>
/// <typeparam name="TEvent">The event's REST shape (a task event, a workflow event, a counter history entry).</typeparam>
public sealed record LiveChange<TEntity, TEvent>
{
    /// <summary>Snapshot, change, end, or reset.</summary>
    public required LiveChangeKind Kind { get; init; }

    /// <summary>
    /// The stream position: a change's own seq, a snapshot's (changes continue after it), or for
    /// <see cref="LiveChangeKind.End"/> the seq of the change that ended the entity.
    /// </summary>
    public required long Seq { get; init; }

    /// <summary>The entity's incarnation (changes when it is deleted and created again); null while it does not exist.</summary>
    public string? Epoch { get; init; }

    /// <summary>The event of a <see cref="LiveChangeKind.Change"/>; null otherwise.</summary>
    public TEvent? Event { get; init; }

    /// <summary>
    /// The entity after the change, or of the snapshot (null when it does not exist); null for
    /// <see cref="LiveChangeKind.End"/>. Changes replayed after a reconnect carry the entity as it is
    /// now: history keeps events, not whole entities.
    /// </summary>
    public TEntity? Entity { get; init; }

    /// <summary>For <see cref="LiveChangeKind.End"/>: <c>success</c>, <c>failed</c>, <c>canceled</c> or <c>deleted</c>.</summary>
    public string? EndReason { get; init; }

    /// <summary>For a run's changes: its task after the change (progress, message), as JSON.</summary>
    public System.Text.Json.JsonElement? Task { get; init; }
}
