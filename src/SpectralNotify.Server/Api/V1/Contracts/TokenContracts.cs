namespace SpectralNotify.Server.Api.V1.Contracts;

/// <summary>POST /api/v1/tokens: the scopes (see docs/security.md) and a lifetime of at most 24 h (default 15 min).</summary>
public sealed record MintTokenRequest(IReadOnlyList<string?>? Scopes = null, double? TtlSeconds = null);

/// <summary>A minted token; send it as <c>Authorization: Bearer</c>, or <c>?access_token=</c> on live endpoints.</summary>
public sealed record TokenDto(string Token, DateTimeOffset ExpiresAt, IReadOnlyList<string> Scopes);

/// <summary>In a create request: <c>"token": {"ttlSeconds": 3600}</c> answers with a read token for the created entity.</summary>
public sealed record TokenOnCreateRequest(double? TtlSeconds = null);

/// <summary>POST /api/v1/tokens/rotate: the signing key that signs from now on.</summary>
public sealed record SigningKeyDto(string Kid, DateTimeOffset CreatedAt);
