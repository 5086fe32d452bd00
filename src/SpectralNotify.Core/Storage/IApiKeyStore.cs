using SpectralNotify.Keys;

namespace SpectralNotify.Storage;

/// <summary>API keys kept in the database (configured keys never reach it). Part of <see cref="IStore"/>.</summary>
public interface IApiKeyStore
{
    /// <summary>Stores a new key, created now (the store's clock).</summary>
    /// <exception cref="ApiKeyNameTakenException">A database key already has this name (revoked ones included).</exception>
    Task<ApiKey> ApiKeyCreateAsync(ApiKeyCreateParams p, CancellationToken ct);

    /// <summary>
    /// The key whose secret hashes to <paramref name="hash"/>, only if it can authenticate at
    /// <paramref name="now"/>: a revoked or expired key is not returned. One primary-key-sized read,
    /// made on every request that presents a key no configured key matches.
    /// </summary>
    Task<ApiKey?> ApiKeyFindUsableAsync(string hash, DateTimeOffset now, CancellationToken ct);

    Task<ApiKey?> ApiKeyGetAsync(string id, CancellationToken ct);

    /// <summary>All database keys, revoked and expired included, oldest first.</summary>
    Task<IReadOnlyList<ApiKey>> ApiKeyListAsync(CancellationToken ct);

    /// <summary>Revokes the key now; revoking a revoked key keeps its first revocation time. Returns the key.</summary>
    /// <exception cref="ApiKeyNotFoundException"/>
    Task<ApiKey> ApiKeyRevokeAsync(string id, CancellationToken ct);

    /// <summary>
    /// Records a use at <paramref name="usedAt"/> unless one at or after <paramref name="usedAt"/>
    /// minus <paramref name="resolution"/> is already recorded, so nodes that all see traffic write
    /// the row at most once per <paramref name="resolution"/>. Unknown ids are ignored.
    /// </summary>
    Task ApiKeyTouchAsync(string id, DateTimeOffset usedAt, TimeSpan resolution, CancellationToken ct);
}
