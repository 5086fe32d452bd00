using SpectralNotify.Keys;
using SpectralNotify.Storage;

namespace SpectralNotify.Server.Auth;

/// <summary>
/// Issues database API keys, for <c>POST /api/v1/keys</c> and <c>spectral keys create</c> alike: the
/// request rules, then a fresh secret whose hash alone is stored. The secret is returned once and
/// cannot be recovered later.
/// </summary>
public static class ApiKeyIssuer
{
    public const int MaxNameLength = 100;

    /// <summary>The longest lifetime (<c>ttlSeconds</c>, <c>--expires 30d</c>) a key may be given: 10 years. An explicit expiry time may be later.</summary>
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromDays(3650);

    /// <summary>Reports each broken rule as (field, rule); nothing when the request can be issued.</summary>
    public static void Validate(string? name, IReadOnlyList<string?>? scopes, DateTimeOffset? expiresAt, DateTimeOffset now, Action<string, string> error)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            error("name", "is required");
        }
        else if (name.Length > MaxNameLength || name.Trim().Length != name.Length || name.Any(char.IsControl)
            || !Api.V1.RequestErrors.WellFormed(name))
        {
            error("name", $"must be 1 to {MaxNameLength} characters of valid Unicode, without control characters or surrounding spaces");
        }
        if (scopes is null || scopes.Count == 0)
        {
            error("scopes", $"is required: one or more of {string.Join(", ", Scopes.All)}");
        }
        else if (scopes.Where(s => s is null || !Scopes.All.Contains(s)).Select(s => s ?? "null").ToList() is [_, ..] unknown)
        {
            error("scopes", $"{string.Join(", ", unknown.Select(s => $"'{s}'"))} is not a scope; use {string.Join(", ", Scopes.All)}");
        }
        if (expiresAt is { } at && at <= now)
        {
            error("expiresAt", "must be in the future");
        }
    }

    /// <summary>Stores a new key and returns it with its secret. Call <see cref="Validate"/> first.</summary>
    /// <param name="configuredNames">Names of the configured keys, which a database key may not take.</param>
    /// <exception cref="ApiKeyNameTakenException">A configured or database key has this name.</exception>
    public static async Task<(ApiKey Key, string Secret)> IssueAsync(IApiKeyStore store, IEnumerable<string> configuredNames,
        string name, IReadOnlyList<string> scopes, DateTimeOffset? expiresAt, CancellationToken ct)
    {
        if (configuredNames.Contains(name, StringComparer.Ordinal))
        {
            throw new ApiKeyNameTakenException(name);
        }
        var secret = ApiKeySecrets.NewSecret();
        var key = await store.ApiKeyCreateAsync(new ApiKeyCreateParams
        {
            Id = ApiKeySecrets.NewId(),
            Name = name,
            Hash = ApiKeySecrets.Hash(secret),
            // Broadest first, once each: ["read", "admin", "read"] is stored as "admin read".
            Scopes = Scopes.All.Where(scopes.Contains).ToList(),
            ExpiresAt = expiresAt,
        }, ct);
        return (key, secret);
    }
}
