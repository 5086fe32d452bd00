using SpectralNotify.Server.Api;
using SpectralNotify.Server.Api.Compat;
using SpectralNotify.Server.Api.Idempotency;
using SpectralNotify.Server.Api.V1;
using SpectralNotify.Server.Auth.Tokens;
using SpectralNotify.Server.Dashboard;
using SpectralNotify.Server.Hosting;
using SpectralNotify.Server.Jobs;
using SpectralNotify.Server.Observability;
using SpectralNotify.Server.Realtime;
using SpectralNotify.Server.Realtime.V2;

// The usual home of Map*/Use* extensions.
namespace Microsoft.AspNetCore.Builder;

/// <summary>Adds the SpectralNotify server's middleware and routes to an app (see docs/embedding.md).</summary>
public static class SpectralEndpoints
{
    /// <summary>
    /// Adds the server's middleware to the app's pipeline where it is called (error bodies, CORS,
    /// request counting, WebSockets, authentication and authorization, URL checks, Idempotency-Key
    /// replay, the API docs UI at <c>/docs</c>) and maps every route: the v1 REST API, the live
    /// endpoints (<c>/ws/*</c>, <c>/api/v1/live</c>, SSE), the ops routes (<c>/healthz</c>,
    /// <c>/readyz</c>, <c>/metrics</c>), the spectralNotify-compatible surface and the OpenAPI
    /// document. Needs <c>AddSpectralNotifyServer</c>.
    /// </summary>
    /// <returns>The group holding every route, to add conventions to (for example <c>RequireHost</c>).</returns>
    public static RouteGroupBuilder MapSpectralNotify(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        UseMiddleware(app);
        var routes = app.MapGroup("");
        // Kestrel's limit is the app's; the server's routes take at most 1 MiB whatever it is.
        routes.WithMetadata(new SpectralEndpointMetadata());
        routes.MapOps();
        routes.MapTasksV1();
        routes.MapToolsV1();
        routes.MapSessionsV1();
        routes.MapStatsV1();
        routes.MapConfigV1();
        routes.MapKeysV1();
        routes.MapCountersV1();
        routes.MapWorkflowsV1();
        routes.MapJobsV1();
        routes.MapWorkersV1();
        routes.MapTokensV1();
        routes.MapLive();
        routes.MapLiveV2();
        routes.MapDashboard();
        routes.MapCompat();
        routes.MapOpenApi("/openapi/{documentName}.json");
        return routes;
    }

    private static void UseMiddleware(WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages(StatusPages.WriteAsync);
        app.UseCors();
        app.UseRequestCounting();
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(30) });
        app.Use((http, next) =>
        {
            if (http.GetEndpoint()?.Metadata.GetMetadata<SpectralEndpointMetadata>() is not null
                && http.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } body)
            {
                body.MaxRequestBodySize = Limits.MaxBodyBytes;
            }
            return next(http);
        });
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseUrlTextCheck();
        app.UseMiddleware<IdempotencyMiddleware>();
        app.UseSwaggerUI(o =>
        {
            o.RoutePrefix = "docs";
            o.SwaggerEndpoint("/openapi/v1.json", "SpectralNotify v1");
        });
    }

    /// <summary>Marks the server's endpoints.</summary>
    private sealed class SpectralEndpointMetadata;
}
