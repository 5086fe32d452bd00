using System.Security.Claims;
using SpectralNotify.Access;

namespace SpectralNotify.Server.Auth;

/// <summary>
/// How a <see cref="Caller"/> travels in a <see cref="ClaimsPrincipal"/>: the key's scopes as
/// <see cref="Scopes.ClaimType"/> claims, a token's scopes as <see cref="GrantClaimType"/> claims,
/// and the key's id.
/// </summary>
public static class CallerClaims
{
    public const string KeyIdClaimType = "key_id";
    public const string GrantClaimType = "grant";

    public static Caller ToCaller(this ClaimsPrincipal user)
    {
        if (user.Identity?.IsAuthenticated != true)
        {
            return Caller.Anonymous;
        }
        Level? level = null;
        var grants = new List<Grant>();
        foreach (var claim in user.Claims)
        {
            if (claim.Type == Scopes.ClaimType && Scopes.ToLevel(claim.Value) is { } l && (level is null || l > level))
            {
                level = l;
            }
            else if (claim.Type == GrantClaimType && Grant.TryParse(claim.Value, out var grant, out _))
            {
                grants.Add(grant);
            }
        }
        return new Caller(true, user.FindFirst(KeyIdClaimType)?.Value, level, grants);
    }

    /// <summary>The id idempotency and replay caches are scoped by: the key's id, never its display name.</summary>
    public static string CacheScope(this ClaimsPrincipal user) =>
        user.Identity?.IsAuthenticated == true ? user.FindFirst(KeyIdClaimType)?.Value ?? "unknown" : "anonymous";
}
