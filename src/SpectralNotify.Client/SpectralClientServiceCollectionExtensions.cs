using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SpectralNotify.Client;

// The usual home of Add* extensions, so one using brings them in.
namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers <see cref="SpectralClient"/>.</summary>
public static class SpectralClientServiceCollectionExtensions
{
    /// <summary>The named HttpClient the client sends through (add handlers to it with <c>AddHttpClient(HttpClientName)</c>).</summary>
    public const string HttpClientName = "SpectralNotify";

    /// <summary>
    /// The named HttpClient of long polls (worker claims that wait for work) and streams: the same
    /// retries, but an attempt may last <see cref="LongPollAttemptTimeout"/> instead of the standard 10 s.
    /// </summary>
    public const string LongPollHttpClientName = "SpectralNotify.LongPoll";

    /// <summary>The attempt timeout of <see cref="LongPollHttpClientName"/>: twice the server's longest claim wait (30 s).</summary>
    public static readonly TimeSpan LongPollAttemptTimeout = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Adds a singleton <see cref="SpectralClient"/> over <c>IHttpClientFactory</c> with the standard
    /// resilience handler: transient failures (5xx, 408, 429, connection errors) are retried with
    /// jittered backoff, which is safe for POSTs because each carries an <c>Idempotency-Key</c>.
    /// Options are validated when the client is first resolved.
    /// </summary>
    public static IServiceCollection AddSpectralNotifyClient(this IServiceCollection services, Action<SpectralClientOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<SpectralClientOptions>()
            .Configure(configure)
            .Validate(o => { o.Validate(); return true; });
        services.AddHttpClient(HttpClientName, (sp, http) =>
            {
                http.BaseAddress = sp.GetRequiredService<IOptions<SpectralClientOptions>>().Value.BaseAddress;
                // Long-polling claims and slow answers are bounded by the resilience pipeline's own timeouts.
                http.Timeout = Timeout.InfiniteTimeSpan;
            })
            .AddStandardResilienceHandler();
        services.AddHttpClient(LongPollHttpClientName, (sp, http) =>
            {
                http.BaseAddress = sp.GetRequiredService<IOptions<SpectralClientOptions>>().Value.BaseAddress;
                http.Timeout = Timeout.InfiniteTimeSpan;
            })
            .AddStandardResilienceHandler(o =>
            {
                o.AttemptTimeout.Timeout = LongPollAttemptTimeout;
                // The options validator wants the circuit's sampling window at least twice the attempt timeout.
                o.CircuitBreaker.SamplingDuration = 2 * LongPollAttemptTimeout;
                o.TotalRequestTimeout.Timeout = 4 * LongPollAttemptTimeout;
            });
        services.AddSingleton<SpectralClient>();
        return services;
    }
}
