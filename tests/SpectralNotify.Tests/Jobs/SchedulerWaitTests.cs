using SpectralNotify.Jobs;

namespace SpectralNotify.Tests.Jobs;

/// <summary>How long the scheduler sleeps between firing passes (<see cref="JobService.Until"/>).</summary>
public sealed class SchedulerWaitTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 28, 12, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset LastPass = Now.AddMilliseconds(-20);
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan Ahead = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan Lead = TimeSpan.FromMilliseconds(100);

    [Fact]
    public void The_next_pass_starts_its_lead_before_the_next_fire_time()
    {
        Assert.Equal(TimeSpan.FromMilliseconds(140), JobService.Until(Now.AddMilliseconds(240), Now, LastPass, Interval, Ahead, Lead));
        // Without a look-ahead: at the fire time itself.
        Assert.Equal(TimeSpan.FromMilliseconds(40), JobService.Until(Now.AddMilliseconds(40), Now, LastPass, Interval, TimeSpan.Zero, TimeSpan.Zero));
    }

    [Fact]
    public void It_sleeps_at_most_the_interval_so_jobs_saved_on_other_nodes_are_seen()
    {
        Assert.Equal(Interval, JobService.Until(Now.AddMinutes(5), Now, LastPass, Interval, Ahead, Lead));
        Assert.Equal(Interval, JobService.Until(null, Now, LastPass, Interval, Ahead, Lead));
    }

    [Fact]
    public void A_time_beyond_the_last_pass_reach_that_is_already_near_is_fired_at_once()
    {
        // The last pass (150 ms ago) reached Now + 50 ms; this one is due at Now + 60 ms, closer than the lead.
        Assert.Equal(TimeSpan.Zero, JobService.Until(Now.AddMilliseconds(60), Now, Now.AddMilliseconds(-150), Interval, Ahead, Lead));
        // It came due after the last pass looked (no look-ahead).
        Assert.Equal(TimeSpan.Zero, JobService.Until(Now.AddMilliseconds(-3), Now, LastPass, Interval, TimeSpan.Zero, TimeSpan.Zero));
    }

    [Fact]
    public void A_time_the_last_pass_should_have_fired_is_not_spun_on()
    {
        // Within the last pass's reach and still stored: another node holds it, or it is quarantined.
        Assert.Equal(Interval, JobService.Until(LastPass.AddMilliseconds(150), Now, LastPass, Interval, Ahead, Lead));
        Assert.Equal(Interval, JobService.Until(LastPass, Now, LastPass, Interval, TimeSpan.Zero, TimeSpan.Zero));
    }
}
