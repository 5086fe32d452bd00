using Prometheus;
using SpectralNotify.Access;
using SpectralNotify.Health;
using SpectralNotify.Migrations;
using SpectralNotify.Server.Auth;
using SpectralNotify.Server.Realtime;
using SpectralNotify.Storage;

namespace SpectralNotify.Server.Observability;

/// <summary><c>/healthz</c> (process up), <c>/readyz</c> (every background component working, database reachable and migrated), <c>/metrics</c>.</summary>
public static class OpsEndpoints
{
    public static IEndpointRouteBuilder MapOps(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", () => TypedResults.Text("ok")).WithTags("Operations");
        app.MapGet("/readyz", async (IStore store, MigrationRunner migrations, HealthRegistry health, CancellationToken ct) =>
        {
            if (health.Unhealthy is { Count: > 0 } failing)
            {
                // Name each component and its problem: an operator reads this first.
                var problems = failing.Select(c => new Dictionary<string, object?>
                {
                    ["component"] = c.Name, ["problem"] = c.Problem, ["since"] = c.FailingSince, ["stopped"] = c.Stopped,
                }).ToList();
                return Results.Problem(title: "Not ready",
                    detail: string.Join("; ", failing.Select(c => $"{c.Name}: {c.Problem}")), statusCode: 503,
                    extensions: new Dictionary<string, object?> { ["components"] = problems });
            }
            try
            {
                await store.PingAsync(ct);
                if (!await migrations.IsCurrentAsync(ct))
                {
                    return Results.Problem(title: "Not ready", detail: "Database migrations are not all applied.", statusCode: 503);
                }
                return Results.Text("ready");
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                return Results.Problem(title: "Not ready", detail: $"Database unreachable: {ex.GetType().Name}.", statusCode: 503);
            }
        }).WithTags("Operations");
        MapMetrics(app);
        return app;
    }

    /// <summary>
    /// <c>/metrics</c>: prometheus-net serializes this host's registry. Always the Prometheus text format
    /// 0.0.4, never OpenMetrics (whose counter TYPE lines drop <c>_total</c>), so the output a scraper
    /// reads does not depend on its Accept header.
    /// </summary>
    private static void MapMetrics(IEndpointRouteBuilder app)
    {
        var services = app.ServiceProvider;
        var metrics = services.GetRequiredService<SpectralMetrics>();
        ScrapeTimeMetrics.Publish(metrics, services);
        // A minimal-API GET rather than prometheus-net's MapMetrics (a middleware on every method): it keeps
        // /metrics in the OpenAPI document, with its security when Metrics:RequireKey asks for a key.
        var metricsEndpoint = app.MapGet("/metrics", (CancellationToken ct) =>
            TypedResults.Stream(body => metrics.Registry.CollectAndExportAsTextAsync(body, ExpositionFormat.PrometheusText, ct),
                PrometheusConstants.TextContentTypeWithVersionAndEncoding)).WithTags("Operations");
        // Scrapers usually reach /metrics on a private network; where they cannot, Metrics:RequireKey asks for a read key.
        if (services.GetRequiredService<IConfiguration>().GetValue<bool>("Metrics:RequireKey"))
        {
            metricsEndpoint.RequireAccess(Resource.Metrics, Operation.Read, idRoute: null);
        }
    }

    /// <summary>Counts answers by status class for <c>/metrics</c>.</summary>
    public static IApplicationBuilder UseRequestCounting(this IApplicationBuilder app)
    {
        var metrics = app.ApplicationServices.GetRequiredService<SpectralMetrics>();
        // OnCompleted instead of awaiting next: no async frame stays alive for a long-lived WebSocket.
        return app.Use((http, next) =>
        {
            http.Response.OnCompleted(static state =>
            {
                var (m, h) = ((SpectralMetrics, HttpContext))state;
                m.RecordRequest(h.Response.StatusCode);
                return Task.CompletedTask;
            }, (metrics, http));
            return next(http);
        });
    }
}
