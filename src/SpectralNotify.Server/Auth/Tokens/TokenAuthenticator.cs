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
        if (check.Session)
        {
            return (null, "A dashboard session is accepted only as its cookie.");
        }
        if (await FindKeyAsync(check.KeyId!, ct) is not { } key)
        {
            return (null, "The key that minted this token is revoked or expired.");
        }
        return (new ClaimsPrincipal(new ClaimsIdentity(TokenIssuer.ClaimsOf(check, key.Name), ApiKeyAuthenticationHandler.SchemeName)), null);
    }

    /// <summary>
    /// A dashboard session cookie: the key it names, with that key's scopes as they are now (a revoked
    /// key ends its sessions at the next request), or the reason it is refused.
    /// </summary>
    public async Task<(KeyIdentity? Key, DateTimeOffset ExpiresAt, string? Refusal)> AuthenticateSessionAsync(string token, CancellationToken ct)
    {
        var check = await issuer.CheckAsync(token, ct);
        if (check.Refusal is { } why)
        {
            return (null, default, why);
        }
        if (!check.Session)
        {
            return (null, default, "The session cookie does not hold a session.");
        }
        return await FindKeyAsync(check.KeyId!, ct) is { } key
            ? (key, check.ExpiresAt, null)
            : (null, default, "The key of this session is revoked or expired.");
    }

    /// <summary>A usable key by id: configured, or in the database and neither revoked nor expired.</summary>
    public async Task<KeyIdentity?> FindKeyAsync(string keyId, CancellationToken ct)
    {
        if (ring.FindById(keyId) is { } configured)
        {
            return configured;
        }
        return await store.ApiKeyGetAsync(keyId, ct) is { } stored && stored.IsUsableAt(time.GetUtcNow())
            ? KeyIdentity.Of(stored)
            : null;
    }
}
