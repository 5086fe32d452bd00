namespace SpectralNotify.Client.Live;

/// <summary>
/// Decides the wait before each reconnect attempt of the live connection, as SignalR's
/// <c>IRetryPolicy</c> does for a hub connection.
/// </summary>
public interface ILiveRetryPolicy
{
    /// <summary>The wait before the next attempt, or null to stop reconnecting (the client is then closed).</summary>
    TimeSpan? NextRetryDelay(LiveRetryContext retryContext);
}

/// <summary>What a retry policy knows about the outage so far.</summary>
/// <param name="PreviousRetryCount">Failed attempts since the link dropped (0 before the first retry).</param>
/// <param name="ElapsedTime">Time since the link dropped (or since the first connect attempt failed).</param>
/// <param name="RetryReason">Why the last attempt (or the link) failed.</param>
public sealed record LiveRetryContext(long PreviousRetryCount, TimeSpan ElapsedTime, Exception RetryReason);
