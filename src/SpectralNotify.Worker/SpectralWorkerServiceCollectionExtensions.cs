using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SpectralNotify.Client;
using SpectralNotify.Worker;

// The usual home of Add* extensions, so one using brings them in.
namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers a SpectralNotify remote worker.</summary>
public static class SpectralWorkerServiceCollectionExtensions
{
    /// <summary>The HttpClient of every call but claims (add handlers to it with <c>AddHttpClient(CallsClientName)</c>).</summary>
    public const string CallsClientName = "SpectralNotify.Worker";

    /// <summary>The HttpClient of claims: its timeout is the long poll plus <see cref="SpectralWorkerOptions.CallTimeout"/>.</summary>
    public const string ClaimsClientName = "SpectralNotify.Worker.Claims";

    /// <summary>
    /// Adds a hosted service that claims runs from the server over the HTTP worker protocol and runs
    /// them with the handlers added to the returned builder. Options are validated at start.
    /// </summary>
    /// <example>
    /// <code>
    /// services.AddSpectralNotifyWorker(o =>
    /// {
    ///     o.BaseAddress = new Uri("http://127.0.0.1:8094");
    ///     o.ApiKey = "…";
    ///     o.Queues["default"] = 4;
    /// }).AddHandler&lt;ResizeHandler&gt;("resize");
    /// </code>
    /// </example>
    public static SpectralWorkerBuilder AddSpectralNotifyWorker(this IServiceCollection services, Action<SpectralWorkerOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<SpectralWorkerOptions>()
            .Configure(configure)
            .Validate(o => { o.Validate(); return true; })
            .ValidateOnStart();
        services.AddHttpClient(CallsClientName, (sp, http) =>
        {
            var o = sp.GetRequiredService<IOptions<SpectralWorkerOptions>>().Value;
            http.BaseAddress = WithTrailingSlash(o.BaseAddress!);
            http.Timeout = o.CallTimeout;
        });
        services.AddHttpClient(ClaimsClientName, (sp, http) =>
        {
            // Not the client's standard resilience pipeline: its 10 s attempt timeout would cut every long poll.
            var o = sp.GetRequiredService<IOptions<SpectralWorkerOptions>>().Value;
            http.BaseAddress = WithTrailingSlash(o.BaseAddress!);
            http.Timeout = o.ClaimWait + o.CallTimeout;
        });
        var handlers = services.FirstOrDefault(d => d.ServiceType == typeof(HandlerMap))?.ImplementationInstance as HandlerMap;
        if (handlers is null)
        {
            handlers = new HandlerMap();
            services.AddSingleton(handlers);
        }
        services.TryAddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IOptions<SpectralWorkerOptions>>().Value;
            var factory = sp.GetRequiredService<IHttpClientFactory>();
            var client = new SpectralClientOptions
            {
                BaseAddress = o.BaseAddress,
                ApiKey = o.ApiKey,
                AccessTokenProvider = o.AccessTokenProvider,
                // Each logical call brings its own key, the same on every try.
                AutomaticIdempotencyKeys = false,
            };
            return new WorkerApi(
                new SpectralHttp(() => factory.CreateClient(CallsClientName), client),
                new SpectralHttp(() => factory.CreateClient(ClaimsClientName), client));
        });
        services.TryAddSingleton(sp => new CallRetry(
            sp.GetRequiredService<IOptions<SpectralWorkerOptions>>().Value,
            sp.GetRequiredService<ILoggerFactory>().CreateLogger("SpectralNotify.Worker.Calls")));
        services.TryAddSingleton<RunExecutor>();
        services.AddHostedService<SpectralWorkerService>();
        return new SpectralWorkerBuilder(services, handlers);
    }

    private static Uri WithTrailingSlash(Uri uri) =>
        uri.AbsoluteUri.EndsWith('/') ? uri : new Uri(uri.AbsoluteUri + "/");
}
