using System.Text.Json;

namespace SpectralNotify.Server.Jobs.Workers;

/// <summary>
/// Runs one attempt of a run in process. Return the result (any JSON, or null) to complete the run;
/// throw to fail the attempt (<see cref="JobFailure"/> says whether and when to retry; any other
/// exception is retried with backoff). Honour <paramref name="ct"/>: it fires when the run is
/// cancelled, times out, or the server shuts down.
/// </summary>
public interface IJobHandler
{
    Task<JsonElement?> HandleAsync(JobContext context, CancellationToken ct);
}

/// <summary>Thrown by a handler to fail an attempt with control over the retry.</summary>
public sealed class JobFailure(string message, bool retryable = true, TimeSpan? retryAfter = null) : Exception(message)
{
    public bool Retryable { get; } = retryable;
    public TimeSpan? RetryAfter { get; } = retryAfter;
}

/// <summary>The built-in <c>noop</c> handler: completes at once (benchmarks, smoke tests).</summary>
public sealed class NoopHandler : IJobHandler
{
    public Task<JsonElement?> HandleAsync(JobContext context, CancellationToken ct) => Task.FromResult<JsonElement?>(null);
}
