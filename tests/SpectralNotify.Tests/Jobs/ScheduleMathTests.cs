using System.Globalization;
using SpectralNotify.Jobs;
using SpectralNotify.Server.Jobs;

namespace SpectralNotify.Tests.Jobs;

/// <summary>Fire times: cron in a time zone across DST, intervals, one-shots, misfires.</summary>
public sealed class ScheduleMathTests
{
    private static readonly QuartzScheduleMath Math = new();

    private static DateTimeOffset T(string iso) => DateTimeOffset.Parse(iso, CultureInfo.InvariantCulture);

    [Fact]
    public void Cron_follows_the_time_zone_across_daylight_saving()
    {
        var berlin = new JobSchedule { Cron = "30 2 * * *", TimeZone = "Europe/Berlin" };
        // 2026-03-29 has no 02:30 in Berlin: the firing moves to 03:00 CEST (01:00Z).
        Assert.Equal(T("2026-03-29T01:00:00Z"), Math.NextAfter(berlin, T("2026-03-28T12:00:00Z")));
        Assert.Equal(T("2026-03-30T00:30:00Z"), Math.NextAfter(berlin, T("2026-03-29T01:00:00Z")));
        // 2026-10-25 has 02:30 twice: it fires once, at the first (CEST, 00:30Z).
        Assert.Equal(T("2026-10-25T00:30:00Z"), Math.NextAfter(berlin, T("2026-10-24T12:00:00Z")));
        Assert.Equal(T("2026-10-26T01:30:00Z"), Math.NextAfter(berlin, T("2026-10-25T00:30:00Z")));

        var ny = new JobSchedule { Cron = "0 0 9 ? * MON-FRI", TimeZone = "America/New_York" };
        Assert.Equal(T("2026-11-23T14:00:00Z"), Math.NextAfter(ny, T("2026-11-21T00:00:00Z")));
        Assert.Equal(T("2026-01-01T00:00:00Z"), Math.NextAfter(new JobSchedule { Cron = "0 0 1 1 *" }, T("2025-06-01T00:00:00Z")));
    }

    [Fact]
    public void Intervals_keep_their_cadence_and_one_shots_fire_once()
    {
        var every = new JobSchedule { IntervalSeconds = 60 };
        var anchor = T("2026-01-01T00:00:00Z");
        Assert.Equal(T("2026-01-01T00:01:00Z"), Math.NextAfter(every, anchor, anchor));
        // After an outage, the next firing is the first on the grid after now: missed ones collapse.
        Assert.Equal(T("2026-01-01T01:00:00Z"), Math.NextAfter(every, T("2026-01-01T00:59:30Z"), anchor));
        var once = new JobSchedule { At = T("2026-05-01T08:00:00Z") };
        Assert.Equal(T("2026-05-01T08:00:00Z"), Math.NextAfter(once, T("2026-04-01T00:00:00Z")));
        Assert.Null(Math.NextAfter(once, T("2026-05-01T08:00:00Z")));
    }

    [Fact]
    public void Invalid_schedules_are_named()
    {
        Assert.Null(QuartzScheduleMath.Validate(new JobSchedule { Cron = "*/5 * * * *", TimeZone = "Asia/Tokyo" }));
        Assert.Contains("not valid", QuartzScheduleMath.Validate(new JobSchedule { Cron = "61 * * * *" }));
        Assert.Contains("minute 99 is outside 0-59", QuartzScheduleMath.Validate(new JobSchedule { Cron = "99 * * * *" }));
        Assert.Contains("Hour values must be between 0 and 23", QuartzScheduleMath.Validate(new JobSchedule { Cron = "0 0 24 * * ?" }));
        Assert.Contains("5 fields", QuartzScheduleMath.Validate(new JobSchedule { Cron = "* *" }));
        Assert.Contains("IANA", QuartzScheduleMath.Validate(new JobSchedule { Cron = "* * * * *", TimeZone = "Mars/Olympus" }));
        Assert.Contains("exactly one", QuartzScheduleMath.Validate(new JobSchedule { Cron = "* * * * *", IntervalSeconds = 5 }));
        Assert.Contains("intervalSeconds", QuartzScheduleMath.Validate(new JobSchedule { IntervalSeconds = 0 }));
    }

    [Fact]
    public void A_late_firing_is_skipped_or_fired_once_by_policy()
    {
        var job = new Job { Id = "j", Type = "t", Schedule = new JobSchedule { IntervalSeconds = 60 }, NextFireAt = T("2026-01-01T00:00:00Z") };
        var (onTime, next) = JobRules.Fire(job, T("2026-01-01T00:00:00.500Z"), Math);
        Assert.Equal((T("2026-01-01T00:00:00Z"), T("2026-01-01T00:01:00Z")), (onTime!.RunAt, next));
        var (late, after) = JobRules.Fire(job, T("2026-01-01T03:00:30Z"), Math);
        Assert.Equal((T("2026-01-01T00:00:00Z"), T("2026-01-01T03:01:00Z")), (late!.RunAt, after));
        var (skipped, resumed) = JobRules.Fire(job with { Misfire = MisfirePolicy.Skip }, T("2026-01-01T03:00:30Z"), Math);
        Assert.Equal((null, T("2026-01-01T03:01:00Z")), (skipped, resumed));
    }
}
