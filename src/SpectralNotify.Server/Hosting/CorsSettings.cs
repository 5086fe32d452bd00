using Microsoft.Extensions.Options;

namespace SpectralNotify.Server.Hosting;

/// <summary>The <c>Cors</c> configuration section.</summary>
public sealed class CorsSettings
{
    /// <summary>
    /// Comma-separated origins allowed to call from a browser, with credentials, e.g.
    /// <c>https://app.example.com,http://localhost:3000</c>; each must match the browser's
    /// <c>Origin</c> exactly. Empty (the default): no other origin is allowed; the server's own pages
    /// are same-origin and need no entry.
    /// </summary>
    public string? Origins { get; set; }

    public string[] OriginList =>
        (Origins ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

/// <summary>An origin is <c>scheme://host[:port]</c>; anything else would silently never match a browser's <c>Origin</c>.</summary>
public sealed class CorsSettingsValidator : IValidateOptions<CorsSettings>
{
    public ValidateOptionsResult Validate(string? name, CorsSettings options)
    {
        var bad = options.OriginList.Where(o => !IsOrigin(o)).ToList();
        return bad.Count == 0
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(bad[0] == "*"
                ? "Cors:Origins=*: a wildcard would let every web page act with the visitor's credentials; list the origins"
                : $"Cors:Origins={options.Origins}: '{bad[0]}' is not an origin (use scheme://host[:port], e.g. https://app.example.com)");
    }

    private static bool IsOrigin(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
        && uri.AbsolutePath == "/" && !value.EndsWith('/') && uri.Query.Length == 0 && uri.UserInfo.Length == 0;
}
