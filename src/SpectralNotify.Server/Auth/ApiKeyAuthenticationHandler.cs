using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using SpectralNotify.Server.Auth.Tokens;
using SpectralNotify.Server.Realtime;

namespace SpectralNotify.Server.Auth;

/// <summary>
/// Authenticates an API key (<c>X-API-Key</c> or <c>Authorization: Bearer</c>; configured keys in
/// <see cref="ApiKeyRing"/> first, then database keys through <see cref="DatabaseKeyLookup"/>) or a
/// short-lived token (<c>Authorization: Bearer</c>, see <see cref="TokenIssuer"/>). Browsers cannot
/// set headers on WebSocket and EventSource requests, so live endpoints also accept
/// <c>?apiKey=</c> and <c>?access_token=</c>; a key in a URL ends up in proxy logs and browser
/// history, so there it only reads. Last, the dashboard's session cookie
/// (<see cref="Dashboard.DashboardSession"/>), when the browser says the request is same-origin.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ApiKeyRing ring,
    DatabaseKeyLookup databaseKeys, TokenAuthenticator tokens)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string QueryParameter = "apiKey";
    public const string TokenQueryParameter = "access_token";

    /// <summary><see cref="HttpContext.Items"/> key of the reason credentials were refused, for the 401's problem details.</summary>
    public const string RefusalItem = "spectral.auth.refusal";

    private enum Source
    {
        Header,
        KeyInUrl,
        TokenInUrl,
        SessionCookie,
    }

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var (presented, source) = Presented(Request);
        if (presented is null)
        {
            return AuthenticateResult.NoResult();
        }
        if (string.IsNullOrWhiteSpace(presented))
        {
            return AuthenticateResult.Fail("The API key or token is empty.");
        }
        presented = presented.Trim();
        if (source == Source.SessionCookie)
        {
            return await SessionAsync(presented);
        }
        if (source == Source.TokenInUrl || TokenIssuer.LooksLikeToken(presented))
        {
            return await TokenAsync(presented);
        }
        if (await KeyIdentity.FindAsync(ring, databaseKeys, presented, Context.RequestAborted) is not { } key)
        {
            return AuthenticateResult.Fail("The API key is not valid.");
        }
        var claims = key.Claims(source == Source.KeyInUrl ? key.Scopes.Where(s => s == Scopes.Read) : key.Scopes);
        return Success(claims);
    }

    private async Task<AuthenticateResult> TokenAsync(string token)
    {
        var (principal, refusal) = await tokens.AuthenticateAsync(token, Context.RequestAborted);
        return principal is null
            ? AuthenticateResult.Fail(new TokenRefusedException(refusal!))
            : AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    private async Task<AuthenticateResult> SessionAsync(string cookie)
    {
        var (key, _, refusal) = await tokens.AuthenticateSessionAsync(cookie, Context.RequestAborted);
        if (key is null)
        {
            return AuthenticateResult.Fail(new TokenRefusedException(refusal!));
        }
        return Success(key.Claims(key.Scopes));
    }

    private AuthenticateResult Success(IEnumerable<Claim> claims) =>
        AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName)), SchemeName));

    /// <summary>401 with <c>WWW-Authenticate: Bearer</c>, naming <c>invalid_token</c> when a token was refused (RFC 6750).</summary>
    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var failure = (await HandleAuthenticateOnceSafeAsync()).Failure;
        Response.StatusCode = 401;
        Response.Headers.WWWAuthenticate = failure is TokenRefusedException refused
            ? $"Bearer realm=\"spectralnotify\", error=\"invalid_token\", error_description=\"{refused.Message}\""
            : "Bearer realm=\"spectralnotify\"";
        if (failure is not null)
        {
            Context.Items[RefusalItem] = failure.Message;
        }
    }

    /// <summary>403; for a token, <c>WWW-Authenticate: Bearer error="insufficient_scope"</c>.</summary>
    protected override Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = 403;
        if (Context.User.FindFirst(TokenIssuer.ExpiresClaimType) is not null)
        {
            Response.Headers.WWWAuthenticate = "Bearer realm=\"spectralnotify\", error=\"insufficient_scope\"";
        }
        return Task.CompletedTask;
    }

    private static (string? Value, Source Source) Presented(HttpRequest request)
    {
        if (request.Headers.TryGetValue("X-API-Key", out var key))
        {
            return (key.ToString(), Source.Header);
        }
        var auth = request.Headers.Authorization.ToString();
        if (auth.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return (auth["Bearer ".Length..], Source.Header);
        }
        if (HttpMethods.IsGet(request.Method) && LiveEndpoint.Is(request.HttpContext))
        {
            if (request.Query.TryGetValue(TokenQueryParameter, out var token))
            {
                return (token.ToString(), Source.TokenInUrl);
            }
            if (request.Query.TryGetValue(QueryParameter, out var q))
            {
                return (q.ToString(), Source.KeyInUrl);
            }
        }
        if (Dashboard.DashboardSession.CookieFrom(request) is { } session)
        {
            return (session, Source.SessionCookie);
        }
        return (null, Source.Header);
    }
}

/// <summary>Why a token was refused; the message is safe to show the client.</summary>
public sealed class TokenRefusedException(string message) : Exception(message);
