using System.Security.Claims;
using SpectralNotify.Keys;

namespace SpectralNotify.Server.Auth;

/// <summary>An accepted API key as the server knows it: its id, display name and granted scopes (never the secret).</summary>
public sealed record KeyIdentity(string Id, string Name, string[] Scopes)
{
    /// <summary>A database key with the scopes its own imply (admin ⊇ write ⊇ read).</summary>
    public static KeyIdentity Of(ApiKey stored) =>
        new(stored.Id, stored.Name, [.. stored.Scopes.SelectMany(Auth.Scopes.Implied).Distinct(StringComparer.Ordinal)]);

    /// <summary>A presented secret: a configured key first, then a usable database key; null when neither.</summary>
    public static async Task<KeyIdentity?> FindAsync(ApiKeyRing ring, DatabaseKeyLookup databaseKeys, string presented, CancellationToken ct) =>
        ring.TryFind(presented, out var configured) ? configured
            : await databaseKeys.FindAsync(presented, ct) is { } stored ? Of(stored) : null;

    /// <summary>The request claims of this key, limited to <paramref name="scopes"/> (a key in a URL only reads).</summary>
    public List<Claim> Claims(IEnumerable<string> scopes)
    {
        var claims = new List<Claim> { new(ClaimTypes.Name, Name), new(CallerClaims.KeyIdClaimType, Id) };
        claims.AddRange(scopes.Select(s => new Claim(Auth.Scopes.ClaimType, s)));
        return claims;
    }
}
