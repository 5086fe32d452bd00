namespace SpectralNotify.Client.Live;

/// <summary>How an entity watch starts and ends.</summary>
public sealed record LiveWatchOptions
{
    /// <summary>Replay every change after this seq first (0: the whole history); null starts now.</summary>
    public long? After { get; init; }

    /// <summary>
    /// The epoch <see cref="After"/> belongs to (from an earlier <see cref="LiveChange{TEntity, TEvent}.Epoch"/>):
    /// when the entity was re-created since, the watch starts with a <see cref="LiveChangeKind.Reset"/>
    /// instead of silently skipping. Without it the server trusts <see cref="After"/>.
    /// </summary>
    public string? Epoch { get; init; }

    /// <summary>
    /// Send the entity first (<see cref="LiveChangeKind.Snapshot"/>). Null (the default) means yes when
    /// <see cref="After"/> is null, no when resuming.
    /// </summary>
    public bool? Snapshot { get; init; }

    /// <summary>Keep watching after the entity ends: a re-created entity's changes come with its new epoch from seq 1.</summary>
    public bool Follow { get; init; }
}
