namespace SpectralNotify.Jobs;

/// <summary>
/// When a job fires: one of a cron expression in an IANA time zone, a fixed interval, or one
/// moment. A job without a schedule is manual (it runs when triggered).
/// </summary>
public sealed record JobSchedule
{
    /// <summary>5-field (minute precision) or 6-field (with seconds) cron, Quartz syntax.</summary>
    public string? Cron { get; init; }
    /// <summary>IANA time zone of <see cref="Cron"/>; UTC when null.</summary>
    public string? TimeZone { get; init; }
    public int? IntervalSeconds { get; init; }
    public DateTimeOffset? At { get; init; }

    public string Kind => Cron is not null ? "cron" : IntervalSeconds is not null ? "interval" : "at";
}

/// <summary>What a schedule does about firings it missed while no server was running.</summary>
public static class MisfirePolicy
{
    /// <summary>Fire once for all the missed firings, then continue on schedule.</summary>
    public const string FireOnce = "fireOnce";
    /// <summary>Drop the missed firings and continue on schedule.</summary>
    public const string Skip = "skip";

    public static bool IsValid(string? value) => value is FireOnce or Skip;

    /// <summary>A firing more than this late counts as missed.</summary>
    public static readonly TimeSpan Threshold = TimeSpan.FromMinutes(1);
}

/// <summary>Computes a schedule's fire times; implemented with Quartz's CronExpression in the server.</summary>
public interface IScheduleMath
{
    /// <summary>The first fire time strictly after <paramref name="after"/>, or null when the schedule has no more.</summary>
    DateTimeOffset? NextAfter(JobSchedule schedule, DateTimeOffset after, DateTimeOffset? anchor = null);
}
