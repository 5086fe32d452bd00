using SpectralNotify.Keys;
using SpectralNotify.Storage;

namespace SpectralNotify.Server.Auth;

/// <summary>
/// Finds a presented key among the database keys, after the configured keys missed. Nothing is
/// cached: every request reads the key's row (one indexed lookup by hash), so a key revoked through
/// any node, or by <c>spectral keys revoke</c>, fails on the next request on every node.
/// </summary>
public sealed class DatabaseKeyLookup(IStore store, TimeProvider time, ApiKeyUsage usage)
{
    /// <summary>The usable (not revoked, not expired) key with this secret, or null.</summary>
    public async Task<ApiKey?> FindAsync(string presented, CancellationToken ct)
    {
        // Generated secrets are longer still; shorter input (empty, whitespace) never needs a query.
        if (string.IsNullOrWhiteSpace(presented) || presented.Length < ApiKeyOptions.MinKeyLength)
        {
            return null;
        }
        var key = await store.ApiKeyFindUsableAsync(ApiKeySecrets.Hash(presented), time.GetUtcNow(), ct);
        if (key is not null)
        {
            usage.Record(key.Id);
        }
        return key;
    }
}
