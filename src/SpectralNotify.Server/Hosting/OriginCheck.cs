using Microsoft.Extensions.Options;

namespace SpectralNotify.Server.Hosting;

/// <summary>
/// Browsers do not apply CORS to WebSocket upgrades, so a page on any origin could open a socket with
/// the visitor's cookies or a proxy's credentials (cross-site WebSocket hijacking). An upgrade that
/// carries an <c>Origin</c> is accepted only from the server's own origin or one listed in
/// <c>Cors:Origins</c>; clients outside a browser send no <c>Origin</c> and are not affected.
/// </summary>
public sealed class OriginCheck(IOptions<CorsSettings> settings)
{
    private readonly HashSet<string> _allowed = new(settings.Value.OriginList, StringComparer.OrdinalIgnoreCase);

    public bool Allows(HttpRequest request)
    {
        var origin = request.Headers.Origin.ToString();
        if (origin.Length == 0 || _allowed.Contains(origin))
        {
            return true;
        }
        // Same origin: the page was served by this host. The scheme is not compared, because behind a
        // TLS-terminating proxy the page is https while this request arrives as http.
        return Uri.TryCreate(origin, UriKind.Absolute, out var uri)
            && string.Equals(uri.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase);
    }
}
