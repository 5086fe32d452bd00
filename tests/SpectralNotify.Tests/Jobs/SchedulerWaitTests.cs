using SpectralNotify.Jobs;
using SpectralNotify.Realtime;
using SpectralNotify.Server.Jobs;
using SpectralNotify.Tests.Infrastructure;

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

/// <summary>The scheduler's wait against a real store: a job saved while a pass ran is not mistaken for another node's.</summary>
public sealed class SchedulerRaceTests
{
    [Fact]
    public async Task A_job_saved_during_a_pass_and_due_inside_its_reach_fires_without_waiting_an_interval()
    {
        var time = new ManualTime(new DateTimeOffset(2026, 3, 28, 12, 0, 0, TimeSpan.Zero));
        await using var db = await TestDatabase.CreateAsync(Engine.Sqlite);
        await using var store = await db.CreateStoreAsync(time);
        using var jobs = new JobService(store, new TaskFeed(), new QuartzScheduleMath(), time);
        var interval = TimeSpan.FromMinutes(1);

        // A pass begins (and finds nothing); the job is saved before it ends.
        await jobs.FireDueAsync(default);
        var due = time.GetUtcNow() + JobService.WakeAhead;
        var (job, _) = await jobs.CreateAsync(new Job { Id = "tick", Type = "t", Schedule = new JobSchedule { At = due } }, false, default);
        Assert.Equal(due, job.NextFireAt); // inside the pass's reach (FireAhead), which did not see it

        // The clock stands still: only a wait of zero returns.
        await jobs.WaitForNextFireAsync(interval, default).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(1, await jobs.FireDueAsync(default));
        Assert.Single(await store.RunListByJobAsync("tick", 10, default));
    }
}
