using System.Text.Json;

namespace SpectralNotify.Handlers;

/// <summary>
/// Runs one attempt of a run, in the server process (<c>AddSpectralNotifyServer(…).AddHandler&lt;T&gt;("type")</c>) or on any
/// machine (<c>SpectralNotify.Worker</c>): the same class works in both. Return the result (any JSON,
/// or null) to complete the run; throw to fail the attempt (<see cref="JobFailure"/> says whether and
/// when to retry; any other exception is retried with the job's backoff). Honour
/// the cancellation token: it fires when the run is cancelled, times out, loses its lease, or the host
/// shuts down.
/// </summary>
public interface IJobHandler
{
    /// <summary>Runs the attempt described by <paramref name="context"/>.</summary>
    Task<JsonElement?> HandleAsync(IJobContext context, CancellationToken ct);
}
