using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace SpectralNotify.Client;

/// <summary>
/// The SpectralNotify client: typed REST calls grouped by resource, live watches over one shared
/// connection, and the producer helper. Thread-safe; use one per server. Get it from DI
/// (<c>AddSpectralNotifyClient</c>) or <see cref="Create"/>.
/// </summary>
public sealed partial class SpectralClient : IAsyncDisposable
{
    private readonly IDisposable? owned;

    internal SpectralClient(SpectralHttp http, IDisposable? owned = null)
    {
        Http = http;
        this.owned = owned;
        InitializeResources();
    }

    /// <summary>DI constructor: the named HttpClient from the factory per call, so handler rotation applies.</summary>
    [ActivatorUtilitiesConstructor]
    public SpectralClient(IHttpClientFactory factory, IOptions<SpectralClientOptions> options)
        : this(new SpectralHttp(() => factory.CreateClient(SpectralClientServiceCollectionExtensions.HttpClientName), options.Value,
            () => factory.CreateClient(SpectralClientServiceCollectionExtensions.LongPollHttpClientName)))
    {
    }

    internal SpectralHttp Http { get; }

    /// <summary>The options the client was made with.</summary>
    public SpectralClientOptions Options => Http.Options;

    /// <summary>A client without a DI container (same retries and defaults as <c>AddSpectralNotifyClient</c>); dispose it when done.</summary>
    public static SpectralClient Create(SpectralClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var provider = new ServiceCollection()
            .AddSpectralNotifyClient(o =>
            {
                o.BaseAddress = options.BaseAddress;
                o.ApiKey = options.ApiKey;
                o.AccessTokenProvider = options.AccessTokenProvider;
                o.AutomaticIdempotencyKeys = options.AutomaticIdempotencyKeys;
                o.Live = options.Live;
            })
            .BuildServiceProvider();
        var factory = provider.GetRequiredService<IHttpClientFactory>();
        var http = new SpectralHttp(() => factory.CreateClient(SpectralClientServiceCollectionExtensions.HttpClientName), provider.GetRequiredService<IOptions<SpectralClientOptions>>().Value,
            () => factory.CreateClient(SpectralClientServiceCollectionExtensions.LongPollHttpClientName));
        return new SpectralClient(http, provider);
    }

    /// <summary>Closes the live connection (if one was opened) and, for <see cref="Create"/>, the HTTP handlers.</summary>
    public async ValueTask DisposeAsync()
    {
        await DisposeLiveAsync().ConfigureAwait(false);
        owned?.Dispose();
    }

    /// <summary>Sets the resource properties (Tasks, Jobs, …); each resource file adds its own.</summary>
    partial void InitializeResources();

    /// <summary>Closes the live connection; implemented by the live part.</summary>
    private partial ValueTask DisposeLiveAsync();
}
