namespace SpectralNotify.Client.Models;

/// <summary>A short-lived token: send it as <c>Authorization: Bearer</c>, or <c>?access_token=</c> on live endpoints.</summary>
public sealed record AccessToken
{
    /// <summary>The token.</summary>
    public string Token { get; init; } = "";

    /// <summary>When it stops working.</summary>
    public DateTimeOffset ExpiresAt { get; init; }

    /// <summary>What it may do, e.g. <c>read:tasks:encode-42</c>.</summary>
    public IReadOnlyList<string> Scopes { get; init; } = [];
}

/// <summary><c>POST /api/v1/tokens</c>: the scopes and a lifetime (1 s to 24 h; 15 min when null).</summary>
public sealed record MintTokenRequest
{
    /// <summary>1 or more scopes, each within the calling key's own rights (see docs/security.md).</summary>
    public IReadOnlyList<string>? Scopes { get; init; }

    /// <summary>The lifetime in whole seconds.</summary>
    public double? TtlSeconds { get; init; }
}

/// <summary>In a create request: answer with a read token for the created entity.</summary>
public sealed record TokenOnCreate
{
    /// <summary>The lifetime in whole seconds (1 s to 24 h; 15 min when null).</summary>
    public double? TtlSeconds { get; init; }
}

/// <summary>The answer to <c>POST /api/v1/tokens/rotate</c>: the signing key that signs from now on.</summary>
public sealed record SigningKey
{
    /// <summary>Its key id.</summary>
    public string Kid { get; init; } = "";

    /// <summary>When it was made.</summary>
    public DateTimeOffset CreatedAt { get; init; }
}
