using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using SpectralNotify.Access;

namespace SpectralNotify.Server.Auth.Tokens;

/// <summary>
/// Mints and checks short-lived tokens (JWT, HS256) carrying <see cref="Grant"/>s for browsers and
/// mobile apps, so they never hold an API key. A token names the key that minted it; it stops
/// working when that key is revoked or expires, and never carries more than that key.
/// </summary>
public sealed class TokenIssuer(SigningKeys keys, TimeProvider time)
{
    public static readonly TimeSpan MaxTtl = TimeSpan.FromHours(24);
    public static readonly TimeSpan DefaultTtl = TimeSpan.FromMinutes(15);
    public static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(30);
    public const int MaxScopes = 100;

    private const string Issuer = "spectralnotify";
    private const string ScopeClaim = "scp";
    private const string SessionClaim = "ses";

    private readonly JsonWebTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = false };

    /// <summary>A token is three base64url parts; an API key never contains a dot.</summary>
    public static bool LooksLikeToken(string presented) => presented.Count(c => c == '.') == 2;

    public Task<MintedToken> MintAsync(string keyId, IReadOnlyList<Grant> grants, TimeSpan ttl, CancellationToken ct) =>
        MintAsync(keyId, new Dictionary<string, object> { [ScopeClaim] = grants.Select(g => g.ToString()).ToArray() }, ttl, ct);

    /// <summary>
    /// A dashboard session: it names only the key, whose scopes apply as they are at each request, and
    /// is accepted only as the HttpOnly session cookie (see <see cref="Dashboard.DashboardSession"/>), never
    /// as a bearer token, so it cannot be lifted from the cookie into a script's requests elsewhere.
    /// </summary>
    public Task<MintedToken> MintSessionAsync(string keyId, TimeSpan ttl, CancellationToken ct) =>
        MintAsync(keyId, new Dictionary<string, object> { [SessionClaim] = true }, ttl, ct);

    private async Task<MintedToken> MintAsync(string keyId, Dictionary<string, object> claims, TimeSpan ttl, CancellationToken ct)
    {
        var key = await keys.CurrentAsync(ct);
        var now = time.GetUtcNow();
        var expires = now + ttl;
        claims[CallerClaims.KeyIdClaimType] = keyId;
        claims[JwtRegisteredClaimNames.Jti] = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
        var token = _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Issuer,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = expires.UtcDateTime,
            Claims = claims,
            SigningCredentials = new SigningCredentials(SigningKeys.ToSecurityKey(key), SecurityAlgorithms.HmacSha256),
        });
        // JWT times are whole seconds: report the expiry the token really carries.
        return new MintedToken(token, DateTimeOffset.FromUnixTimeSeconds(expires.ToUnixTimeSeconds()));
    }

    /// <summary>The token's claims, or why it is refused (shown to the client: never anything secret).</summary>
    public async Task<TokenCheck> CheckAsync(string token, CancellationToken ct)
    {
        JsonWebToken jwt;
        try
        {
            jwt = new JsonWebToken(token);
        }
        catch (ArgumentException)
        {
            return TokenCheck.Refused("The token is malformed.");
        }
        var key = jwt.Kid is { Length: > 0 } kid ? await keys.FindAsync(kid, ct) : null;
        if (key is null)
        {
            return TokenCheck.Refused("The token was not signed by this server.");
        }
        var result = await _handler.ValidateTokenAsync(jwt, new TokenValidationParameters
        {
            ValidIssuer = Issuer,
            ValidAudience = Issuer,
            IssuerSigningKey = SigningKeys.ToSecurityKey(key),
            ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
            // Lifetime is checked below against the server's TimeProvider, so tests can move time.
            ValidateLifetime = false,
            RequireExpirationTime = true,
        });
        if (!result.IsValid)
        {
            return TokenCheck.Refused("The token's signature or claims are not valid.");
        }
        var expires = new DateTimeOffset(jwt.ValidTo, TimeSpan.Zero);
        if (time.GetUtcNow() > expires + ClockSkew)
        {
            return TokenCheck.Refused("The token has expired.");
        }
        var grants = jwt.Claims.Where(c => c.Type == ScopeClaim).Select(c => c.Value).ToList();
        var keyId = jwt.Claims.FirstOrDefault(c => c.Type == CallerClaims.KeyIdClaimType)?.Value;
        var session = jwt.Claims.Any(c => c.Type == SessionClaim && c.Value == "true");
        return keyId is null ? TokenCheck.Refused("The token names no key.") : new TokenCheck(null, keyId, grants, expires, session);
    }

    /// <summary>The claims of a checked token: its grants, the minting key's id and the expiry.</summary>
    public static IEnumerable<Claim> ClaimsOf(TokenCheck check, string keyName) =>
    [
        new(ClaimTypes.Name, keyName),
        new(CallerClaims.KeyIdClaimType, check.KeyId!),
        new(ExpiresClaimType, check.ExpiresAt.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture)),
        .. check.Grants.Select(g => new Claim(CallerClaims.GrantClaimType, g)),
    ];

    public const string ExpiresClaimType = "exp";
}

public sealed record MintedToken(string Token, DateTimeOffset ExpiresAt);

/// <summary>A token check: <see cref="Refusal"/> says why it failed, else its key id, grants, expiry and whether it is a dashboard session.</summary>
public sealed record TokenCheck(string? Refusal, string? KeyId, IReadOnlyList<string> Grants, DateTimeOffset ExpiresAt, bool Session = false)
{
    public static TokenCheck Refused(string why) => new(why, null, [], default);
}
