namespace SpectralNotify.Keys;

/// <summary>
/// An API key kept in the database (the other kind comes from configuration). The secret itself is
/// never stored: <see cref="Hash"/> is its SHA-256 (<see cref="ApiKeySecrets.Hash"/>), which is
/// what a presented key is looked up by.
/// </summary>
public sealed record ApiKey
{
    /// <summary><c>key_</c> and 24 random hex digits (<see cref="ApiKeySecrets.NewId"/>).</summary>
    public required string Id { get; init; }

    /// <summary>Unique among database keys; the API also keeps it apart from configured key names.</summary>
    public required string Name { get; init; }

    /// <summary>Lower-case hex SHA-256 of the secret; unique.</summary>
    public required string Hash { get; init; }

    /// <summary>The scopes as granted (read, write, admin); admin implies write implies read.</summary>
    public required IReadOnlyList<string> Scopes { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>The key stops authenticating at this instant; never when null.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>When the key last authenticated, to within a minute (writes are throttled); null if never.</summary>
    public DateTimeOffset? LastUsedAt { get; init; }

    /// <summary>When the key was revoked; a revoked key never authenticates again.</summary>
    public DateTimeOffset? RevokedAt { get; init; }

    /// <summary>Whether the key may authenticate at <paramref name="now"/>: not revoked and not expired.</summary>
    public bool IsUsableAt(DateTimeOffset now) => RevokedAt is null && (ExpiresAt is null || ExpiresAt > now);

    // Records compare lists by reference; keys are equal when their scopes are.
    public bool Equals(ApiKey? other) => other is not null && Id == other.Id && Name == other.Name && Hash == other.Hash
        && Scopes.SequenceEqual(other.Scopes) && CreatedAt == other.CreatedAt && ExpiresAt == other.ExpiresAt
        && LastUsedAt == other.LastUsedAt && RevokedAt == other.RevokedAt;

    public override int GetHashCode() => HashCode.Combine(Id, Hash);
}
