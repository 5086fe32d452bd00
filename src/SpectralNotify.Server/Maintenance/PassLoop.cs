using SpectralNotify.Health;

namespace SpectralNotify.Server.Maintenance;

/// <summary>
/// Runs a background pass every interval until shutdown, and never stops on its own: a failed pass
/// is reported on the component's health (<c>/readyz</c>, <c>/metrics</c>, one log line when the
/// problem starts and one when it ends) and retried after a backoff that doubles up to
/// <see cref="MaxBackoff"/>, so a lasting fault neither spins nor floods the log.
/// </summary>
public static class PassLoop
{
    public static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);

    /// <param name="pass">One pass; returns true when it did a full batch and more may be waiting (it then runs again at once).</param>
    /// <param name="idle">
    /// What to await after a successful pass instead of a plain <paramref name="interval"/> delay (the scheduler
    /// sleeps until its next fire time); it counts as part of the pass, so a failure in it is reported and backed off.
    /// </param>
    public static async Task RunAsync(ComponentHealth health, TimeSpan interval, TimeProvider time, Func<CancellationToken, Task<bool>> pass,
        CancellationToken stopping, Func<CancellationToken, Task>? idle = null)
    {
        var failures = 0;
        while (!stopping.IsCancellationRequested)
        {
            var wait = interval;
            try
            {
                while (await pass(stopping) && !stopping.IsCancellationRequested)
                {
                }
                health.Succeeded(time.GetUtcNow());
                failures = 0;
                if (idle is not null)
                {
                    await idle(stopping);
                    continue;
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                failures++;
                health.Failed($"{ex.GetType().Name}: {ex.Message}", time.GetUtcNow());
                wait = Backoff(interval, failures);
            }
            try
            {
                await Task.Delay(wait, time, stopping);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>The interval, doubled per consecutive failure, at most <see cref="MaxBackoff"/> (or the interval when it is longer).</summary>
    public static TimeSpan Backoff(TimeSpan interval, int failures)
    {
        var cap = interval > MaxBackoff ? interval : MaxBackoff;
        var factor = Math.Pow(2, Math.Min(failures, 16));
        return TimeSpan.FromTicks((long)Math.Min(interval.Ticks * factor, cap.Ticks));
    }
}
