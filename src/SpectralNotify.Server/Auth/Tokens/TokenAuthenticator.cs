using System.Security.Claims;
using SpectralNotify.Storage;

namespace SpectralNotify.Server.Auth.Tokens;

/// <summary>
/// Turns a presented token into a principal: its signature and expiry (<see cref="TokenIssuer"/>),
/// and the key that minted it, which must still be usable: revoking a key ends its tokens too.
/// Used by the request handler and by live connections that receive a fresh token in a message.
/// </summary>
public sealed class TokenAuthenticator(TokenIssuer issuer, ApiKeyRing ring, IStore store, TimeProvider time)
{
    /// <summary>The principal, or the reason the token is refused (safe to show the client).</summary>
    public async Task<(ClaimsPrincipal? Principal, string? Refusal)> AuthenticateAsync(string token, CancellationToken ct)
    {
        var check = await issuer.CheckAsync(token, ct);
        if (check.Refusal is { } why)
        {
            return (null, why);
        }
        if (await MintingKeyNameAsync(check.KeyId!, ct) is not { } name)
        {
            return (null, "The key that minted this token is revoked or expired.");
        }
        return (new ClaimsPrincipal(new ClaimsIdentity(TokenIssuer.ClaimsOf(check, name), ApiKeyAuthenticationHandler.SchemeName)), null);
    }

    private async Task<string?> MintingKeyNameAsync(string keyId, CancellationToken ct)
    {
        if (ring.FindById(keyId) is { } configured)
        {
            return configured.Name;
        }
        return await store.ApiKeyGetAsync(keyId, ct) is { } stored && stored.IsUsableAt(time.GetUtcNow()) ? stored.Name : null;
    }
}
