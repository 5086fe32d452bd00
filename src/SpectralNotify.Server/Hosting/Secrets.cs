using System.Text.RegularExpressions;

namespace SpectralNotify.Server.Hosting;

/// <summary>Hides secrets in values that are echoed back to the operator (errors, the start-up line).</summary>
public static partial class Secrets
{
    private const string Mask = "***";

    /// <summary>
    /// A database setting with its password replaced: <c>postgres://u:***@host/db</c>,
    /// <c>Host=h;Password=***</c>. Works on values that did not parse too, since those are the ones
    /// echoed in errors.
    /// </summary>
    public static string MaskDatabase(string? raw)
    {
        if (string.IsNullOrEmpty(raw))
        {
            return "";
        }
        var masked = UrlPassword().Replace(raw, m => m.Groups[1].Value + Mask + "@");
        return KeyValuePassword().Replace(masked, m => m.Groups[1].Value + Mask);
    }

    /// <summary>An API key shown only by its length: enough to spot a truncated or empty value.</summary>
    public static string MaskKey(string? key) => $"{Mask} ({key?.Length ?? 0} characters)";

    // scheme://user:password@ — the password ends at the last '@' before the host.
    [GeneratedRegex(@"(://[^:/@\s]*:)[^@\s]*@", RegexOptions.CultureInvariant)]
    private static partial Regex UrlPassword();

    [GeneratedRegex(@"((?:^|;)\s*(?:password|pwd)\s*=)[^;]*", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex KeyValuePassword();
}
