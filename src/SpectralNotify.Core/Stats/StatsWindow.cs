namespace SpectralNotify.Stats;

/// <summary>
/// The time range of the throughput series in <see cref="ServerStats"/>: the last <see cref="Minutes"/>
/// minutes (1 to 1,440, default 60) in buckets of whole minutes, at most <see cref="MaxBuckets"/> of them
/// (1 minute up to a 60-minute window, then ⌈window / 60⌉ minutes). Buckets are aligned to whole
/// multiples of their size since the Unix epoch, so two reads a few seconds apart share their buckets;
/// the last bucket holds now and is still filling, and the window is rounded up to whole buckets.
/// </summary>
public sealed record StatsWindow
{
    public const int DefaultMinutes = 60;
    public const int MaxMinutes = 1440;
    public const int MaxBuckets = 60;

    private StatsWindow(int minutes, int bucketSeconds, DateTimeOffset from, int buckets)
    {
        Minutes = minutes;
        BucketSeconds = bucketSeconds;
        From = from;
        Buckets = buckets;
    }

    /// <summary>The window asked for, in minutes.</summary>
    public int Minutes { get; }

    public int BucketSeconds { get; }

    /// <summary>Start of the first bucket (inclusive).</summary>
    public DateTimeOffset From { get; }

    public int Buckets { get; }

    /// <summary>End of the last bucket (exclusive), after now.</summary>
    public DateTimeOffset To => From.AddSeconds((long)BucketSeconds * Buckets);

    /// <summary>The window of <paramref name="minutes"/> ending in the bucket that holds <paramref name="now"/>, or the rule broken.</summary>
    public static StatsWindow? Create(int minutes, DateTimeOffset now, out string? error)
    {
        if (minutes is < 1 or > MaxMinutes)
        {
            error = $"must be a whole number of minutes from 1 to {MaxMinutes}";
            return null;
        }
        error = null;
        var bucketMinutes = (minutes + MaxBuckets - 1) / MaxBuckets;
        var bucketSeconds = bucketMinutes * 60;
        var buckets = (minutes + bucketMinutes - 1) / bucketMinutes;
        var bucketTicks = bucketSeconds * TimeSpan.TicksPerSecond;
        var sinceEpoch = now.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        var lastStart = DateTimeOffset.UnixEpoch.AddTicks(sinceEpoch - (sinceEpoch % bucketTicks));
        return new StatsWindow(minutes, bucketSeconds, lastStart.AddTicks(-bucketTicks * (buckets - 1)), buckets);
    }
}
