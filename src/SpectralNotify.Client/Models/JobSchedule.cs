using System.Text.Json.Serialization;

namespace SpectralNotify.Client.Models;

/// <summary>
/// When a job fires: exactly one kind is set. Build one with <see cref="Cron"/>, <see cref="Every"/>
/// or <see cref="Once"/>; a manual job (fired only by trigger) has no schedule at all (null).
/// On the wire: <c>{"cron","timezone"}</c>, <c>{"intervalSeconds"}</c> or <c>{"at"}</c>.
/// </summary>
public sealed record JobSchedule
{
    /// <summary>A cron expression (5 or 6 fields, Quartz syntax), for a cron schedule.</summary>
    public string? Cron { get; init; }

    /// <summary>The IANA time zone a cron schedule runs in (UTC when null).</summary>
    public string? Timezone { get; init; }

    /// <summary>For an interval schedule: fires every this many seconds.</summary>
    public int? IntervalSeconds { get; init; }

    /// <summary>For a one-time schedule: fires once at this time.</summary>
    public DateTimeOffset? At { get; init; }

    /// <summary>Which kind this is (not sent: the server knows it from the field that is set).</summary>
    [JsonIgnore]
    public JobScheduleKind Kind =>
        Cron is not null ? JobScheduleKind.Cron
        : IntervalSeconds is not null ? JobScheduleKind.Interval
        : At is not null ? JobScheduleKind.At
        : JobScheduleKind.Manual;

    /// <summary>A cron schedule in a time zone (<c>"Europe/Paris"</c>; UTC when null).</summary>
    public static JobSchedule CronIn(string expression, string? timezone = null) => new() { Cron = expression, Timezone = timezone };

    /// <summary>An interval schedule (whole seconds, at least 1).</summary>
    public static JobSchedule Every(TimeSpan interval) => new() { IntervalSeconds = checked((int)interval.TotalSeconds) };

    /// <summary>A one-time schedule.</summary>
    public static JobSchedule Once(DateTimeOffset at) => new() { At = at };
}

/// <summary>The kinds of <see cref="JobSchedule"/>.</summary>
public enum JobScheduleKind
{
    /// <summary>No schedule: the job runs only when triggered.</summary>
    Manual,

    /// <summary>A cron expression in a time zone.</summary>
    Cron,

    /// <summary>Every N seconds.</summary>
    Interval,

    /// <summary>Once, at a time.</summary>
    At,
}
