using SpectralNotify.Server.Api.V1;
using SpectralNotify.Server.Realtime;

namespace SpectralNotify.Server.Hosting;

/// <summary>
/// The standalone server's web host (<c>spectral serve</c>): the server registered with
/// <c>AddSpectralNotifyServer</c> and mapped with <c>MapSpectralNotify</c>, plus what only a host of
/// its own decides: the default address, Kestrel's limits and quiet framework logs. Tests call
/// <see cref="Build"/> directly with their own settings.
/// </summary>
public static class SpectralApp
{
    /// <summary>Where the server listens when neither <c>--urls</c> nor <c>ASPNETCORE_URLS</c> is set.</summary>
    public const string DefaultUrl = "http://localhost:8094";

    /// <param name="args">Command-line arguments (configuration such as <c>--urls</c>).</param>
    /// <param name="customize">Runs before the server is registered (extra configuration and services).</param>
    /// <param name="server">Adds in-process job handlers and queues.</param>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? customize = null, Action<SpectralServerBuilder>? server = null)
    {
        var builder = WebApplication.CreateBuilder(WithoutConfigReload(args));
        // Lowest-priority defaults: per-request framework logs would cost more than the request itself.
        builder.Configuration.Sources.Insert(0, new Microsoft.Extensions.Configuration.Memory.MemoryConfigurationSource
        {
            InitialData = new Dictionary<string, string?>
            {
                ["Logging:LogLevel:Default"] = "Information",
                ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
            },
        });
        if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["ASPNETCORE_URLS"]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }
        builder.WebHost.ConfigureKestrel((context, k) =>
        {
            k.Limits.MaxRequestBodySize = Limits.MaxBodyBytes;
            k.Limits.MaxConcurrentUpgradedConnections = LiveConnectionGate.KestrelUpgradedLimit(context.Configuration["Spectral:MaxLiveConnections"]);
        });
        customize?.Invoke(builder);
        var handlers = builder.Services.AddSpectralNotifyServer(builder.Configuration);
        server?.Invoke(handlers);

        var app = builder.Build();
        app.MapSpectralNotify();
        return app;
    }

    /// <summary>
    /// The host's default reloads <c>appsettings.json</c> on change by watching the content root, the
    /// working directory, recursively. <c>./data</c> (the SQLite database and its WAL) is inside it, so
    /// every page the database wrote became a file-system event for the watcher thread to read: about a
    /// sixth of the server's CPU under write load (docs/benchmarks.md). Reload stays available on request:
    /// <c>--hostBuilder:reloadConfigOnChange=true</c> (a later argument wins) or
    /// <c>DOTNET_hostBuilder__reloadConfigOnChange=true</c> (or <c>ASPNETCORE_</c>…, which the host reads too).
    /// </summary>
    internal static string[] WithoutConfigReload(string[] args) =>
        new ConfigurationBuilder().AddEnvironmentVariables("DOTNET_").AddEnvironmentVariables("ASPNETCORE_").Build()[ReloadKey] is null
            ? [$"--{ReloadKey}=false", .. args]
            : args;

    private const string ReloadKey = "hostBuilder:reloadConfigOnChange";

    /// <summary>Same as <c>app.PrepareSpectralNotifyAsync(ct)</c>.</summary>
    /// <exception cref="StartupException">A setting or the environment prevents the start.</exception>
    public static Task PrepareAsync(WebApplication app, CancellationToken ct = default) => app.PrepareSpectralNotifyAsync(ct);
}
