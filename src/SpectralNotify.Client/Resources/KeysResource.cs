using SpectralNotify.Client.Internal;
using SpectralNotify.Client.Models;

namespace SpectralNotify.Client.Resources;

/// <summary><c>/api/v1/keys</c>: API keys kept in the database (admin).</summary>
public sealed class KeysResource
{
    private readonly SpectralHttp http;

    internal KeysResource(SpectralHttp http) => this.http = http;

    /// <summary>
    /// Creates a key (201); its secret is in the answer only. Sent without an Idempotency-Key: the
    /// server refuses one here (a stored answer would keep the secret), and a retry with the same name
    /// answers 409, so a key is never made twice.
    /// </summary>
    [ApiRouteName("keys.create")]
    public Task<CreatedApiKey> CreateAsync(CreateApiKeyRequest request, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return http.CallAsync<CreatedApiKey>(ApiRoutes.KeysCreate, ApiRoutes.KeysCreate.Path(), request, ((RequestOptions?)null).WithoutAutomaticKey(), ct);
    }

    /// <summary>Configured keys (read-only), then database keys; never a secret.</summary>
    [ApiRouteName("keys.list")]
    public async Task<IReadOnlyList<ApiKeyInfo>> ListAsync(CancellationToken ct = default) =>
        (await http.CallAsync<Page<ApiKeyInfo>>(ApiRoutes.KeysList, ApiRoutes.KeysList.Path(), null, null, ct).ConfigureAwait(false)).Data;

    /// <summary>Revokes a database key (204, again for a revoked one); 409 for a configured key.</summary>
    [ApiRouteName("keys.revoke")]
    public Task RevokeAsync(string id, CancellationToken ct = default) =>
        http.CallAsync(ApiRoutes.KeysRevoke, ApiRoutes.KeysRevoke.Path(id), null, null, ct);
}
