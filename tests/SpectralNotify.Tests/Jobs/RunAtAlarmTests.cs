using Microsoft.Extensions.Time.Testing;
using SpectralNotify.Jobs;

namespace SpectralNotify.Tests.Jobs;

/// <summary>The alarm that wakes workers when a run announced for later becomes claimable.</summary>
public sealed class RunAtAlarmTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void It_signals_once_per_time_when_that_time_comes_and_never_before()
    {
        var time = new FakeTimeProvider(Start);
        var signals = 0;
        using var alarm = new RunAtAlarm(time, () => Interlocked.Increment(ref signals));
        alarm.At(Start.AddMilliseconds(300));
        alarm.At(Start.AddMilliseconds(100));
        alarm.At(Start.AddMilliseconds(100)); // a thousand runs due at once are one wake,
        alarm.At(Start.AddMilliseconds(93)); // and so are those within one granularity step (rounded up, never early)
        Assert.Equal(2, alarm.Count);

        time.Advance(TimeSpan.FromMilliseconds(99));
        Assert.Equal(0, signals);
        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(1, signals);
        time.Advance(TimeSpan.FromMilliseconds(199));
        Assert.Equal(1, signals);
        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(2, signals);
        Assert.Equal(0, alarm.Count);
    }

    [Fact]
    public void A_time_that_has_passed_signals_at_once_and_is_not_kept()
    {
        var time = new FakeTimeProvider(Start);
        var signals = 0;
        using var alarm = new RunAtAlarm(time, () => signals++);
        alarm.At(Start); // came due while the caller decided it was for later
        alarm.At(Start.AddSeconds(-1));
        Assert.Equal((2, 0), (signals, alarm.Count));
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(2, signals);
    }

    [Fact]
    public void A_time_beyond_the_horizon_is_left_to_the_poll_however_far_it_is()
    {
        var time = new FakeTimeProvider(Start);
        var signals = 0;
        using var alarm = new RunAtAlarm(time, () => signals++);
        alarm.At(Start + RunAtAlarm.Horizon + TimeSpan.FromMilliseconds(1));
        alarm.At(DateTimeOffset.MaxValue); // a runAt in year 9999 (the fuzzer found it: rounding it up overflowed)
        Assert.Equal((0, 0), (signals, alarm.Count));
        alarm.At(Start + RunAtAlarm.Horizon);
        Assert.Equal(1, alarm.Count);
    }

    [Fact]
    public void A_real_timer_takes_a_time_at_the_horizon()
    {
        // The system timer refuses periods over ~49 days; the horizon keeps every one far below.
        using var alarm = new RunAtAlarm(TimeProvider.System, () => { });
        alarm.At(DateTimeOffset.UtcNow + RunAtAlarm.Horizon);
        alarm.At(DateTimeOffset.UtcNow.AddDays(400));
        Assert.Equal(1, alarm.Count);
    }
}
