namespace SpectralNotify.Client.Live;

/// <summary>Settings of the shared live connection (protocol v2 at <c>/api/v1/live</c>).</summary>
public sealed class SpectralLiveOptions
{
    /// <summary>
    /// When and how often to reconnect after the link drops: full-jitter exponential backoff forever
    /// by default (<see cref="FullJitterRetryPolicy"/>). A policy that answers null stops, and the
    /// client raises <see cref="SpectralLiveClient.Closed"/> and ends every watch with the error.
    /// </summary>
    public ILiveRetryPolicy RetryPolicy { get; set; } = new FullJitterRetryPolicy();

    /// <summary>One connect attempt (upgrade and the server's <c>welcome</c>) fails after this long. Default 10 s.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How often the client sends <c>ping</c>; null (the default) follows the server's
    /// <c>heartbeatSeconds</c> from its <c>welcome</c>.
    /// </summary>
    public TimeSpan? PingInterval { get; set; }

    /// <summary>
    /// Silence after which the link counts as dead and is dropped and reconnected; null (the default)
    /// is twice the server's heartbeat, as docs/realtime.md asks of clients.
    /// </summary>
    public TimeSpan? StallTimeout { get; set; }
}
