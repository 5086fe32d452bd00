namespace SpectralNotify.Handlers;

/// <summary>Thrown by a handler to fail an attempt with control over the retry.</summary>
/// <param name="message">The error recorded on the run and its task.</param>
/// <param name="retryable">False ends the run now, whatever attempts remain.</param>
/// <param name="retryAfter">When to retry instead of the job's backoff.</param>
public sealed class JobFailure(string message, bool retryable = true, TimeSpan? retryAfter = null) : Exception(message)
{
    /// <summary>False ends the run now, whatever attempts remain.</summary>
    public bool Retryable { get; } = retryable;

    /// <summary>When to retry instead of the job's backoff; null uses the backoff.</summary>
    public TimeSpan? RetryAfter { get; } = retryAfter;
}
