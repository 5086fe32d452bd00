using Microsoft.Net.Http.Headers;

namespace SpectralNotify.Server.Api.V1;

/// <summary>The ETag of a task is its version: <c>"7"</c>.</summary>
public static class ETags
{
    public static string For(long version) => $"\"{version}\"";

    /// <summary>Parses If-Match; null when absent or <c>*</c>; false when it is not a version tag.</summary>
    public static bool TryParseIfMatch(HttpRequest request, out long? version)
    {
        version = null;
        var raw = request.Headers[HeaderNames.IfMatch].ToString().Trim();
        if (raw.Length == 0 || raw == "*")
        {
            return true;
        }
        if (raw.StartsWith("W/", StringComparison.Ordinal))
        {
            raw = raw[2..];
        }
        raw = raw.Trim('"');
        if (long.TryParse(raw, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var v))
        {
            version = v;
            return true;
        }
        return false;
    }
}
