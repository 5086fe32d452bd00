using Microsoft.AspNetCore.Cors.Infrastructure;

namespace SpectralNotify.Server.Hosting;

/// <summary>
/// CORS as the reference server answers it (protocol §1.2): the request's Origin is reflected with
/// credentials allowed, so existing browser apps keep working from any origin. Set
/// <c>Cors:Origins</c> (comma-separated) to allow only those origins instead.
/// </summary>
public static class CorsSetup
{
    private static readonly string[] Headers =
        ["Content-Type", "Authorization", "X-API-Key", "Idempotency-Key", "If-Match", "If-None-Match", "Last-Event-ID"];

    public static IServiceCollection AddSpectralCors(this IServiceCollection services, IConfiguration config)
    {
        var origins = (config["Cors:Origins"] ?? "")
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        services.AddCors(o => o.AddDefaultPolicy(p => Configure(p, origins)));
        return services;
    }

    private static void Configure(CorsPolicyBuilder p, string[] origins)
    {
        if (origins.Length == 0)
        {
            p.SetIsOriginAllowed(_ => true);
        }
        else
        {
            p.WithOrigins(origins);
        }
        p.AllowCredentials()
            .WithMethods("GET", "POST", "OPTIONS", "PUT", "PATCH", "DELETE")
            .WithHeaders(Headers)
            .WithExposedHeaders("X-Request-Id", "ETag", "Location", "Idempotent-Replayed");
    }
}
