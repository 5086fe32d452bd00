using SpectralNotify.Access;
using System.Reflection;

namespace SpectralNotify.Server.Api.Compat;

/// <summary>
/// The spectralNotify-compatible surface (protocol §1.1): every procedure at
/// <c>POST /&lt;router&gt;/&lt;procedure&gt;</c> (REST, raw JSON) and <c>POST /rpc/&lt;router&gt;/&lt;procedure&gt;</c>
/// (RPC, <c>{"json":…}</c>); <c>GET /</c>, <c>GET /__version</c>; other methods on <c>/rpc/*</c> are 405.
/// Paths are case-sensitive as in the reference; a trailing slash is tolerated.
/// </summary>
public static class CompatEndpoints
{
    public static IEnumerable<Procedure> Procedures =>
    [
        new("healthCheck", null, false, _ => Task.FromResult(Output.Write(w => w.WriteStringValue("OK")))),
        new("privateData", new(Resource.Keys, Operation.Read), false, PrivateData),
        .. TaskProcedures.All,
        .. WorkflowProcedures.All,
        .. CounterProcedures.All,
    ];

    public static IEndpointRouteBuilder MapCompat(this IEndpointRouteBuilder app)
    {
        // The reference answers OK here; a browser is sent on to the dashboard instead. Order 1: an app
        // hosting the server (docs/embedding.md) keeps its own GET / instead of an ambiguous match.
        app.MapGet("/", (HttpContext http) => Dashboard.DashboardEndpoints.WantsDashboard(http)
                ? Results.Redirect(Dashboard.DashboardEndpoints.Prefix + "/") : Results.Text("OK"))
            .WithOrder(1).ExcludeFromDescription();
        app.MapGet("/__version", () => Results.Json(new { buildId = BuildId }, statusCode: 200)).ExcludeFromDescription();
        foreach (var procedure in Procedures)
        {
            foreach (var rpc in new[] { false, true })
            {
                var path = (rpc ? "/rpc/" : "/") + procedure.Path;
                app.MapPost(path, (HttpContext http, CompatHandler handler) =>
                        ExactPath(http, path) ? handler.HandleAsync(http, procedure, rpc) : NotFoundAsync(http))
                    .ExcludeFromDescription();
            }
        }
        app.MapMethods("/rpc/{**rest}", ["GET", "PUT", "DELETE", "PATCH"], async (HttpContext http) =>
        {
            http.Response.StatusCode = 405;
            http.Response.ContentType = "application/json";
            await http.Response.Body.WriteAsync(CompatEnvelope(CompatError.MethodNotSupported()));
        }).ExcludeFromDescription();
        return app;
    }

    /// <summary>The reference's answer for a path nothing serves: 404, text/plain, <c>404 Not Found</c>.</summary>
    public static Task NotFoundAsync(HttpContext http)
    {
        http.Response.StatusCode = 404;
        http.Response.ContentType = "text/plain; charset=UTF-8";
        return http.Response.WriteAsync("404 Not Found");
    }

    /// <summary>BUILD_ID when set (as the reference reads it), otherwise this build's version.</summary>
    private static string BuildId =>
        Environment.GetEnvironmentVariable("BUILD_ID") is { Length: > 0 } id
            ? id
            : typeof(CompatEndpoints).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "dev";

    /// <summary>ASP.NET Core matches paths case-insensitively; the reference does not.</summary>
    private static bool ExactPath(HttpContext http, string path) =>
        (http.Request.PathBase + http.Request.Path).Value!.TrimEnd('/') == path;

    private static byte[] CompatEnvelope(CompatError error)
    {
        var envelope = error.Envelope();
        return [.. "{\"json\":"u8, .. envelope, (byte)'}'];
    }

    private static Task<Output> PrivateData(ProcedureCall c) => Task.FromResult(Output.Write(w =>
    {
        w.WriteStartObject();
        w.WriteString("message", "This is private");
        w.WriteStartObject("user");
        w.WriteString("id", c.Caller);
        w.WriteString("name", c.Caller);
        w.WriteEndObject();
        w.WriteEndObject();
    }));
}
