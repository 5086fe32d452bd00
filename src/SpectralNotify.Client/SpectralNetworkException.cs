namespace SpectralNotify.Client;

/// <summary>
/// A call that got no complete answer: the server could not be reached, or the connection broke
/// before the whole response arrived. Whether a write took effect is unknown; retrying it with the
/// same <c>Idempotency-Key</c> applies it at most once.
/// </summary>
public sealed class SpectralNetworkException(string route, Exception inner)
    : Exception($"{route}: no complete answer from the server ({inner.Message})", inner)
{
    /// <summary>The route's name, e.g. <c>tasks.progress</c>.</summary>
    public string Route { get; } = route;
}
