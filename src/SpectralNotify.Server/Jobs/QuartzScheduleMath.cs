using Quartz;
using SpectralNotify.Jobs;

namespace SpectralNotify.Server.Jobs;

/// <summary>
/// Schedule math on Quartz's <see cref="CronExpression"/>: 5-field crontab (minute precision, Unix
/// format) or 6/7-field Quartz cron (with seconds), evaluated in the schedule's IANA time zone, so a
/// DST gap moves a firing forward and a DST overlap fires once. Intervals keep their cadence from the
/// previous firing; a one-shot fires once.
/// </summary>
public sealed class QuartzScheduleMath : IScheduleMath
{
    public DateTimeOffset? NextAfter(JobSchedule schedule, DateTimeOffset after, DateTimeOffset? anchor = null)
    {
        if (schedule.Cron is { } cron)
        {
            return Parse(cron, schedule.TimeZone).GetNextValidTimeAfter(after) is { } next ? Clock.Truncate(next) : null;
        }
        if (schedule.IntervalSeconds is { } seconds)
        {
            var interval = TimeSpan.FromSeconds(seconds);
            var start = anchor ?? after;
            if (start > after)
            {
                return start;
            }
            var steps = (long)Math.Floor((after - start) / interval) + 1;
            return Clock.Truncate(start + interval * steps);
        }
        return schedule.At is { } at && at > after ? Clock.Truncate(at) : null;
    }

    /// <summary>The problem with a schedule, or null when it is usable.</summary>
    public static string? Validate(JobSchedule s)
    {
        var kinds = (s.Cron is null ? 0 : 1) + (s.IntervalSeconds is null ? 0 : 1) + (s.At is null ? 0 : 1);
        if (kinds != 1)
        {
            return "must have exactly one of cron, intervalSeconds or at";
        }
        if (s.IntervalSeconds is < 1 or > 366 * 86400)
        {
            return "intervalSeconds must be from 1 to 31622400";
        }
        if (s.TimeZone is not null && s.Cron is null)
        {
            return "timezone applies only to cron schedules";
        }
        if (s.Cron is null)
        {
            return null;
        }
        if (s.TimeZone is not null && !TryZone(s.TimeZone, out _))
        {
            return $"timezone '{s.TimeZone}' is not an IANA time zone id";
        }
        try
        {
            Parse(s.Cron, s.TimeZone);
            return OutOfRange(s.Cron);
        }
        catch (FormatException e)
        {
            return $"cron '{s.Cron}' is not valid: {e.Message}";
        }
    }

    private static readonly (string Name, int Min, int Max)[] Unix =
        [("minute", 0, 59), ("hour", 0, 23), ("day of month", 1, 31), ("month", 1, 12), ("day of week", 0, 7)];
    private static readonly (string Name, int Min, int Max)[] Quartz =
        [("second", 0, 59), ("minute", 0, 59), ("hour", 0, 23), ("day of month", 1, 31), ("month", 1, 12), ("day of week", 1, 7), ("year", 1970, 2199)];

    /// <summary>
    /// Quartz accepts some out-of-range numbers (a minute of 99 parses, and fires at a wrong time), so
    /// every plain number of every field is checked against its field's range here.
    /// </summary>
    private static string? OutOfRange(string cron)
    {
        var fields = cron.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var ranges = fields.Length == 5 ? Unix : Quartz;
        for (var i = 0; i < fields.Length; i++)
        {
            foreach (var part in fields[i].Split(','))
            {
                foreach (var token in part.Split('/')[0].Split('-'))
                {
                    if (token.Length > 0 && token.All(char.IsAsciiDigit)
                        && (!int.TryParse(token, System.Globalization.CultureInfo.InvariantCulture, out var n) || n < ranges[i].Min || n > ranges[i].Max))
                    {
                        return $"cron '{cron}' is not valid: {ranges[i].Name} {token} is outside {ranges[i].Min}-{ranges[i].Max}";
                    }
                }
            }
        }
        return null;
    }

    private static CronExpression Parse(string cron, string? zone)
    {
        var fields = cron.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
        var expression = fields == 5 ? CronExpression.Parse(cron, CronFormat.Unix) : fields is 6 or 7 ? new CronExpression(cron)
            : throw new FormatException("a cron expression has 5 fields (minute hour day month weekday) or 6-7 (seconds first, Quartz)");
        return expression.WithTimeZone(ZoneOf(new JobSchedule { TimeZone = zone }));
    }

    /// <summary>The schedule's time zone (UTC when it names none).</summary>
    public static TimeZoneInfo ZoneOf(JobSchedule? schedule) =>
        schedule?.TimeZone is { } id && TryZone(id, out var zone) ? zone! : TimeZoneInfo.Utc;

    private static bool TryZone(string id, out TimeZoneInfo? zone)
    {
        try
        {
            zone = TimeZoneInfo.FindSystemTimeZoneById(id);
            return true;
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            zone = null;
            return false;
        }
    }
}
