using SpectralNotify.Jobs;

namespace SpectralNotify.Tests.Jobs;

/// <summary>How long the scheduler sleeps between firing passes (<see cref="JobService.Until"/>).</summary>
public sealed class SchedulerWaitTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 28, 12, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset LastPass = Now.AddMilliseconds(-20);
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);

    [Fact]
    public void It_sleeps_until_just_after_the_next_fire_time_when_that_comes_before_the_interval()
    {
        var wait = JobService.Until(Now.AddMilliseconds(40), Now, LastPass, Interval);
        Assert.InRange(wait, TimeSpan.FromMilliseconds(40), TimeSpan.FromMilliseconds(45));
    }

    [Fact]
    public void It_sleeps_at_most_the_interval_so_jobs_saved_on_other_nodes_are_seen()
    {
        Assert.Equal(Interval, JobService.Until(Now.AddMinutes(5), Now, LastPass, Interval));
        Assert.Equal(Interval, JobService.Until(null, Now, LastPass, Interval));
    }

    [Fact]
    public void A_time_that_came_due_after_the_last_pass_looked_is_fired_at_once() =>
        Assert.Equal(TimeSpan.Zero, JobService.Until(Now.AddMilliseconds(-3), Now, LastPass, Interval));

    [Fact]
    public void A_time_already_due_when_the_last_pass_looked_is_not_spun_on()
    {
        // The pass saw it due and did not fire it: another node holds it, or it is quarantined.
        Assert.Equal(Interval, JobService.Until(LastPass.AddMilliseconds(-1), Now, LastPass, Interval));
        Assert.Equal(Interval, JobService.Until(LastPass, Now, LastPass, Interval));
    }
}
