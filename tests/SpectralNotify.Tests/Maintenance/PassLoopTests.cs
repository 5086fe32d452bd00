using Microsoft.Extensions.Time.Testing;
using SpectralNotify.Health;
using SpectralNotify.Server.Maintenance;
using SpectralNotify.Tests.Infrastructure;

namespace SpectralNotify.Tests.Maintenance;

/// <summary>Background passes never stop on their own: failures are reported, backed off and retried; success clears the problem.</summary>
public sealed class PassLoopTests
{
    [Fact]
    public async Task A_failing_pass_is_reported_backed_off_and_retried_until_it_succeeds()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero));
        var health = new ComponentHealth("test-loop");
        var problems = new List<string?>();
        health.ProblemChanged += (_, p) => problems.Add(p);
        var calls = 0;
        using var stop = new CancellationTokenSource();
        var interval = TimeSpan.FromSeconds(1);

        var pass = health.NextPass;
        var loop = PassLoop.RunAsync(health, interval, time, _ =>
        {
            // Fails twice (a bad row, a lost connection), then works.
            return ++calls <= 2 ? throw new InvalidOperationException($"boom {calls}") : Task.FromResult(false);
        }, stop.Token);

        await pass.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal((1, 1L, "InvalidOperationException: boom 1"), (calls, health.Failures, health.Problem));

        // The retry waits for the backoff (2 × the interval after one failure), not the interval.
        pass = health.NextPass;
        time.Advance(interval);
        Assert.Equal(1, calls);
        time.Advance(interval);
        await pass.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal((2, 2L), (calls, health.Failures));

        pass = health.NextPass;
        time.Advance(PassLoop.Backoff(interval, 2));
        await pass.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(3, calls);
        Assert.Null(health.Problem);
        Assert.Equal(time.GetUtcNow(), health.LastSuccess);
        Assert.Equal(["InvalidOperationException: boom 1", null], problems); // one line when it starts, one when it ends

        await stop.CancelAsync();
        await loop.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task An_idle_wait_replaces_the_interval_and_a_failing_one_is_reported_like_a_failed_pass()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero));
        var health = new ComponentHealth("scheduler-like");
        var calls = 0;
        var idles = 0;
        var wake = new TaskCompletionSource();
        using var stop = new CancellationTokenSource();
        var interval = TimeSpan.FromSeconds(1);

        var pass = health.NextPass;
        var loop = PassLoop.RunAsync(health, interval, time, _ => Task.FromResult(++calls < 0), stop.Token, async _ =>
        {
            // The first idle waits for a signal (a job saved), the second fails (the database is away).
            if (++idles == 1)
            {
                await wake.Task;
                return;
            }
            throw new InvalidOperationException("next fire time unreadable");
        });
        await pass.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(1, calls);

        // No time passes: only the signal ends the first idle, and the next pass follows at once.
        pass = health.NextPass;
        wake.SetResult();
        await pass.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(2, calls);
        await Eventually.TrueAsync(() => Task.FromResult(health.Problem is not null), "the failed idle is reported");
        Assert.Equal("InvalidOperationException: next fire time unreadable", health.Problem);

        // It is backed off like a failed pass (2 × the interval after one failure), then the pass runs again.
        pass = health.NextPass;
        time.Advance(interval);
        Assert.Equal(2, calls);
        time.Advance(interval);
        await pass.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(3, calls);

        await stop.CancelAsync();
        await loop.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void The_backoff_doubles_up_to_the_cap()
    {
        var interval = TimeSpan.FromMilliseconds(250);
        Assert.Equal(TimeSpan.FromMilliseconds(500), PassLoop.Backoff(interval, 1));
        Assert.Equal(TimeSpan.FromSeconds(4), PassLoop.Backoff(interval, 4));
        Assert.Equal(PassLoop.MaxBackoff, PassLoop.Backoff(interval, 40));
        Assert.Equal(TimeSpan.FromMinutes(2), PassLoop.Backoff(TimeSpan.FromMinutes(2), 3)); // a longer interval is its own cap
    }
}
