using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using SpectralNotify.Server.Realtime;

namespace SpectralNotify.Server.Auth;

/// <summary>
/// Authenticates <c>X-API-Key: &lt;key&gt;</c> or <c>Authorization: Bearer &lt;key&gt;</c>. Browsers
/// cannot set headers on WebSocket and EventSource requests, so live endpoints also accept
/// <c>?apiKey=</c>; a key in a URL ends up in proxy logs and browser history, so there it only reads.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ApiKeyRing ring)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string QueryParameter = "apiKey";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var (presented, inUrl) = Presented(Request);
        if (presented is null)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }
        if (string.IsNullOrWhiteSpace(presented) || !ring.TryFind(presented.Trim(), out var key))
        {
            return Task.FromResult(AuthenticateResult.Fail("The API key is not valid."));
        }
        var scopes = inUrl ? key.Scopes.Where(s => s == Scopes.Read) : key.Scopes;
        var claims = new List<Claim> { new(ClaimTypes.Name, key.Name), new(CallerClaims.KeyIdClaimType, key.Id) };
        claims.AddRange(scopes.Select(s => new Claim(Scopes.ClaimType, s)));
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName));
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName)));
    }

    private static (string? Key, bool InUrl) Presented(HttpRequest request)
    {
        if (request.Headers.TryGetValue("X-API-Key", out var key))
        {
            return (key.ToString(), false);
        }
        var auth = request.Headers.Authorization.ToString();
        if (auth.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return (auth["Bearer ".Length..], false);
        }
        if (HttpMethods.IsGet(request.Method) && LiveEndpoint.Is(request.HttpContext) && request.Query.TryGetValue(QueryParameter, out var q))
        {
            return (q.ToString(), true);
        }
        return (null, false);
    }
}
