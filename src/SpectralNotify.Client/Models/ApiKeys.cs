namespace SpectralNotify.Client.Models;

/// <summary>An API key as listed (<c>GET /api/v1/keys</c>): never its secret or hash.</summary>
public sealed record ApiKeyInfo
{
    /// <summary>The row id, or <c>cfg_…</c> for a configured key.</summary>
    public string Id { get; init; } = "";

    /// <summary>Its unique name.</summary>
    public string Name { get; init; } = "";

    /// <summary><c>read</c>, <c>write</c>, <c>admin</c>.</summary>
    public IReadOnlyList<string> Scopes { get; init; } = [];

    /// <summary><c>database</c> (managed by this API) or <c>config</c> (read-only).</summary>
    public string Source { get; init; } = "";

    /// <summary>When it was created (null for configured keys).</summary>
    public DateTimeOffset? CreatedAt { get; init; }

    /// <summary>When it stops working, if ever.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>Its last use (written at most once a minute).</summary>
    public DateTimeOffset? LastUsedAt { get; init; }

    /// <summary>When it was revoked.</summary>
    public DateTimeOffset? RevokedAt { get; init; }
}

/// <summary>The answer to <c>POST /api/v1/keys</c>: the new key and, this once only, its secret.</summary>
public sealed record CreatedApiKey
{
    /// <summary>The row id (for revoke).</summary>
    public string Id { get; init; } = "";

    /// <summary>Its name.</summary>
    public string Name { get; init; } = "";

    /// <summary>Its scopes, broadest first.</summary>
    public IReadOnlyList<string> Scopes { get; init; } = [];

    /// <summary>When it was created.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>When it stops working, if ever.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>Its last use.</summary>
    public DateTimeOffset? LastUsedAt { get; init; }

    /// <summary>The secret (<c>sn_…</c>): shown only here, store it now.</summary>
    public string Key { get; init; } = "";
}

/// <summary><c>POST /api/v1/keys</c> (admin).</summary>
public sealed record CreateApiKeyRequest
{
    /// <summary>1–100 characters, unique; required.</summary>
    public string? Name { get; init; }

    /// <summary>One or more of <c>read</c>, <c>write</c>, <c>admin</c>; required.</summary>
    public IReadOnlyList<string>? Scopes { get; init; }

    /// <summary>When it stops working; not with <see cref="TtlSeconds"/>.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>Seconds until it stops working (1 to 10 years); not with <see cref="ExpiresAt"/>.</summary>
    public long? TtlSeconds { get; init; }
}
