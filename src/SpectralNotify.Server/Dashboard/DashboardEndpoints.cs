using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.Options;
using SpectralNotify.Server.Auth;
using SpectralNotify.Server.Hosting;

namespace SpectralNotify.Server.Dashboard;

/// <summary>
/// <c>/ui</c>: the dashboard's files with a strict Content-Security-Policy (no inline script or
/// style), hashed assets cached for a year, every other path answered with <c>index.html</c> so a
/// page's own URL survives a reload, and <c>/ui/config.json</c> for what the page needs at run time.
/// </summary>
public static class DashboardEndpoints
{
    public const string Prefix = "/ui";

    private const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; " +
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    private static readonly FileExtensionContentTypeProvider ContentTypes = new();

    /// <summary>Whether <c>GET /</c> came from a browser that should land on the dashboard (others keep the compatible <c>OK</c>).</summary>
    public static bool WantsDashboard(HttpContext http) =>
        http.RequestServices.GetRequiredService<IOptions<DashboardOptions>>().Value.Enabled
        && http.Request.Headers.Accept.ToString().Contains("text/html", StringComparison.OrdinalIgnoreCase);

    public static IEndpointRouteBuilder MapDashboard(this IEndpointRouteBuilder app)
    {
        if (!app.ServiceProvider.GetRequiredService<IOptions<DashboardOptions>>().Value.Enabled)
        {
            return app;
        }
        app.MapDashboardSession();
        app.MapGet(Prefix + "/config.json", Config).ExcludeFromDescription();
        app.MapGet(Prefix + "/{**path}", Serve).ExcludeFromDescription();
        return app;
    }

    /// <summary>What the page needs before it signs in: whether reads need a key, and this node.</summary>
    private static IResult Config(HttpContext http, IOptions<SpectralOptions> spectral, ApiKeyOptions auth, IOptions<DashboardOptions> dashboard)
    {
        Secure(http.Response);
        http.Response.Headers.CacheControl = "no-cache";
        return TypedResults.Ok(new
        {
            version = typeof(DashboardEndpoints).Assembly.GetName().Version?.ToString(),
            nodeId = spectral.Value.NodeId,
            anonymousReads = auth.AnonymousReads.ToString(),
            sessionSeconds = (int)dashboard.Value.SessionLifetime.TotalSeconds,
        });
    }

    private static IResult Serve(string? path, HttpContext http, DashboardAssets assets)
    {
        if (!http.Request.Path.Value!.EndsWith('/') && string.IsNullOrEmpty(path))
        {
            // /ui → /ui/, so the page's relative asset URLs resolve under /ui/.
            return Results.Redirect(Prefix + "/");
        }
        Secure(http.Response);
        if (!assets.Built)
        {
            http.Response.Headers.CacheControl = "no-cache";
            return Results.Content(NotBuiltPage, "text/html; charset=utf-8", statusCode: 503);
        }
        path ??= "";
        if (path.Length > 0 && assets.Open(path) is { } file)
        {
            // Vite names every asset by its content hash: a changed file is a new URL.
            http.Response.Headers.CacheControl = path.StartsWith("assets/", StringComparison.Ordinal)
                ? "public, max-age=31536000, immutable" : "no-cache";
            var type = ContentTypes.TryGetContentType(path, out var t) ? t : "application/octet-stream";
            return Results.Stream(file, type);
        }
        if (Path.HasExtension(path))
        {
            return Results.Problem(statusCode: 404, title: "Not found", detail: $"The dashboard has no file '{path}'.");
        }
        // A page of the app (/ui/tasks/abc): the app routes it, so a shared or reloaded URL works.
        http.Response.Headers.CacheControl = "no-cache";
        return Results.Stream(assets.Open("index.html")!, "text/html; charset=utf-8");
    }

    private static void Secure(HttpResponse response)
    {
        response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers["Referrer-Policy"] = "no-referrer";
    }

    private const string NotBuiltPage = """
        <!doctype html><html lang="en"><head><meta charset="utf-8"><title>SpectralNotify</title></head>
        <body><h1>The dashboard is not built into this server</h1>
        <p>It is built with the server when Node.js 20+ and npm are installed (<code>apt-get install nodejs npm</code>),
        from the sources in <code>web/</code>. The API is served as usual: see <a href="/docs">/docs</a>.</p></body></html>
        """;
}
