using SpectralNotify.Server.Api.Idempotency;
using SpectralNotify.Access;
using SpectralNotify.Server.Api.V1;
using SpectralNotify.Server.Api.V1.Contracts;

namespace SpectralNotify.Server.Auth.Tokens;

/// <summary>
/// <c>POST /api/v1/tokens</c> mints a short-lived token for a browser or mobile app (write or admin
/// key); <c>POST /api/v1/tokens/rotate</c> (admin) starts signing with a new key.
/// </summary>
public static class TokensApi
{
    public const string Prefix = "/api/v1/tokens";

    public static IEndpointRouteBuilder MapTokensV1(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup(Prefix).WithTags("Tokens");
        g.MapPost("/", MintAsync).RequireAccess(Resource.Tokens, Operation.Write, idRoute: null).WithMetadata(SecretAnswer.Marker)
            .Produces<TokenDto>(201).ProducesValidationProblem();
        g.MapPost("/rotate", async (SigningKeys keys, CancellationToken ct) =>
        {
            var key = await keys.RotateAsync(ct);
            return TypedResults.Ok(new SigningKeyDto(key.Kid, key.CreatedAt));
        }).RequireAccess(Resource.Keys, Operation.Write, idRoute: null).Produces<SigningKeyDto>();
        return app;
    }

    private static async Task<IResult> MintAsync(MintTokenRequest body, TokenIssuer issuer, HttpContext http, CancellationToken ct)
    {
        var errors = new RequestErrors();
        var caller = http.User.ToCaller();
        var grants = new List<Grant>();
        if (body.Scopes is not { Count: > 0 } scopes || scopes.Count > TokenIssuer.MaxScopes)
        {
            errors.Add("scopes", $"must list 1 to {TokenIssuer.MaxScopes} scopes");
        }
        else
        {
            for (var i = 0; i < scopes.Count; i++)
            {
                if (!Grant.TryParse(scopes[i], out var grant, out var problem))
                {
                    errors.Add($"scopes[{i}]", problem);
                }
                else if (caller.Level is not { } level || !grant.WithinLevel(level))
                {
                    errors.Add($"scopes[{i}]", "is more than the key minting the token may do");
                }
                else
                {
                    grants.Add(grant);
                }
            }
        }
        var ttl = TokenTtl(body.TtlSeconds, "ttlSeconds", errors);
        if (errors.Any)
        {
            return TasksApi.Invalid(errors);
        }
        var minted = await issuer.MintAsync(caller.KeyId!, grants, ttl, ct);
        return TypedResults.Created((string?)null, new TokenDto(minted.Token, minted.ExpiresAt, grants.Select(g => g.ToString()).ToList()));
    }

    /// <summary>A token lifetime in seconds: 1 to 24 h, 15 min when absent.</summary>
    public static TimeSpan TokenTtl(double? seconds, string field, RequestErrors errors)
    {
        if (seconds is null)
        {
            return TokenIssuer.DefaultTtl;
        }
        if (!double.IsFinite(seconds.Value) || seconds < 1 || seconds > TokenIssuer.MaxTtl.TotalSeconds || seconds != Math.Floor(seconds.Value))
        {
            errors.Add(field, $"must be a whole number of seconds from 1 to {TokenIssuer.MaxTtl.TotalSeconds:0} (24 h)");
            return default;
        }
        return TimeSpan.FromSeconds(seconds.Value);
    }

    /// <summary>
    /// Mints the read token a create request asked for (<c>"token": {"ttlSeconds": …}</c>), before the
    /// write, so a failure here leaves nothing written. Null when none was asked for.
    /// </summary>
    public static async Task<TokenDto?> ForCreateAsync(TimeSpan? ttl, IReadOnlyList<Grant> grants, HttpContext http, CancellationToken ct)
    {
        if (ttl is not { } lifetime)
        {
            return null;
        }
        var issuer = http.RequestServices.GetRequiredService<TokenIssuer>();
        var minted = await issuer.MintAsync(http.User.ToCaller().KeyId!, grants, lifetime, ct);
        return new TokenDto(minted.Token, minted.ExpiresAt, grants.Select(g => g.ToString()).ToList());
    }

    /// <summary>
    /// The lifetime a create request's <c>token</c> asks for (validated into <paramref name="errors"/>),
    /// or null when it asks for none. Not with an <c>Idempotency-Key</c>: the answer would be stored
    /// for replay with the token in it; an idempotent create mints its token with <c>POST /api/v1/tokens</c>.
    /// </summary>
    public static TimeSpan? OnCreate(TokenOnCreateRequest? request, RequestErrors errors, HttpRequest http)
    {
        if (request is null)
        {
            return null;
        }
        if (http.Headers.ContainsKey(IdempotencyMiddleware.HeaderName))
        {
            errors.Add("token", "cannot be combined with an Idempotency-Key (the stored answer would keep the token); create idempotently, then POST /api/v1/tokens");
            return null;
        }
        return TokenTtl(request.TtlSeconds, "token.ttlSeconds", errors);
    }
}
