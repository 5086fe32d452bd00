using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.Extensions.Options;

namespace SpectralNotify.Server.Hosting;

/// <summary>
/// CORS as the reference server answers it (protocol §1.2): the request's Origin is reflected with
/// credentials allowed, so existing browser apps keep working from any origin. Set
/// <c>Cors:Origins</c> (comma-separated, see <see cref="CorsSettings"/>) to allow only those origins instead.
/// </summary>
public static class CorsSetup
{
    private static readonly string[] Headers =
        ["Content-Type", "Authorization", "X-API-Key", "Idempotency-Key", "If-Match", "If-None-Match", "Last-Event-ID"];

    public static IServiceCollection AddSpectralCors(this IServiceCollection services)
    {
        services.AddOptions<CorsSettings>().BindConfiguration("Cors").ValidateOnStart();
        services.AddSingleton<IValidateOptions<CorsSettings>, CorsSettingsValidator>();
        services.AddCors();
        services.AddOptions<CorsOptions>().Configure<IOptions<CorsSettings>>((o, settings) =>
            o.AddDefaultPolicy(p => Configure(p, settings.Value.OriginList)));
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
