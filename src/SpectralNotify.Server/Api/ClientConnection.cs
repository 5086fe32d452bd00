using Microsoft.AspNetCore.Connections.Features;

namespace SpectralNotify.Server.Api;

/// <summary>Whether the client of a request is still there.</summary>
internal static class ClientConnection
{
    /// <summary>
    /// Fires when the connection of the request closes (<see cref="CancellationToken.None"/> where the
    /// server does not say). Long polls and streams watch it as well as
    /// <see cref="HttpContext.RequestAborted"/>, which misses one case: a client that sends a request
    /// on a kept-alive HTTP/1.1 connection and closes it at once (a worker cancelling its claim as it
    /// stops) while the server is still ending the previous request. Kestrel then starts the new
    /// request with a token that never fires, although the connection's own token already has.
    /// Measured: a claim started 0.3 ms after its connection closed, waited, and leased a run 640 ms
    /// later to a worker that had gone; the run sat out its lease and lost an attempt. An SSE stream
    /// started that way would be left to notice it through a failed write.
    /// </summary>
    public static CancellationToken Closed(HttpContext http) =>
        http.Features.Get<IConnectionLifetimeFeature>()?.ConnectionClosed ?? CancellationToken.None;
}
