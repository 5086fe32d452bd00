using Microsoft.AspNetCore.Authentication;

namespace SpectralNotify.Server.Auth;

/// <summary>Registers API-key authentication and the scope policies.</summary>
public static class AuthSetup
{
    public static IServiceCollection AddSpectralAuth(this IServiceCollection services, IConfiguration config, string dataDirectory)
    {
        var options = config.GetSection("Auth").Get<ApiKeyOptions>() ?? new ApiKeyOptions();
        services.AddSingleton(options);
        services.AddSingleton(_ => ApiKeyRing.Create(config, options, dataDirectory, Console.Out));
        services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(Scopes.ReadPolicy, p => p.RequireClaim(Scopes.ClaimType, Scopes.Read))
            .AddPolicy(Scopes.WritePolicy, p => p.RequireClaim(Scopes.ClaimType, Scopes.Write))
            .AddPolicy(Scopes.AdminPolicy, p => p.RequireClaim(Scopes.ClaimType, Scopes.Admin))
            .AddPolicy(Scopes.PublicReadPolicy, p => p.RequireAssertion(ctx =>
                options.PublicReads || ctx.User.HasClaim(Scopes.ClaimType, Scopes.Read)));
        return services;
    }
}
