using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.Extensions.Options;

namespace SpectralNotify.Server.Hosting;

/// <summary>
/// CORS: only the origins listed in <c>Cors:Origins</c> (exact match, see <see cref="CorsSettings"/>)
/// get CORS headers, with credentials; every other origin gets none, so a web page a user happens to
/// visit cannot read or write through the user's browser. The reference server reflects every
/// origin; its web app keeps working once its origin is listed (docs/compatibility.md).
/// </summary>
public static class CorsSetup
{
    private static readonly string[] Headers =
        ["Content-Type", "Authorization", "X-API-Key", "Idempotency-Key", "If-Match", "If-None-Match", "Last-Event-ID"];

    public static IServiceCollection AddSpectralCors(this IServiceCollection services)
    {
        services.AddOptions<CorsSettings>().BindConfiguration("Cors").ValidateOnStart();
        services.AddSingleton<IValidateOptions<CorsSettings>, CorsSettingsValidator>();
        services.AddSingleton<OriginCheck>();
        services.AddCors();
        services.AddOptions<CorsOptions>().Configure<IOptions<CorsSettings>>((o, settings) =>
            o.AddDefaultPolicy(p => Configure(p, settings.Value.OriginList)));
        return services;
    }

    private static void Configure(CorsPolicyBuilder p, string[] origins) =>
        p.WithOrigins(origins)
            .AllowCredentials()
            .WithMethods("GET", "POST", "OPTIONS", "PUT", "PATCH", "DELETE")
            .WithHeaders(Headers)
            .WithExposedHeaders("X-Request-Id", "ETag", "Location", "Idempotent-Replayed", "Retry-After", "WWW-Authenticate");
}
