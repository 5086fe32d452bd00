using SpectralNotify.Client.Live;

namespace SpectralNotify.Client;

/// <summary>Where the server is and how to authenticate; bound by <c>AddSpectralNotifyClient</c> or given to <see cref="SpectralClient.Create"/>.</summary>
public sealed class SpectralClientOptions
{
    /// <summary>The server's base address, e.g. <c>http://127.0.0.1:8094</c>. Required.</summary>
    public Uri? BaseAddress { get; set; }

    /// <summary>An API key, sent as <c>X-API-Key</c> on REST calls and on the live connection's upgrade request.</summary>
    public string? ApiKey { get; set; }

    /// <summary>
    /// Called before every REST call that carries no key and before every live (re)connect: returns a
    /// short-lived token (<c>POST /api/v1/tokens</c>) or null. Takes precedence over nothing; an
    /// <see cref="ApiKey"/> wins when both are set.
    /// </summary>
    public Func<CancellationToken, ValueTask<string?>>? AccessTokenProvider { get; set; }

    /// <summary>Adds an <c>Idempotency-Key</c> to every POST that has none, so a retried POST is applied once. Default true.</summary>
    public bool AutomaticIdempotencyKeys { get; set; } = true;

    /// <summary>The live connection: reconnect policy and heartbeat.</summary>
    public SpectralLiveOptions Live { get; set; } = new();

    /// <summary>Throws when the options cannot work, naming the setting.</summary>
    public void Validate()
    {
        if (BaseAddress is null)
        {
            throw new InvalidOperationException("SpectralClientOptions.BaseAddress is required (e.g. http://127.0.0.1:8094).");
        }
        if (!BaseAddress.IsAbsoluteUri || (BaseAddress.Scheme != Uri.UriSchemeHttp && BaseAddress.Scheme != Uri.UriSchemeHttps))
        {
            throw new InvalidOperationException($"SpectralClientOptions.BaseAddress must be an absolute http(s) URI, not '{BaseAddress}'.");
        }
        if (ApiKey is not null && string.IsNullOrWhiteSpace(ApiKey))
        {
            throw new InvalidOperationException("SpectralClientOptions.ApiKey is empty; leave it null to call without a key.");
        }
    }
}
