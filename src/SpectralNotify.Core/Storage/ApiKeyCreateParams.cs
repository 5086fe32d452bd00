namespace SpectralNotify.Storage;

/// <summary>A new database API key: the caller makes the id and hashes the secret (<see cref="Keys.ApiKeySecrets"/>).</summary>
public sealed record ApiKeyCreateParams
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public required string Hash { get; init; }
    public required IReadOnlyList<string> Scopes { get; init; }
    public DateTimeOffset? ExpiresAt { get; init; }
}
