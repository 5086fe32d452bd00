using SpectralNotify.Client.Internal;
using SpectralNotify.Client.Models;

namespace SpectralNotify.Client.Resources;

/// <summary><c>/api/v1/tokens</c>: short-lived tokens for browsers and apps, and signing-key rotation.</summary>
public sealed class TokensResource
{
    private readonly SpectralHttp http;

    internal TokensResource(SpectralHttp http) => this.http = http;

    /// <summary>
    /// Mints a token with the given scopes (each within the calling key's rights) for
    /// <paramref name="ttl"/> (1 s to 24 h; 15 min when null). Sent without an Idempotency-Key, which
    /// the server refuses here; minting twice on a retry is harmless.
    /// </summary>
    [ApiRouteName("tokens.mint")]
    public Task<AccessToken> MintAsync(IEnumerable<string> scopes, TimeSpan? ttl = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(scopes);
        var request = new MintTokenRequest { Scopes = [.. scopes], TtlSeconds = ttl is { } t ? Math.Ceiling(t.TotalSeconds) : null };
        return http.CallAsync<AccessToken>(ApiRoutes.TokensMint, ApiRoutes.TokensMint.Path(), request, ((RequestOptions?)null).WithoutAutomaticKey(), ct);
    }

    /// <summary>Starts signing with a new key (admin); tokens signed before stay valid.</summary>
    [ApiRouteName("tokens.rotate")]
    public Task<SigningKey> RotateAsync(CancellationToken ct = default) =>
        http.CallAsync<SigningKey>(ApiRoutes.TokensRotate, ApiRoutes.TokensRotate.Path(), null, null, ct);
}
