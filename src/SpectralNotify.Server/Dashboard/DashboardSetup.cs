using Microsoft.Extensions.Options;

namespace SpectralNotify.Server.Dashboard;

/// <summary>Registers the dashboard's options (checked at start) and its embedded files.</summary>
public static class DashboardSetup
{
    public static IServiceCollection AddSpectralDashboard(this IServiceCollection services)
    {
        services.AddOptions<DashboardOptions>().BindConfiguration("Dashboard").ValidateOnStart();
        services.AddSingleton<IValidateOptions<DashboardOptions>, DashboardOptionsValidator>();
        services.AddSingleton<DashboardAssets>();
        return services;
    }
}
