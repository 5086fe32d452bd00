using Microsoft.Extensions.Options;
using SpectralNotify.Server.Api.V1;
using SpectralNotify.Server.Auth;
using SpectralNotify.Server.Auth.Tokens;

namespace SpectralNotify.Server.Dashboard;

/// <summary>Sign-in body: the API key the person typed.</summary>
public sealed record SignInRequest(string? ApiKey = null);

/// <summary>Who is signed in: the key's name and scopes, and when the cookie ends unless renewed.</summary>
public sealed record SessionDto(string KeyName, IReadOnlyList<string> Scopes, DateTimeOffset ExpiresAt);

/// <summary>
/// The dashboard's sign-in (<c>/ui/api/session</c>): an API key is exchanged once for an HttpOnly,
/// SameSite=Strict cookie holding a short-lived session token, so the key never sits in a URL, in
/// local storage or in a script's reach. The open tab renews it at half-life; sign-out clears it.
/// The cookie authenticates only requests the browser marks same-origin (<c>Sec-Fetch-Site</c>):
/// with SameSite=Strict, another site can neither send it nor read what it returns.
/// </summary>
public static class DashboardSession
{
    public const string CookieName = "spectral_session";
    public const string Path = "/ui/api/session";

    /// <summary>The session cookie of a same-origin request, or null.</summary>
    public static string? CookieFrom(HttpRequest request)
    {
        if (!request.Cookies.TryGetValue(CookieName, out var value) || string.IsNullOrEmpty(value))
        {
            return null;
        }
        // Browsers older than Sec-Fetch-Site still honour SameSite=Strict, which keeps the cookie off cross-site requests.
        var site = request.Headers["Sec-Fetch-Site"].ToString();
        return site.Length == 0 || site == "same-origin" ? value : null;
    }

    public static IEndpointRouteBuilder MapDashboardSession(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup(Path).ExcludeFromDescription();
        g.MapPost("/", SignInAsync);
        g.MapGet("/", CurrentAsync);
        g.MapPost("/refresh", RefreshAsync);
        g.MapDelete("/", (HttpContext http) =>
        {
            http.Response.Cookies.Delete(CookieName, CookieOptions(http, DateTimeOffset.UnixEpoch));
            return TypedResults.NoContent();
        });
        return app;
    }

    private static async Task<IResult> SignInAsync(SignInRequest body, HttpContext http, ApiKeyRing ring, DatabaseKeyLookup databaseKeys,
        TokenIssuer issuer, IOptions<DashboardOptions> options, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(body.ApiKey))
        {
            var errors = new RequestErrors();
            errors.Add("apiKey", "is required");
            return TasksApi.Invalid(errors);
        }
        if (await KeyIdentity.FindAsync(ring, databaseKeys, body.ApiKey.Trim(), ct) is not { } key)
        {
            return TypedResults.Problem(title: "Sign-in refused", detail: "The API key is not valid (revoked, expired or mistyped).", statusCode: 401);
        }
        return await IssueAsync(http, issuer, key, options.Value, ct);
    }

    private static async Task<IResult> CurrentAsync(HttpContext http, TokenAuthenticator tokens, CancellationToken ct)
    {
        var (key, expires, refusal) = await FromCookieAsync(http, tokens, ct);
        return key is null ? NotSignedIn(refusal) : TypedResults.Ok(new SessionDto(key.Name, key.Scopes, expires));
    }

    private static async Task<IResult> RefreshAsync(HttpContext http, TokenAuthenticator tokens, TokenIssuer issuer, IOptions<DashboardOptions> options, CancellationToken ct)
    {
        var (key, _, refusal) = await FromCookieAsync(http, tokens, ct);
        return key is null ? NotSignedIn(refusal) : await IssueAsync(http, issuer, key, options.Value, ct);
    }

    private static async Task<IResult> IssueAsync(HttpContext http, TokenIssuer issuer, KeyIdentity key, DashboardOptions options, CancellationToken ct)
    {
        var session = await issuer.MintSessionAsync(key.Id, options.SessionLifetime, ct);
        http.Response.Cookies.Append(CookieName, session.Token, CookieOptions(http, session.ExpiresAt));
        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.Ok(new SessionDto(key.Name, key.Scopes, session.ExpiresAt));
    }

    private static Task<(KeyIdentity? Key, DateTimeOffset ExpiresAt, string? Refusal)> FromCookieAsync(HttpContext http, TokenAuthenticator tokens, CancellationToken ct) =>
        CookieFrom(http.Request) is { } cookie
            ? tokens.AuthenticateSessionAsync(cookie, ct)
            : Task.FromResult<(KeyIdentity?, DateTimeOffset, string?)>((null, default, "No session cookie."));

    private static IResult NotSignedIn(string? why) =>
        TypedResults.Problem(title: "Not signed in", detail: why, statusCode: 401);

    private static CookieOptions CookieOptions(HttpContext http, DateTimeOffset expires) => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Strict,
        Secure = http.Request.IsHttps,
        // The API and the live endpoints need it too, not only /ui.
        Path = "/",
        Expires = expires,
        IsEssential = true,
    };
}
