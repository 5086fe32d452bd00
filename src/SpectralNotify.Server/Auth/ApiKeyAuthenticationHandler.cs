using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using SpectralNotify.Keys;

namespace SpectralNotify.Server.Auth;

/// <summary>
/// Authenticates <c>X-API-Key: &lt;key&gt;</c> or <c>Authorization: Bearer &lt;key&gt;</c>. Browsers
/// cannot set headers on WebSocket and EventSource requests, so <c>?apiKey=</c> is also accepted
/// on GET requests. Configured keys (<see cref="ApiKeyRing"/>) are checked first, then the
/// database keys (<see cref="DatabaseKeyLookup"/>).
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ApiKeyRing ring,
    DatabaseKeyLookup databaseKeys)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var presented = Presented(Request);
        if (presented is null)
        {
            return AuthenticateResult.NoResult();
        }
        string id, name;
        IEnumerable<string> scopes;
        if (ring.TryFind(presented, out name, out var configured))
        {
            (id, scopes) = (ApiKeySecrets.ConfiguredId(ApiKeySecrets.Hash(presented)), configured);
        }
        else if (await databaseKeys.FindAsync(presented, Context.RequestAborted) is { } stored)
        {
            (id, name, scopes) = (stored.Id, stored.Name, stored.Scopes.SelectMany(Scopes.Implied).Distinct(StringComparer.Ordinal));
        }
        else
        {
            return AuthenticateResult.Fail("The API key is not valid.");
        }
        var claims = new List<Claim> { new(ClaimTypes.Name, name), new(Scopes.KeyIdClaimType, id) };
        claims.AddRange(scopes.Select(s => new Claim(Scopes.ClaimType, s)));
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    private static string? Presented(HttpRequest request)
    {
        if (request.Headers.TryGetValue("X-API-Key", out var key) && !string.IsNullOrEmpty(key))
        {
            return key.ToString();
        }
        var auth = request.Headers.Authorization.ToString();
        if (auth.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return auth["Bearer ".Length..].Trim();
        }
        if (HttpMethods.IsGet(request.Method) && request.Query.TryGetValue("apiKey", out var q) && !string.IsNullOrEmpty(q))
        {
            return q.ToString();
        }
        return null;
    }
}
