using SpectralNotify.Keys;

namespace SpectralNotify.Server.Api.V1.Contracts;

/// <summary>
/// POST /api/v1/keys: <c>scopes</c> from read, write, admin; an optional end of validity, either
/// <c>expiresAt</c> (ISO-8601) or <c>ttlSeconds</c>, not both.
/// </summary>
public sealed record CreateKeyRequest(string? Name = null, List<string?>? Scopes = null, DateTimeOffset? ExpiresAt = null, long? TtlSeconds = null);

/// <summary>
/// A key as listed: never its secret or hash. <c>source</c> is <c>database</c> (managed through
/// this API) or <c>config</c> (read-only: from SPECTRAL_API_KEY, admin.key or Auth:Keys).
/// </summary>
public sealed record KeyDto(
    string Id, string Name, IReadOnlyList<string> Scopes, string Source,
    DateTimeOffset? CreatedAt, DateTimeOffset? ExpiresAt, DateTimeOffset? LastUsedAt, DateTimeOffset? RevokedAt)
{
    public const string FromDatabase = "database";
    public const string FromConfig = "config";

    public static KeyDto From(ApiKey k) => new(k.Id, k.Name, k.Scopes, FromDatabase, k.CreatedAt, k.ExpiresAt, k.LastUsedAt, k.RevokedAt);
}

/// <summary>The answer to POST /api/v1/keys: the key and, this once only, its secret.</summary>
public sealed record CreatedKeyDto(
    string Id, string Name, IReadOnlyList<string> Scopes, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt,
    DateTimeOffset? LastUsedAt, string Key)
{
    public static CreatedKeyDto From(ApiKey k, string secret) => new(k.Id, k.Name, k.Scopes, k.CreatedAt, k.ExpiresAt, k.LastUsedAt, secret);
}
