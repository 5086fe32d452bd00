namespace SpectralNotify.Client.Live;

/// <summary>
/// Full-jitter exponential backoff: attempt n waits a uniformly random time in
/// [0, min(<see cref="MaxDelay"/>, <see cref="BaseDelay"/> · 2ⁿ)], never less than
/// <see cref="MinDelay"/>. The jitter spreads the crowd of clients that lost the same server; the
/// floor keeps one client from hammering it. Retries forever unless <see cref="MaxElapsedTime"/> is set.
/// </summary>
public sealed class FullJitterRetryPolicy : ILiveRetryPolicy
{
    private readonly Func<double> random;

    /// <summary>A policy with the default bounds (100 ms floor, 500 ms base, 20 s cap, forever).</summary>
    public FullJitterRetryPolicy()
        : this(() => Random.Shared.NextDouble())
    {
    }

    /// <summary>A policy drawing from <paramref name="random"/> (values in [0, 1)); tests pass a fixed source.</summary>
    public FullJitterRetryPolicy(Func<double> random)
    {
        ArgumentNullException.ThrowIfNull(random);
        this.random = random;
    }

    /// <summary>The smallest wait. Default 100 ms.</summary>
    public TimeSpan MinDelay { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>The first attempt's ceiling, doubled each attempt. Default 500 ms.</summary>
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The largest wait. Default 20 s.</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>Stop (answer null) once the outage has lasted this long; null (the default) retries forever.</summary>
    public TimeSpan? MaxElapsedTime { get; init; }

    /// <inheritdoc />
    public TimeSpan? NextRetryDelay(LiveRetryContext retryContext)
    {
        ArgumentNullException.ThrowIfNull(retryContext);
        if (MaxElapsedTime is { } limit && retryContext.ElapsedTime >= limit)
        {
            return null;
        }
        var exponent = Math.Min(retryContext.PreviousRetryCount, 30);
        var ceiling = Math.Min(MaxDelay.TotalMilliseconds, BaseDelay.TotalMilliseconds * Math.Pow(2, exponent));
        var wait = Math.Max(MinDelay.TotalMilliseconds, random() * ceiling);
        return TimeSpan.FromMilliseconds(Math.Min(wait, MaxDelay.TotalMilliseconds));
    }
}
