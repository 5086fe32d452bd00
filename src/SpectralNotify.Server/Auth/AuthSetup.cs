using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace SpectralNotify.Server.Auth;

/// <summary>Registers API-key authentication and the scope policies.</summary>
public static class AuthSetup
{
    public static IServiceCollection AddSpectralAuth(this IServiceCollection services, string dataDirectory)
    {
        services.AddOptions<ApiKeyOptions>().BindConfiguration("Auth").ValidateOnStart();
        services.AddSingleton<IValidateOptions<ApiKeyOptions>, ApiKeyOptionsValidator>();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<ApiKeyOptions>>().Value);
        services.AddSingleton(sp => ApiKeyRing.Create(sp.GetRequiredService<IConfiguration>(), sp.GetRequiredService<ApiKeyOptions>(), dataDirectory, Console.Out));
        services.AddSingleton<ApiKeyUsage>();
        services.AddHostedService(sp => sp.GetRequiredService<ApiKeyUsage>());
        services.AddSingleton<DatabaseKeyLookup>();
        services.AddSingleton<Tokens.SigningKeys>();
        services.AddSingleton<Tokens.TokenIssuer>();
        services.AddSingleton<Tokens.TokenAuthenticator>();
        services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        services.AddAuthorization();
        services.AddSingleton<HttpAccess>();
        services.AddSingleton<Microsoft.AspNetCore.Authorization.IAuthorizationHandler, AccessHandler>();
        return services;
    }
}
